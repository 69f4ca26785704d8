/** Pipeline files: a .ts pipeline with a custom operator, and the command line (exit codes, one-line errors, signals). */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { definePipeline } from '../../src/connector/definePipeline.js';
import { loadPipeline } from '../../src/connector/loadPipeline.js';
import { type RunningPipeline, startPipeline } from '../../src/connector/startPipeline.js';
import { baseConnector, bootstrap, captureLog, committed, eventually, freshTopic } from '../support/harness.js';
import { type NodeRun, runNode } from '../support/spawn-node.js';

/** Runs `kafka-http-sink run <target>` (what `npm run pipeline -- <target>` runs) as a user would, with a time limit. */
function runCli(target: string, env: Record<string, string>, whileRunning?: (child: ChildProcessWithoutNullStreams) => Promise<void>): Promise<NodeRun> {
  return runNode(['bin/kafka-http-sink.mjs', 'run', target], { ...env, LOG_LEVEL: 'info' }, whileRunning);
}

describe('pipeline files', () => {
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    await receiver?.close();
  });

  it('runs the .ts example pipeline: skips non-device records, adds units, sends a JSON array', async () => {
    const topic = await freshTopic('enriched', 1);
    await produce(bootstrap(), topic, [
      { key: '1', value: '{"iot_id":1, "metric":"Temperature", "measurement":14}' },
      { key: 'x', value: '{"note":"calibration"}' },
      { key: '2', value: '{"iot_id":2, "metric":"Humidity", "measurement":60}' },
    ]);
    receiver = await startReceiver();
    const definition = await loadPipeline(join(process.cwd(), 'pipelines', 'iot_measurements_enriched.ts'));
    const name = `enriched_${topic}`;
    running = await startPipeline(
      { ...definition, connector: { ...definition.connector, name, topics: topic } },
      { env: { KAFKA_BOOTSTRAP_SERVERS: bootstrap(), SERVER_URL: receiver.url }, log: captureLog().log },
    );
    await receiver.waitForAccepted(1, 30_000);
    await running.stop();
    expect(JSON.parse(receiver.requests.map((r) => r.body.toString()).join(''))).toEqual([
      { iot_id: 1, metric: 'Temperature', measurement: 14, unit: 'Cel' },
      { iot_id: 2, metric: 'Humidity', measurement: 60, unit: '%RH' },
    ]);
    expect(await committed(name, topic, 1)).toEqual([3]);
  });

  it('exits 2 with one line naming the key when the connector file is bad, before connecting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'connector-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'bad', topics: 't', 'http.authorization.type': 'none' }));
    const result = await runCli(file, { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^config error: http\.url: is required/)]);

    const missing = await runCli('no_such_pipeline', {});
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toMatch(/^config error: no pipeline named no_such_pipeline in .*pipelines/);
  });

  it('exits 1 when the endpoint refuses a record, with one line naming it and saying what to do', async () => {
    const topic = await freshTopic('cli_refused', 1);
    await produce(bootstrap(), topic, [{ value: 'bad' }]);
    receiver = await startReceiver({ respond: () => ({ status: 400, body: 'no such field' }) });
    const file = join(mkdtempSync(join(tmpdir(), 'connector-')), 'http_sink.json');
    writeFileSync(file, JSON.stringify(baseConnector(`cli_refused_${topic}`, topic, receiver.url)));
    const result = await runCli(file, { KAFKA_BOOTSTRAP_SERVERS: bootstrap() });
    expect(result.code).toBe(1);
    const errorLines = result.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errorLines).toEqual([
      `error: delivery failed for topic ${topic} partition 0 offset 0 after 1 attempt(s): HTTP 400: no such field (what to do: the endpoint refused these records (HTTP 400): fix the records or the endpoint, or set errors.tolerance=all with errors.deadletterqueue.topic.name to park such records and go on; a restart resumes from the first record not delivered)`,
    ]);
    expect(await committed(`cli_refused_${topic}`, topic, 1)).toEqual([-1001]);
  });

  it('runs a connector file until SIGTERM, then commits and exits 0', async () => {
    const topic = await freshTopic('cli', 1);
    await produce(bootstrap(), topic, [{ value: 'one' }, { value: 'two' }]);
    receiver = await startReceiver();
    const dir = mkdtempSync(join(tmpdir(), 'connector-'));
    const file = join(dir, 'http_sink.json');
    const name = `cli_${topic}`;
    writeFileSync(file, JSON.stringify({ ...baseConnector(name, topic, '${env:SERVER_URL}') }));
    const result = await runCli(file, { KAFKA_BOOTSTRAP_SERVERS: bootstrap(), SERVER_URL: receiver.url }, async (child) => {
      await receiver!.waitForAccepted(2, 30_000);
      await eventually(async () => (await committed(name, topic, 1))[0] === 2, 10_000, 'offsets committed while running');
      child.kill('SIGTERM');
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('pipeline stopped cleanly');
    expect(receiver.requests.map((r) => r.body.toString())).toEqual(['one', 'two']);
  });

  it('closes the consumer, dead-letter producer and HTTP agent when build() throws: a second start of the connector delivers at once', async () => {
    const topic = await freshTopic('build_throws', 1);
    await produce(bootstrap(), topic, [{ key: '1', value: 'a' }, { key: '2', value: 'b' }]);
    receiver = await startReceiver();
    const connector = { ...baseConnector(`build_throws_${topic}`, topic, receiver.url), 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': `${topic}_dlq` };
    const env = { KAFKA_BOOTSTRAP_SERVERS: bootstrap() };
    const captured = captureLog();
    const broken = startPipeline(definePipeline({ connector, build: () => { throw new Error('build failed on purpose'); } }), { env, log: captured.log });
    await expect(broken).rejects.toThrow('build failed on purpose');
    expect(captured.lines.some((l) => l.includes('kafka source closed'))).toBe(true);
    // A consumer left behind stays in the group without polling: the next one would wait for it (minutes), not deliver.
    running = await startPipeline(definePipeline({ connector }), { env, log: captureLog().log });
    await receiver.waitForAccepted(2, 20_000);
    expect(receiver.accepted.map((r) => r.body.toString()).sort()).toEqual(['a', 'b']);
  });
});

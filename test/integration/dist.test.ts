/**
 * The compiled build, as it ships: `node bin/kafka-http-sink.mjs run <file>` running dist/ (no TypeScript loader for
 * the product; tsx only for a .ts pipeline), end to end on the seed's files. Fails when dist/ is missing or older
 * than src/ (`npm run build`; `npm ci` builds through `prepare`, and `npm test` builds before testing).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createTopic, endOffsets, produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { bootstrap, committed, eventually } from '../support/harness.js';
import { type NodeRun, runNode } from '../support/spawn-node.js';

const TOPIC = 'iot_measurements'; // the seed's topic, as both pipeline files name it
const SEED = [
  { key: '1', value: '{"iot_id":1, "metric":"Temperature", "measurement":14}' },
  { key: '2', value: '{"iot_id":2, "metric":"Humidity", "measurement":60}' },
  { key: '1', value: '{"iot_id":1, "metric":"Temperature", "measurement":16}' },
];

/** Every file under src/ that dist/ must hold, paired with its compiled counterpart. */
function sourcesAndOutputs(): Array<{ source: string; output: string }> {
  return readdirSync('src', { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const source = join(entry.parentPath, entry.name);
      const output = join('dist', relative('src', source)).replace(/\.ts$/, '.js');
      return { source, output };
    });
}

/** `kafka-http-sink run <file>` from dist/ (KAFKA_HTTP_SINK_FROM_SOURCE=0: jest.config.js sets 1 for every other test). */
function runDist(file: string, env: Record<string, string>, whileRunning: (stop: () => void) => Promise<void>, nodeArgs: readonly string[] = []): Promise<NodeRun> {
  return runNode([...nodeArgs, 'bin/kafka-http-sink.mjs', 'run', file], { ...env, KAFKA_HTTP_SINK_FROM_SOURCE: '0', LOG_LEVEL: 'info' }, (child) =>
    whileRunning(() => child.kill('SIGTERM')),
  );
}

describe('the compiled dist/', () => {
  let receiver: Receiver | undefined;
  let from = 0; // the topic's end offset before this test's records
  beforeAll(() => {
    const missing = sourcesAndOutputs().filter(({ output }) => !existsSync(output));
    expect(missing.map(({ output }) => `${output} is missing: run npm run build`)).toEqual([]);
    const stale = sourcesAndOutputs().filter(({ source, output }) => statSync(output).mtimeMs < statSync(source).mtimeMs);
    expect(stale.map(({ source, output }) => `${output} is older than ${source}: run npm run build`)).toEqual([]);
  });
  afterEach(async () => {
    await receiver?.close();
  });

  it('runs the seed file pipelines/iot_measurements_sink.json: POSTs the three values in order, commits, exits 0 on SIGTERM, never loads a package the file does not need', async () => {
    await createTopic(bootstrap(), TOPIC, 1);
    [from] = (await endOffsets(bootstrap(), TOPIC, 1)) as [number];
    await produce(bootstrap(), TOPIC, SEED);
    receiver = await startReceiver();
    const run = await runDist('pipelines/iot_measurements_sink.json', { KAFKA_BOOTSTRAP_SERVERS: bootstrap(), SERVER_URL: `${receiver.url}/ingest` }, async (stop) => {
      await receiver!.waitForAccepted(from + SEED.length, 30_000);
      await eventually(async () => (await committed('iot_measurements_sink', TOPIC, 1))[0] === from + SEED.length, 15_000, 'the commit of offset 3');
      stop();
    }, ['--import', './test/support/log-packages.mjs']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('pipeline stopped cleanly');
    expect(receiver.requests.slice(-SEED.length).map((r) => `${r.method} ${r.path} ${r.body.toString()}`)).toEqual(SEED.map((r) => `POST /ingest ${r.value}`));
    // Loaded on first use only (docs/performance.md): the registry's, OAuth2's and the got transport's HTTP client,
    // Avro, Protobuf, key store readers, and the worker's metrics.
    const loaded = new Set([...run.stderr.matchAll(/^package loaded: (\S+)$/gm)].map((m) => m[1]));
    expect(loaded).toContain('node-rdkafka');
    expect(['got', 'avsc', 'protobufjs', 'node-forge', 'jks-js', 'prom-client'].filter((name) => loaded.has(name))).toEqual([]);
  });

  it("runs the .ts example pipeline, whose `import ... from 'kafka-http-sink'` resolves to dist/ itself", async () => {
    receiver = await startReceiver();
    const end = from + SEED.length;
    const run = await runDist('pipelines/iot_measurements_enriched.ts', { KAFKA_BOOTSTRAP_SERVERS: bootstrap(), SERVER_URL: receiver.url }, async (stop) => {
      await eventually(async () => (await committed('iot_measurements_enriched', TOPIC, 1))[0] === end, 30_000, `the commit of offset ${end}`);
      stop();
    });
    expect(run.code).toBe(0);
    const measurements = receiver.requests.flatMap((r) => JSON.parse(r.body.toString()) as unknown[]);
    expect(measurements.slice(-SEED.length)).toEqual([
      { iot_id: 1, metric: 'Temperature', measurement: 14, unit: 'Cel' },
      { iot_id: 2, metric: 'Humidity', measurement: 60, unit: '%RH' },
      { iot_id: 1, metric: 'Temperature', measurement: 16, unit: 'Cel' },
    ]);
  });
});

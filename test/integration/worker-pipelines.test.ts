/** Worker mode runs the connector files of its pipelines directory: the project's own, and a user's. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { Worker } from '../../src/worker/worker.js';
import { captureLog, bootstrap, committed, eventually, freshTopic } from '../support/harness.js';
import { call, closeAfterEach, startTestWorker, stateOf } from '../support/worker-client.js';

const SEED_FILE = 'pipelines/iot_measurements_sink.json';

describe('worker with a pipelines directory', () => {
  let worker: Worker | undefined;
  let receiver: Receiver | undefined;
  closeAfterEach(() => [worker, receiver], () => (worker = receiver = undefined));

  it("runs the project's pipelines/ (the seed's .json and the .ts pipeline) as connectors", async () => {
    receiver = await startReceiver();
    worker = await startTestWorker({ pipelinesDir: 'pipelines' }, { SERVER_URL: receiver.url });

    expect(((await call(worker.url, 'GET', '/connectors')).body as string[]).sort()).toEqual(['iot_measurements_enriched', 'iot_measurements_sink']);
    for (const name of ['iot_measurements_sink', 'iot_measurements_enriched']) {
      await eventually(async () => (await stateOf(worker!.url, name)) === 'RUNNING', 30_000, `${name} RUNNING`);
    }
  });

  it("delivers through a user's connector file and skips a second file that reuses its name, saying why", async () => {
    const topic = await freshTopic('worker_files', 1);
    const name = `files_${topic}`;
    const dir = mkdtempSync(join(tmpdir(), 'pipelines-'));
    // The seed's file as a user would copy it, on this test's topic.
    const seed = { ...(JSON.parse(readFileSync(SEED_FILE, 'utf8')) as Record<string, unknown>), name, topics: topic };
    writeFileSync(join(dir, 'a_sink.json'), JSON.stringify(seed));
    writeFileSync(join(dir, 'b_copy.json'), JSON.stringify({ ...seed, topics: 'elsewhere' }));
    receiver = await startReceiver();
    const captured = captureLog();
    worker = await startTestWorker({ pipelinesDir: dir }, { SERVER_URL: receiver.url }, captured);

    expect((await call(worker.url, 'GET', '/connectors')).body).toEqual([name]);
    expect(captured.lines.join('')).toContain(`connector name ${name} is taken by a_sink.json`);
    await eventually(async () => (await stateOf(worker!.url, name)) === 'RUNNING', 30_000, 'RUNNING');
    await produce(bootstrap(), topic, [{ key: '1', value: '{"iot_id":1, "metric":"Temperature", "measurement":14}' }]);
    await receiver.waitForAccepted(1, 30_000);
    expect(receiver.accepted[0]!.body.toString()).toBe('{"iot_id":1, "metric":"Temperature", "measurement":14}');
    await worker.close();
    worker = undefined;
    expect(await committed(name, topic, 1)).toEqual([1]);
  });
});

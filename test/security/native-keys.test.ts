/**
 * The attacker can call the worker's REST API and tries to make it run code through librdkafka: keys whose names
 * end in a NUL ("kafka.ssl.providers\u0000") pass a filter that reads JavaScript strings, and node-rdkafka cuts them
 * into librdkafka's `ssl.providers`, `ssl.engine.location` or `plugin.library.paths`. A shared library built here
 * with cc writes a marker file from its constructor: it must never be written, every attempt answers 400 naming the
 * key, and the worker goes on serving its other connectors. Real broker, real receiver, worker on 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { bootstrap, eventually, freshTopic } from '../support/harness.js';
import { call, startTestWorker, stateOf, tempStateDir } from '../support/worker-client.js';
import type { Worker } from '../../src/worker/worker.js';
import { workerOptions } from '../../src/worker/worker-config.js';

const VALIDATE = '/connector-plugins/HttpSinkConnector/config/validate';

/** A shared library whose constructor writes `marker`, as an attacker would hand to OpenSSL or librdkafka. */
function buildMarkerLibrary(dir: string, marker: string): string {
  const source = join(dir, 'marker.c');
  writeFileSync(source, `#include <stdio.h>\n__attribute__((constructor)) static void ran(void) { FILE *f = fopen(${JSON.stringify(marker)}, "w"); if (f) { fputs("ran\\n", f); fclose(f); } }\n`);
  const library = join(dir, 'marker.so');
  execFileSync('cc', ['-shared', '-fPIC', '-o', library, source]);
  return library;
}

describe('an API client naming a library through a key that ends in a NUL', () => {
  let dir: string;
  let marker: string;
  let library: string;
  let worker: Worker | undefined;
  let receiver: Receiver | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'native-keys-'));
    marker = join(dir, 'marker-written');
    library = buildMarkerLibrary(dir, marker);
  });
  afterAll(async () => {
    await worker?.close();
    await receiver?.close();
  });

  it('is refused with a 400 naming the key (create, PUT, validate, and a kept config fails), and the library never loads', async () => {
    const topic = await freshTopic('native_keys', 1);
    receiver = await startReceiver();
    const connector = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      name, 'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector', topics: topic, 'http.url': receiver!.url, 'http.authorization.type': 'none',
      // a dead-letter topic, so that the producer is created too
      'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': `${topic}_dlq`, ...extra,
    });
    const attacks: Record<string, unknown>[] = [
      { 'kafka.security.protocol': 'SSL', 'kafka.ssl.providers\u0000': library },
      { 'consumer.override.security.protocol': 'SSL', 'consumer.override.ssl.providers\u0000': library },
      { 'producer.override.security.protocol': 'SSL', 'producer.override.ssl.engine.location\u0000': library },
      { 'kafka.plugin.library.paths\u0000': library },
      { 'kafka.security.protocol': 'SSL', 'kafka.ssl.providers\u0000\u0000x': library },
    ];
    // The worker allows the file provider for the directory the library is in: only the NUL trick stands between.
    const providers = workerOptions({ WORKER_CONFIG_PROVIDERS: 'env,file', WORKER_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: dir }).providers;
    const stateDir = tempStateDir();
    const kept = connector(`kept_${topic}`, attacks[0]);
    writeFileSync(join(stateDir, 'connectors.json'), JSON.stringify({ version: 1, connectors: { [`kept_${topic}`]: { config: kept, paused: false } } }), { mode: 0o600 });
    worker = await startTestWorker({ providers, stateDir });

    for (const [i, attack] of attacks.entries()) {
      const key = Object.keys(attack).find((k) => k.includes('\0'))!;
      const shown = key.replaceAll('\0', '\\u0000');
      const name = `attack${i}_${topic}`;
      for (const [method, path] of [['POST', '/connectors'], ['PUT', `/connectors/${name}/config`]] as const) {
        const answer = await call(worker.url, method, path, connector(name, attack));
        expect(answer.status).toBe(400);
        expect((answer.body as { message: string }).message).toContain(`${shown}: the name holds a control character (a NUL would end it where librdkafka reads it)`);
      }
      const validated = await call(worker.url, 'PUT', VALIDATE, connector(name, attack));
      const info = (validated.body as { configs: { value: { name: string; errors: string[] } }[] }).configs.find((c) => c.value.name === key);
      expect(info?.value.errors).toEqual([expect.stringContaining('the name holds a control character')]);
    }
    expect((await call(worker.url, 'GET', '/connectors')).body).toEqual([`kept_${topic}`]);

    // The connector kept in the state file fails at start, naming the key; nothing of it reached librdkafka.
    await eventually(async () => (await stateOf(worker!.url, `kept_${topic}`)) === 'FAILED', 30_000, 'kept connector FAILED');
    const status = await call(worker.url, 'GET', `/connectors/kept_${topic}/status`);
    expect((status.body as { tasks: { trace: string }[] }).tasks[0]!.trace).toContain('kafka.ssl.providers\\u0000: the name holds a control character');

    // The worker serves other connectors meanwhile.
    const good = `good_${topic}`;
    expect((await call(worker.url, 'POST', '/connectors', connector(good))).status).toBe(201);
    await produce(bootstrap(), topic, [{ key: '1', value: '{"n":1}' }, { key: '2', value: '{"n":2}' }]);
    await receiver.waitForAccepted(2, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(existsSync(marker)).toBe(false);
  });
});

/**
 * Aiven's `http.ssl.truststore.*` keys with a JKS and a PKCS12 trust store made by keytool in the test: the HTTPS
 * endpoint is verified through them; a wrong password stops `validate` with exit 2 naming the key.
 * (Kafka's `kafka.ssl.truststore.*` / `keystore.*` run in kafka-connection-errors.test.ts, which has a TLS broker.)
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { STORE_PASSWORD, storesForSuite } from '../support/key-stores.js';
import { baseConnector, bootstrap, freshTopic, runConnector } from '../support/harness.js';
import { runNode } from '../support/spawn-node.js';

describe('trust stores for the HTTPS endpoint', () => {
  const keys = storesForSuite();
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;

  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await receiver?.close();
    receiver = undefined;
  });

  const cases: [string, 'trustJks' | 'trustP12', string | undefined][] = [
    ['JKS', 'trustJks', 'JKS'],
    ['PKCS12', 'trustP12', 'PKCS12'],
    ['PKCS12 without a type key (told by content)', 'trustP12', undefined],
  ];
  it.each(cases)('a %s trust store verifies the endpoint\'s certificate', async (_what, which, type) => {
    const topic = await freshTopic('truststore', 1);
    await produce(bootstrap(), topic, [{ value: 'one' }, { value: 'two' }]);
    receiver = await startReceiver({ tls: { cert: readFileSync(keys.certs.serverCertFile), key: readFileSync(keys.certs.serverKeyFile) } });
    running = await runConnector({
      ...baseConnector(`ts_${topic}`, topic, receiver.url),
      'http.ssl.truststore.location': keys.stores[which],
      'http.ssl.truststore.password': STORE_PASSWORD,
      ...(type ? { 'http.ssl.truststore.type': type } : {}),
    });
    await receiver.waitForAccepted(2, 30_000);
    expect(receiver.accepted.map((r) => r.body.toString())).toEqual(['one', 'two']);
  });

  it('a trust store without the endpoint\'s CA does not verify it', async () => {
    const topic = await freshTopic('truststore_other', 1);
    await produce(bootstrap(), topic, [{ value: 'x' }]);
    // A store holding only the other CA.
    const otherStore = join(keys.certs.dir, 'other-trust.p12');
    execFileSync('keytool', ['-importcert', '-noprompt', '-alias', 'other', '-file', keys.certs.otherCaFile, '-keystore', otherStore, '-storetype', 'PKCS12', '-storepass', STORE_PASSWORD], { stdio: 'ignore', timeout: 60_000 });
    receiver = await startReceiver({ tls: { cert: readFileSync(keys.certs.serverCertFile), key: readFileSync(keys.certs.serverKeyFile) } });
    running = await runConnector({ ...baseConnector(`tso_${topic}`, topic, receiver.url), 'http.ssl.truststore.location': otherStore, 'http.ssl.truststore.password': STORE_PASSWORD, 'max.retries': 0 });
    await expect(running.done).rejects.toThrow(/UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('a wrong trust store password: validate exits 2 with one line naming the key, never the password', async () => {
    const file = join(keys.certs.dir, 'wrong-password.json');
    const wrong = 'not-the-store-password-31';
    writeFileSync(file, JSON.stringify({
      ...baseConnector('wrong_pw', 't', 'https://127.0.0.1:9/in'),
      'http.ssl.truststore.location': keys.stores.trustJks,
      'http.ssl.truststore.password': wrong,
    }));
    const run = await runNode(['bin/kafka-http-sink.mjs', 'validate', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/http\.ssl\.truststore\.password: does not open .*trust\.JKS \(wrong password, or the store is damaged\)/);
    expect(run.stdout + run.stderr).not.toContain(wrong);
  });
});

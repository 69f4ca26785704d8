/**
 * Confluent connector files on the worker (created through the REST API as Confluent's docs do it) and with
 * Confluent's TLS keys (JKS trust store, PKCS12 key store for mutual TLS).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Worker } from '../../src/worker/worker.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { STORE_PASSWORD, storesForSuite } from '../support/key-stores.js';
import { bootstrap, committedIs, eventually, freshTopic, runConnector } from '../support/harness.js';
import { call, closeAfterEach, startTestWorker } from '../support/worker-client.js';
import { CONFLUENT_CLASS as CLASS, confluentConfig } from '../support/confluent.js';

describe('Confluent connectors on the worker', () => {
  let worker: Worker | undefined;
  let receiver: Receiver | undefined;
  closeAfterEach(() => [worker, receiver], () => (worker = receiver = undefined));

  it('lists both plugins, validates with Confluent\'s keys, runs a created connector and never shows its secrets', async () => {
    const topic = await freshTopic('cf_worker', 1);
    await produce(bootstrap(), topic, [{ key: 'k', value: 'via-worker' }]);
    receiver = await startReceiver();
    worker = await startTestWorker();
    const plugins = (await call(worker.url, 'GET', '/connector-plugins')).body as { class: string }[];
    expect(plugins.map((p) => p.class)).toContain(CLASS);
    const config = confluentConfig(topic, receiver.url, { 'auth.type': 'BASIC', 'connection.user': 'svc', 'connection.password': 'pw-9d2f' });
    const validated = (await call(worker.url, 'PUT', `/connector-plugins/${CLASS}/config/validate`, { name: 'cf', ...config, 'request.method': 'GET' })).body as { name: string; error_count: number; configs: { definition: { name: string }; value: { errors: string[] } }[] };
    expect(validated).toMatchObject({ name: CLASS, error_count: 1 });
    expect(validated.configs.find((c) => c.definition.name === 'request.method')!.value.errors).toHaveLength(1);

    const name = `cf_worker_${topic}`;
    expect((await call(worker.url, 'POST', '/connectors', { name, config })).status).toBe(201);
    await eventually(() => committedIs(name, topic, 1), 30_000, 'the record committed');
    expect(receiver.accepted.map((r) => [r.body.toString(), r.headers.authorization])).toEqual([['via-worker', `Basic ${Buffer.from('svc:pw-9d2f').toString('base64')}`]]);
    const shown = await call(worker.url, 'GET', `/connectors/${name}/config`);
    expect(shown.text).not.toContain('pw-9d2f');
    expect((shown.body as Record<string, string>)['connection.password']).toBe('[redacted]');
  });

  it('runs a Confluent .properties file from its pipelines directory', async () => {
    const topic = await freshTopic('cf_worker_file', 1);
    await produce(bootstrap(), topic, [{ key: 'k', value: 'from-file' }]);
    receiver = await startReceiver();
    const dir = mkdtempSync(join(tmpdir(), 'cf-pipelines-'));
    const name = `cf_worker_file_${topic}`;
    const lines = Object.entries({ name, ...confluentConfig(topic, `${receiver.url}/in`) }).map(([key, value]) => `${key}=${value}`);
    writeFileSync(join(dir, 'http-sink.properties'), `# as Confluent's quick start writes it\n${lines.join('\n')}\n`);
    worker = await startTestWorker({ pipelinesDir: dir });
    await eventually(() => committedIs(name, topic, 1), 30_000, 'the record committed');
    expect(receiver.accepted.map((r) => [r.path, r.body.toString()])).toEqual([['/in', 'from-file']]);
  });
});

describe('Confluent TLS keys', () => {
  const keys = storesForSuite();
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    await receiver?.close();
    running = receiver = undefined;
  });

  it('ssl.enabled with a JKS trust store and a PKCS12 key store: mutual TLS, TLSv1.3 only', async () => {
    const topic = await freshTopic('cf_tls', 1);
    await produce(bootstrap(), topic, [{ key: 'k', value: 'secure' }]);
    receiver = await startReceiver({
      tls: { cert: readFileSync(keys.certs.serverCertFile), key: readFileSync(keys.certs.serverKeyFile), ca: keys.certs.ca, requestCert: true, rejectUnauthorized: true },
    });
    const name = `cf_tls_${topic}`;
    running = await runConnector({
      name,
      ...confluentConfig(topic, receiver.url, {
        'ssl.enabled': 'true',
        'https.ssl.truststore.location': keys.stores.trustJks,
        'https.ssl.truststore.password': STORE_PASSWORD,
        'https.ssl.truststore.type': 'JKS',
        'https.ssl.keystore.location': keys.stores.keyP12,
        'https.ssl.keystore.password': STORE_PASSWORD,
        'https.ssl.keystore.type': 'PKCS12',
        'https.ssl.enabled.protocols': 'TLSv1.3',
      }),
    });
    await eventually(() => committedIs(name, topic, 1), 30_000, 'the record committed');
    expect(receiver.accepted.map((r) => [r.body.toString(), r.clientCertificate])).toEqual([['secure', 'sink-client']]);
  });

  it('https.ssl.cipher.suites (Java names) limits the suites offered: none in common with the endpoint, no request', async () => {
    const topic = await freshTopic('cf_ciphers', 1);
    await produce(bootstrap(), topic, [{ key: 'k', value: 'x' }]);
    const tls = { cert: readFileSync(keys.certs.serverCertFile), key: readFileSync(keys.certs.serverKeyFile), maxVersion: 'TLSv1.2' as const, ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' };
    receiver = await startReceiver({ tls });
    const stores = { 'https.ssl.truststore.location': keys.certs.caFile, 'https.ssl.truststore.type': 'PEM', 'https.ssl.enabled.protocols': 'TLSv1.2', 'max.retries': '0' };
    running = await runConnector({ name: `cf_ciphers_${topic}`, ...confluentConfig(topic, receiver.url, { 'ssl.enabled': 'true', ...stores, 'https.ssl.cipher.suites': 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' }) });
    await expect(running.done).rejects.toThrow(/handshake|cipher|alert/i);
    running = undefined;
    expect(receiver.requests).toHaveLength(0);
    await receiver.close();
    // The same suite named on both sides: delivered.
    receiver = await startReceiver({ tls });
    const name = `cf_ciphers_ok_${topic}`;
    running = await runConnector({ name, ...confluentConfig(topic, receiver.url, { 'ssl.enabled': 'true', ...stores, 'https.ssl.cipher.suites': 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }) });
    await eventually(() => committedIs(name, topic, 1), 30_000, 'the record committed');
  });
});

/**
 * Confluent's reporter clients (`reporter.producer.*`, `reporter.admin.*`, `reporter.bootstrap.servers`) are built by
 * the same client builder as the connector's consumer and dead-letter producer (regression: they bypassed it, so a
 * Java trust store reached librdkafka as a store path, and a connector from the API could name any local file).
 */
import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NO_PROVIDERS } from '../../src/common/config/providers.js';
import { connectorSettings } from '../../src/connector/connector-config.js';
import { providerPolicy } from '../../src/worker/worker-config.js';
import { makeTestCerts } from '../support/certs.js';
import { configErrorOf } from './fakes.js';

const env = { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092' };
const config = {
  name: 'n',
  'connector.class': 'io.confluent.connect.http.HttpSinkConnector',
  topics: 't',
  'http.api.url': 'http://127.0.0.1/x',
  'reporter.result.topic.name': 'ok',
  'reporter.error.topic.name': 'errors',
  'reporter.bootstrap.servers': '127.0.0.1:19092',
};

describe('Confluent reporter clients', () => {
  it('map Java names and read Java trust stores as the other clients do; the admin takes only its own keys', () => {
    const certs = makeTestCerts();
    const { reporter, source } = connectorSettings({ ...config, 'reporter.producer.linger.ms': '7', 'reporter.admin.ssl.truststore.type': 'PEM', 'reporter.admin.ssl.truststore.location': certs.caFile, 'reporter.admin.security.protocol': 'SSL' }, env);
    expect(reporter.producer).toMatchObject({ 'bootstrap.servers': '127.0.0.1:19092', 'linger.ms': '7' });
    expect(reporter.admin).toMatchObject({ 'bootstrap.servers': '127.0.0.1:19092', 'security.protocol': 'SSL' });
    expect(String(reporter.admin!['ssl.ca.pem'])).toContain('BEGIN CERTIFICATE');
    expect(reporter.admin).not.toHaveProperty('ssl.truststore.location');
    expect(reporter.admin).not.toHaveProperty('linger.ms');
    expect(source.producer['bootstrap.servers']).toBe('127.0.0.1:9092'); // the dead-letter producer keeps the connector's brokers
  });

  it('for a connector from the API, allow a file under the allowed paths and refuse another, by its key, as for other clients', () => {
    const allowed = makeTestCerts();
    const outside = join(makeTestCerts().dir, 'reporter-ca.pem');
    writeFileSync(outside, 'not a certificate');
    const fromApi = providerPolicy('file', allowed.dir, null);
    for (const key of ['reporter.admin.ssl.ca.location', 'reporter.producer.ssl.ca.location']) {
      const client = key.startsWith('reporter.admin.') ? 'admin' : 'producer';
      const accepted = connectorSettings({ ...config, [key]: allowed.caFile }, env, fromApi).reporter[client]!;
      expect(String(accepted['ssl.ca.pem'])).toContain('BEGIN CERTIFICATE'); // read, as the connector's other clients read it
      const error = configErrorOf(() => connectorSettings({ ...config, [key]: outside }, env, fromApi));
      expect([error.key, error.message]).toEqual([key, expect.stringMatching(/allowed paths/)]);
      expect(configErrorOf(() => connectorSettings({ ...config, [key]: allowed.caFile }, env, NO_PROVIDERS)).key).toBe(key);
    }
  });
});

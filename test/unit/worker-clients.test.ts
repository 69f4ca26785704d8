/**
 * The worker file's settings for its connectors' Kafka clients: what each client gets and in which order (worker
 * file, then the connector's kafka.*, then its overrides), and the override policy.
 */
import { describe, expect, it } from '@jest/globals';
import { connectorSettings } from '../../src/connector/connector-config.js';
import { workerClients, workerOwnClientProperties } from '../../src/source/worker-clients.js';
import { workerFileWarnings, workerOptions } from '../../src/worker/worker-config.js';
import { configErrorOf as errorOf } from './fakes.js';

const connector = (extra: Record<string, string> = {}) => ({
  name: 'orders-sink',
  'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector',
  topics: 'orders',
  'http.url': 'http://127.0.0.1:1/',
  'http.authorization.type': 'none',
  ...extra,
});
const ENV = { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1' };

describe('worker clients', () => {
  it('gives every consumer and producer the file\'s broker and security keys, then consumer.* / producer.*', () => {
    const clients = workerClients(
      {
        'bootstrap.servers': 'kafka-1:19092',
        'security.protocol': 'SASL_SSL',
        'sasl.mechanism': 'PLAIN',
        'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="worker" password="s3cret";',
        'consumer.fetch.max.wait.ms': '50',
        'consumer.max.poll.records': '100',
        'producer.linger.ms': '5',
        'producer.security.protocol': 'SASL_PLAINTEXT',
      },
      ENV,
    );
    const { source } = connectorSettings(connector(), ENV, undefined, clients);
    expect({ ...source.rdkafka }).toEqual({
      'bootstrap.servers': 'kafka-1:19092',
      'security.protocol': 'SASL_SSL',
      'sasl.mechanism': 'PLAIN',
      'sasl.username': 'worker',
      'sasl.password': 's3cret',
      'fetch.wait.max.ms': '50',
    });
    expect(source.pollMaxRecords).toBe(100);
    expect({ ...source.producer }).toMatchObject({ 'bootstrap.servers': 'kafka-1:19092', 'security.protocol': 'SASL_PLAINTEXT', 'linger.ms': '5' });
    expect(source.producer['fetch.wait.max.ms']).toBeUndefined();
  });

  it('lets the connector\'s kafka.* and then its overrides win over the worker file (policy All, the default)', () => {
    const clients = workerClients({ 'bootstrap.servers': 'kafka-1:19092', 'consumer.fetch.max.wait.ms': '50', 'consumer.client.id': 'w' }, ENV);
    const { source } = connectorSettings(connector({ 'kafka.fetch.wait.max.ms': '20', 'kafka.client.id': 'k', 'consumer.override.client.id': 'o' }), ENV, undefined, clients);
    expect(source.rdkafka).toMatchObject({ 'bootstrap.servers': 'kafka-1:19092', 'fetch.wait.max.ms': '20', 'client.id': 'o' });
  });

  it('falls back to KAFKA_BOOTSTRAP_SERVERS only without a worker file, or a file without bootstrap.servers', () => {
    expect(connectorSettings(connector(), ENV).source.rdkafka['bootstrap.servers']).toBe('127.0.0.1:1');
    expect(workerOptions(ENV, {}, {}).clients).toBeUndefined();
    expect(workerOptions(ENV, {}, { 'rest.port': '8083' }).clients?.bootstrapServers).toBe('127.0.0.1:1');
    expect(workerOptions(ENV, {}, { 'bootstrap.servers': 'kafka-1:19092' }).clients?.bootstrapServers).toBe('kafka-1:19092');
  });

  it('None refuses every client key of a connector; Principal allows only the principal\'s, naming key and policy', () => {
    const none = workerClients({ 'connector.client.config.override.policy': 'None' }, ENV);
    expect(errorOf(() => connectorSettings(connector({ 'kafka.bootstrap.servers': 'evil:9092' }), ENV, undefined, none))).toMatchObject({
      key: 'kafka.bootstrap.servers',
      message: expect.stringContaining('connector.client.config.override.policy=None'),
    });
    const principal = workerClients({ 'connector.client.config.override.policy': 'org.apache.kafka.connect.connector.policy.PrincipalConnectorClientConfigOverridePolicy' }, ENV);
    expect(principal.policy).toBe('Principal');
    const jaas = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="c" password="p";';
    const allowed = connectorSettings(connector({ 'consumer.override.sasl.jaas.config': jaas, 'producer.override.security.protocol': 'SASL_SSL', 'kafka.sasl.mechanisms': 'PLAIN' }), ENV, undefined, principal);
    expect(allowed.source.rdkafka).toMatchObject({ 'sasl.username': 'c', 'sasl.mechanisms': 'PLAIN' });
    expect(errorOf(() => connectorSettings(connector({ 'producer.override.linger.ms': '1' }), ENV, undefined, principal))).toMatchObject({
      key: 'producer.override.linger.ms',
      message: expect.stringContaining('Principal'),
    });
  });

  it('refuses an unknown policy and a worker client key the sink manages, naming the key', () => {
    expect(errorOf(() => workerClients({ 'connector.client.config.override.policy': 'com.example.MyPolicy' }, ENV))).toMatchObject({ key: 'connector.client.config.override.policy' });
    expect(errorOf(() => workerClients({ 'consumer.enable.auto.commit': 'true' }, ENV))).toMatchObject({ key: 'consumer.enable.auto.commit' });
  });

  it('no longer warns of consumer.* / producer.* / the policy; admin.* is warned of with a reason', () => {
    const warnings = workerFileWarnings({ 'consumer.fetch.max.wait.ms': '50', 'producer.linger.ms': '5', 'connector.client.config.override.policy': 'All', 'admin.retries': '3' });
    expect(warnings).toEqual([expect.stringMatching(/^worker file key admin\.retries is ignored: the one topic a connector creates/)]);
  });

  it('gives the worker\'s own clients librdkafka properties of the broker and security keys only', () => {
    const clients = workerClients(
      {
        'bootstrap.servers': 'kafka-1:19092',
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'SCRAM-SHA-256',
        'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="w" password="p";',
        'consumer.fetch.max.wait.ms': '50',
        'producer.linger.ms': '5',
      },
      ENV,
    );
    const properties = workerOwnClientProperties(clients);
    expect({ ...properties }).toEqual({ 'bootstrap.servers': 'kafka-1:19092', 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'SCRAM-SHA-256', 'sasl.username': 'w', 'sasl.password': 'p' });
    expect(JSON.stringify(properties)).not.toContain('"p"');
  });
});

/**
 * `consumer.override.*` / `producer.override.*` (Kafka Connect's per-connector client overrides, Java property names)
 * as the librdkafka properties the consumer and the dead-letter producer get, and the Java-only ones refused.
 */
import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { overrideProperties } from '../../src/source/client-overrides.js';
import { classifyClientError, normalizeClientError } from '../../src/source/client-errors.js';
import { kafkaSourceOptions } from '../../src/source/kafka-config.js';
import type { ConfigValues } from '../../src/common/config/spec.js';
import { configErrorOf as errorOf } from './fakes.js';

const values = { optionalString: (key: string) => (key === 'topics' ? 'orders' : undefined), number: () => 1000 } as unknown as ConfigValues;
const source = (passthrough: Record<string, string>) => kafkaSourceOptions('orders-sink', values, passthrough, { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092' });

describe('consumer and producer overrides', () => {
  it('maps Java consumer properties onto librdkafka properties of the same meaning', () => {
    const options = source({
      'kafka.security.protocol': 'SSL',
      'consumer.override.auto.offset.reset': 'latest',
      'consumer.override.fetch.max.bytes': '1048576',
      'consumer.override.fetch.max.wait.ms': '50',
      'consumer.override.isolation.level': 'read_committed',
      'consumer.override.client.id': 'orders-sink-1',
      'consumer.override.request.timeout.ms': '20000',
      'consumer.override.receive.buffer.bytes': '65536',
      'consumer.override.partition.assignment.strategy': 'org.apache.kafka.clients.consumer.RoundRobinAssignor',
      'consumer.override.ssl.endpoint.identification.algorithm': '',
    });
    expect({ ...options.rdkafka }).toEqual({
      'bootstrap.servers': '127.0.0.1:9092',
      'security.protocol': 'SSL',
      'auto.offset.reset': 'latest',
      'fetch.max.bytes': '1048576',
      'fetch.wait.max.ms': '50',
      'isolation.level': 'read_committed',
      'client.id': 'orders-sink-1',
      'socket.timeout.ms': '20000',
      'socket.receive.buffer.bytes': '65536',
      'partition.assignment.strategy': 'roundrobin',
      'ssl.endpoint.identification.algorithm': 'none',
    });
    // Consumer overrides stay off the producer, which keeps the shared kafka.* ones.
    expect({ ...options.producer }).toEqual({ 'bootstrap.servers': '127.0.0.1:9092', 'security.protocol': 'SSL' });
  });

  it('max.poll.records caps the records one poll returns (no librdkafka property)', () => {
    const options = source({ 'consumer.override.max.poll.records': '250' });
    expect(options.pollMaxRecords).toBe(250);
    expect(options.rdkafka['max.poll.records']).toBeUndefined();
    expect(errorOf(() => source({ 'consumer.override.max.poll.records': 'many' })).message).toBe('consumer.override.max.poll.records: must be a whole number');
  });

  it('auto.offset.reset=none (fail without a committed offset) is librdkafka\'s error', () => {
    expect(source({ 'consumer.override.auto.offset.reset': 'none' }).rdkafka['auto.offset.reset']).toBe('error');
  });

  it('producer overrides reach only the dead-letter producer', () => {
    const options = source({ 'producer.override.linger.ms': '20', 'producer.override.delivery.timeout.ms': '60000', 'producer.override.buffer.memory': '33554432' });
    expect({ ...options.producer }).toEqual({ 'bootstrap.servers': '127.0.0.1:9092', 'linger.ms': '20', 'message.timeout.ms': '60000', 'queue.buffering.max.kbytes': '32768' });
    expect(options.rdkafka['linger.ms']).toBeUndefined();
  });

  it('a SCRAM or PLAIN JAAS line becomes the SASL user and password, and stays redacted', () => {
    const options = source({
      'consumer.override.sasl.mechanism': 'SCRAM-SHA-512',
      'consumer.override.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="s3cr\\"et-9";',
    });
    expect(options.rdkafka).toMatchObject({ 'sasl.mechanism': 'SCRAM-SHA-512', 'sasl.username': 'alice', 'sasl.password': 's3cr"et-9' });
    expect(inspect(options.rdkafka)).not.toContain('s3cr');
    expect(JSON.stringify(options.rdkafka)).not.toContain('s3cr');
    const oauth = errorOf(() => source({ 'consumer.override.sasl.jaas.config': 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientSecret="x9-secret";' }));
    expect(oauth.message).toMatch(/^consumer\.override\.sasl\.jaas\.config: only the PlainLoginModule and ScramLoginModule/);
    expect(oauth.message).not.toContain('x9-secret');
  });

  it.each([
    ['consumer.override.partition.assignment.strategy', 'org.apache.kafka.clients.consumer.CooperativeStickyAssignor', /CooperativeStickyAssignor has no librdkafka equivalent here/],
    ['consumer.override.interceptor.classes', 'com.example.Tracing', /is a Java client property with no librdkafka equivalent; remove it$/],
    ['consumer.override.ssl.protocol', 'TLSv1.2', /no librdkafka equivalent .*TLS version/],
    ['consumer.override.group.id', 'other', /is managed by the sink/],
    ['consumer.override.enable.auto.commit', 'true', /is managed by the sink/],
    ['consumer.override.value.deserializer', 'org.apache.kafka.common.serialization.StringDeserializer', /value\.converter/],
    ['producer.override.acks', '1', /acks=all/],
    ['producer.override.partitioner.class', 'com.example.P', /no librdkafka equivalent/],
    ['kafka.group.id', 'mine', /is managed by the sink/],
  ])('refuses %s with a line saying why', (key, value, why) => {
    const error = errorOf(() => source({ [key]: value }));
    expect(error.key).toBe(key);
    expect(error.message).toMatch(why);
  });

  it('a property the table does not know goes to librdkafka under its own name', () => {
    expect(overrideProperties('consumer', 'consumer.override.queued.min.messages', '5000')).toEqual([{ property: 'queued.min.messages', value: '5000' }]);
  });
});

describe('librdkafka client errors', () => {
  it.each([
    ['[thrd:sasl_ssl://127.0.0.1:39591/bootstrap]: sasl_ssl://127.0.0.1:39591/bootstrap: SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512 (after 332ms in state AUTH_REQ)', 'authentication'],
    ['sasl_ssl://127.0.0.1:39591/bootstrap: SSL handshake failed: error:0A000086:SSL routines::certificate verify failed: broker certificate could not be verified', 'broker-certificate'],
    ['ssl://127.0.0.1:37133/bootstrap: Receive failed: error:0A000412:SSL routines::sslv3 alert bad certificate: SSL alert number 42', 'client-certificate'],
    ['127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused (after 0ms in state CONNECT)', 'unreachable'],
    ['all broker connections are down', 'unreachable'],
    ['Local: Unknown partition', 'other'],
  ])('%s is %s', (message, cause) => {
    expect(classifyClientError(message)).toBe(cause);
  });

  it('repeats that differ only in timing compare equal', () => {
    const a = '[thrd:x]: 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused (after 0ms in state CONNECT)';
    const b = '[thrd:x]: 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused (after 3ms in state CONNECT, 4 identical error(s) suppressed)';
    expect(normalizeClientError(a)).toBe(normalizeClientError(b));
    expect(normalizeClientError(a)).toBe('127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused');
  });
});

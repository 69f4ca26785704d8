/** The source's measured librdkafka defaults: under the connector's own properties, never over them or the owned ones. */
import { describe, expect, it } from '@jest/globals';
import { createConsumer } from '../../src/source/consumer.js';
import { CONSUMER_DEFAULTS } from '../../src/source/consumer-defaults.js';
import type { KafkaSourceOptions } from '../../src/source/kafka-config.js';

const options = (rdkafka: KafkaSourceOptions['rdkafka']): KafkaSourceOptions => ({
  rdkafka: { 'bootstrap.servers': '127.0.0.1:1', ...rdkafka }, producer: {}, groupId: 'connect-defaults', topics: ['t'], maxInFlightRecords: 100, commitIntervalMs: 1000,
});

/** The config object node-rdkafka hands librdkafka (the consumer is built, never connected). */
const configOf = (rdkafka: KafkaSourceOptions['rdkafka']): Record<string, unknown> =>
  (createConsumer(options(rdkafka), () => undefined) as unknown as { globalConfig: Record<string, unknown> }).globalConfig;

describe('consumer defaults', () => {
  it('gives librdkafka the measured fetch-queue settings when the connector sets none', () => {
    expect(configOf({})).toMatchObject({ 'fetch.queue.backoff.ms': 20, 'queued.min.messages': 20_000, 'queued.max.messages.kbytes': 8192 });
    expect(configOf({})).toMatchObject(CONSUMER_DEFAULTS);
  });

  it('lets kafka.* and consumer.override.* values win over them', () => {
    const config = configOf({ 'queued.min.messages': '1000', 'fetch.queue.backoff.ms': '1000' });
    expect(config).toMatchObject({ 'queued.min.messages': '1000', 'fetch.queue.backoff.ms': '1000', 'queued.max.messages.kbytes': 8192 });
    expect(config).toMatchObject({ 'group.id': 'connect-defaults', 'enable.auto.commit': false });
  });
});

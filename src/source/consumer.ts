/** The librdkafka consumer as the Kafka source runs it: measured defaults, manual commits only, our rebalance callback, earliest start. */
import rdkafka from 'node-rdkafka';
import type { KafkaConsumer, LibrdKafkaError, TopicPartition } from 'node-rdkafka';
import type { KafkaSourceOptions } from './kafka-config.js';
import { nativeConfig } from './native-config.js';
import { CONSUMER_DEFAULTS } from './consumer-defaults.js';

export type RebalanceCallback = (err: LibrdKafkaError, assignment: TopicPartition[]) => void;

export function createConsumer(options: KafkaSourceOptions, rebalance: RebalanceCallback): KafkaConsumer {
  return new rdkafka.KafkaConsumer(
    nativeConfig({
      ...CONSUMER_DEFAULTS,
      ...options.rdkafka,
      'group.id': options.groupId,
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      offset_commit_cb: true,
      rebalance_cb: rebalance,
    }),
    // Kafka Connect sinks start from the earliest offset when the group has none; kafka.auto.offset.reset overrides.
    { 'auto.offset.reset': (options.rdkafka['auto.offset.reset'] as 'earliest' | 'latest' | undefined) ?? 'earliest' },
  );
}

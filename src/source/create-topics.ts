/**
 * Topic creation, once for every creator (the dead-letter topic, the reporting topics, the cluster's internal
 * topics): each topic is created when missing, through one admin client built with the client's connection settings
 * (through the native gate); an existing topic is left as it is.
 */
import rdkafka from 'node-rdkafka';
import { nativeConfig } from './native-config.js';

export interface NewTopic {
  readonly name: string;
  readonly partitions: number;
  /** -1: the broker's default. */
  readonly replicationFactor: number;
  /** Topic configs for a topic created here (`cleanup.policy`...). */
  readonly config?: Readonly<Record<string, string>>;
}

/**
 * Creates each of `topics` that does not exist yet, in order; the first that cannot be created rejects with the error
 * `refused` words for it (each creator names its own config key).
 *
 * @example
 * await createTopics(producerConfig, [{ name: 'dlq', partitions: 1, replicationFactor: 1 }], (t, err) => new KafkaError(`cannot create ${t.name}: ${err.message}`, true, err));
 */
export async function createTopics<T extends NewTopic>(
  client: Readonly<Record<string, string | number | boolean>>,
  topics: readonly T[],
  refused: (topic: T, error: rdkafka.LibrdKafkaError) => Error,
  timeoutMs = 30_000,
): Promise<void> {
  if (topics.length === 0) return;
  const admin = rdkafka.AdminClient.create(nativeConfig({ ...client }));
  try {
    for (const topic of topics) {
      const spec = { topic: topic.name, num_partitions: topic.partitions, replication_factor: topic.replicationFactor, ...(topic.config && { config: { ...topic.config } }) };
      await new Promise<void>((resolve, reject) =>
        admin.createTopic(spec, timeoutMs, (err) => (err && err.code !== rdkafka.CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS ? reject(refused(topic, err)) : resolve())),
      );
    }
  } finally {
    admin.disconnect();
  }
}

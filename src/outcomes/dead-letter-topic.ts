/**
 * `errors.deadletterqueue.topic.replication.factor` set: the dead-letter topic is created at start when it does not
 * exist (one partition, that replication factor), as Kafka Connect's dead-letter reporter creates it. An existing
 * topic is left as it is.
 */
import { KafkaError } from '../common/errors.js';
import { createTopics } from '../source/create-topics.js';

/** Creates `topic` with the producer's connection settings; resolves when it exists. */
export async function ensureDeadLetterTopic(producerConfig: Readonly<Record<string, string | number | boolean>>, topic: string, replicationFactor: number, timeoutMs = 30_000): Promise<void> {
  await createTopics(
    producerConfig,
    [{ name: topic, partitions: 1, replicationFactor }],
    (_topic, err) => new KafkaError(`cannot create the dead-letter topic ${topic} (errors.deadletterqueue.topic.replication.factor=${replicationFactor}): ${err.message}`, true, err),
    timeoutMs,
  );
}

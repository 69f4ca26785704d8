/**
 * `errors.deadletterqueue.topic.replication.factor` set: the dead-letter topic is created at start when it does not
 * exist (one partition, that replication factor), as Kafka Connect's dead-letter reporter creates it. An existing
 * topic is left as it is.
 */
import rdkafka from 'node-rdkafka';
import { KafkaError } from '../common/errors.js';
import { nativeConfig } from '../source/native-config.js';

/** Creates `topic` with the producer's connection settings; resolves when it exists. */
export async function ensureDeadLetterTopic(producerConfig: Readonly<Record<string, string | number | boolean>>, topic: string, replicationFactor: number, timeoutMs = 30_000): Promise<void> {
  const admin = rdkafka.AdminClient.create(nativeConfig({ ...producerConfig }));
  try {
    await new Promise<void>((resolve, reject) =>
      admin.createTopic({ topic, num_partitions: 1, replication_factor: replicationFactor }, timeoutMs, (err) =>
        err && err.code !== rdkafka.CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS
          ? reject(new KafkaError(`cannot create the dead-letter topic ${topic} (errors.deadletterqueue.topic.replication.factor=${replicationFactor}): ${err.message}`, true, err))
          : resolve(),
      ),
    );
  } finally {
    admin.disconnect();
  }
}

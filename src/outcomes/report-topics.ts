/**
 * The reporting topics, created at start when missing with the partitions and replication factor the connector file
 * asks for (Confluent's `reporter.*.topic.partitions` / `.replication.factor`); an existing topic is used as it is.
 */
import rdkafka from 'node-rdkafka';
import { KafkaError } from '../common/errors.js';
import { nativeConfig } from '../source/native-config.js';

export interface ReportTopic {
  readonly name: string;
  /** The key that names the topic, for the error line. */
  readonly key: string;
  readonly partitions: number;
  /** -1: the broker's default. */
  readonly replicationFactor: number;
}

export async function createReportTopics(properties: Readonly<Record<string, string | number | boolean>>, topics: readonly ReportTopic[], timeoutMs = 30_000): Promise<void> {
  if (topics.length === 0) return;
  const admin = rdkafka.AdminClient.create(nativeConfig({ ...properties }) as rdkafka.GlobalConfig);
  try {
    for (const topic of topics) {
      await new Promise<void>((resolve, reject) =>
        admin.createTopic({ topic: topic.name, num_partitions: topic.partitions, replication_factor: topic.replicationFactor }, timeoutMs, (err) =>
          err && err.code !== rdkafka.CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS ? reject(new KafkaError(`cannot create ${topic.key} ${topic.name} (${topic.partitions} partition(s), replication factor ${topic.replicationFactor}): ${err.message}; create it beforehand, lower the replication factor to the brokers there are, or set ${topic.key} empty to report nothing`, false, err)) : resolve(),
        ),
      );
    }
  } finally {
    admin.disconnect();
  }
}

/**
 * The reporting topics, created at start when missing with the partitions and replication factor the connector file
 * asks for (Confluent's `reporter.*.topic.partitions` / `.replication.factor`); an existing topic is used as it is.
 */
import { KafkaError } from '../common/errors.js';
import { createTopics } from '../source/create-topics.js';

export interface ReportTopic {
  readonly name: string;
  /** The key that names the topic, for the error line. */
  readonly key: string;
  readonly partitions: number;
  /** -1: the broker's default. */
  readonly replicationFactor: number;
}

export async function createReportTopics(properties: Readonly<Record<string, string | number | boolean>>, topics: readonly ReportTopic[], timeoutMs = 30_000): Promise<void> {
  await createTopics(
    properties,
    topics,
    (topic, err) => new KafkaError(`cannot create ${topic.key} ${topic.name} (${topic.partitions} partition(s), replication factor ${topic.replicationFactor}): ${err.message}; create it beforehand, lower the replication factor to the brokers there are, or set ${topic.key} empty to report nothing`, false, err),
    timeoutMs,
  );
}

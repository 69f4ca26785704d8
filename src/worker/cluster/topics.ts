/**
 * The cluster's internal topics: created compacted on first start, and an existing one checked (partition count)
 * so that a config topic with several partitions, whose order would not be total, is refused with its name.
 */
import rdkafka from 'node-rdkafka';
import { nativeConfig } from '../../source/native-config.js';
import { createTopics } from '../../source/create-topics.js';
import { ConfigError, KafkaError, errorMessage } from '../../common/errors.js';

export interface InternalTopic {
  readonly name: string;
  /** The worker key that names it, for the error line. */
  readonly key: string;
  readonly replicationFactor: number;
  /** Required partition count (1 for the config topic); undefined accepts any. */
  readonly partitions?: number;
  /** Partitions of a topic created here when any count is accepted (default 1). */
  readonly created?: number;
}

/** Creates the topic (compacted) if missing; refuses an existing one with the wrong partition count. */
export async function ensureTopic(kafka: Readonly<Record<string, string>>, topic: InternalTopic): Promise<void> {
  await createTopics(
    kafka,
    [{ name: topic.name, partitions: topic.partitions ?? topic.created ?? 1, replicationFactor: topic.replicationFactor, config: { 'cleanup.policy': 'compact' } }],
    (_created, err) => new KafkaError(`cannot create ${topic.key} ${topic.name}: ${err.message}`, true, err),
  );
  if (topic.partitions === undefined) return;
  const found = await partitionCount(kafka, topic.name);
  if (found !== topic.partitions) {
    throw new ConfigError(topic.key, `topic ${topic.name} has ${found} partitions; the worker needs exactly ${topic.partitions} (a compacted topic with one partition) so that every worker reads the same order: point ${topic.key} at another topic or recreate it`);
  }
}

/**
 * The topic's partition count. A topic created a moment ago may show none in the metadata yet (seen under load):
 * asked again for up to METADATA_WAIT_MS before 0 is believed.
 */
export async function partitionCount(kafka: Readonly<Record<string, string>>, name: string): Promise<number> {
  const deadline = Date.now() + METADATA_WAIT_MS;
  for (;;) {
    const found = await partitionsNow(kafka, name);
    if (found > 0 || Date.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const METADATA_WAIT_MS = 5000;

async function partitionsNow(kafka: Readonly<Record<string, string>>, name: string): Promise<number> {
  const producer = new rdkafka.Producer(nativeConfig({ ...kafka }));
  await new Promise<void>((resolve, reject) => producer.connect({ timeout: 30_000 }, (err) => (err ? reject(new KafkaError(`cannot reach Kafka: ${errorMessage(err)}`, true, err)) : resolve())));
  try {
    const metadata = await new Promise<rdkafka.Metadata>((resolve, reject) =>
      producer.getMetadata({ topic: name, timeout: 30_000 }, (err, data) => (err ? reject(new KafkaError(`cannot read metadata of ${name}: ${errorMessage(err)}`, true, err)) : resolve(data))),
    );
    return metadata.topics.find((t) => t.name === name)?.partitions.length ?? 0;
  } finally {
    await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
  }
}

/**
 * A sink's consumer group (`connect-<name>`) as an operator sees it: the offsets the group holds, where each
 * partition's log starts and ends, the first offset at or after a time, and new offsets committed for the group.
 * One librdkafka consumer that never subscribes (it joins no group): its commits are the broker's "simple" commits,
 * which the broker refuses while the group has members (Unknown member), so nothing is moved under a running task.
 */
import rdkafka from 'node-rdkafka';
import type { KafkaConsumer, LibrdKafkaError, TopicPartitionOffset } from 'node-rdkafka';
import { errorMessage, KafkaError } from '../common/errors.js';
import type { ClientProperties } from './store-properties.js';
import { nativeConfig } from './native-config.js';
import { CommitAnswers } from './commit-answers.js';

/** "topic/partition" -> offset. */
export type PartitionOffsets = Map<string, number>;

export interface GroupOffsets {
  /** Every partition of the topics now: names, or `^regex` entries as `topics.regex` gives them. */
  partitionsOf(topics: readonly string[]): Promise<string[]>;
  /** Every partition of every topic but Kafka's internal ones (`__...`). */
  allPartitions(): Promise<string[]>;
  /** The group's committed offsets of `partitions`; a partition the group holds nothing for is left out. */
  committed(partitions: readonly string[]): Promise<PartitionOffsets>;
  /** Where each partition's log starts (`low`) and ends (`high`, the next offset written). */
  watermarks(partitions: readonly string[]): Promise<Map<string, { low: number; high: number }>>;
  /** The first offset at or after `timestamp` (ms) per partition; the log end where no record is that late. */
  offsetsForTime(partitions: readonly string[], timestamp: number): Promise<PartitionOffsets>;
  /** Commits `offsets` for the group; rejects (GroupActiveError) while it has members. */
  commit(offsets: PartitionOffsets): Promise<void>;
  close(): Promise<void>;
}

/** The group has members (its connector runs, or is still stopping): its offsets cannot be changed now. */
export class GroupActiveError extends KafkaError {
  constructor(readonly groupId: string) {
    super(`the consumer group ${groupId} has active members (its tasks still run, or another consumer uses the group): stop them first`, true);
  }
}

const TIMEOUT_MS = 15_000;
/** How long one poll waits while a commit's answer is awaited. */
const POLL_MS = 100;
/** librdkafka's error code for Unknown member (the broker's answer to a commit from outside a non-empty group). */
const UNKNOWN_MEMBER = 25;
/** Partitions whose watermarks are asked for at the same time. */
const WATERMARK_QUERIES = 8;

export async function openGroupOffsets(kafka: ClientProperties, groupId: string): Promise<GroupOffsets> {
  const answers = new CommitAnswers();
  const consumer: KafkaConsumer = new rdkafka.KafkaConsumer(
    nativeConfig({
      ...kafka,
      'group.id': groupId,
      'enable.auto.commit': false,
      // the answer to each commit, handed to the commit of the offsets it names
      offset_commit_cb: (err: LibrdKafkaError | undefined, partitions: TopicPartitionOffset[] | undefined) => answers.answer(err ?? undefined, partitions),
    }),
    {},
  );
  consumer.setDefaultConsumeTimeout(POLL_MS);
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: TIMEOUT_MS }, (err) => (err ? reject(new KafkaError(`cannot connect to Kafka for the group ${groupId}: ${err.message}`, true, err)) : resolve())),
  ).catch((error: unknown) => {
    consumer.disconnect(); // librdkafka's threads would otherwise outlive the failed call
    throw error;
  });
  const fail = (what: string) => (err: unknown) => new KafkaError(`${what} (group ${groupId}): ${errorMessage(err)}`, true, err);
  const topicsNow = (): Promise<Map<string, number>> =>
    new Promise((resolve, reject) =>
      consumer.getMetadata({ timeout: TIMEOUT_MS }, (err, metadata) =>
        err ? reject(fail('cannot read the topics')(err)) : resolve(new Map(metadata.topics.filter((t) => !t.name.startsWith('__')).map((t) => [t.name, t.partitions.length]))),
      ),
    );
  const expand = (topics: Map<string, number>, wanted: (topic: string) => boolean): string[] =>
    [...topics].filter(([topic]) => wanted(topic)).flatMap(([topic, count]) => Array.from({ length: count }, (_, p) => `${topic}/${p}`)).sort(byPartition);
  return {
    partitionsOf: async (topics) => {
      const patterns = topics.filter((t) => t.startsWith('^')).map((t) => new RegExp(`${t}$`));
      return expand(await topicsNow(), (topic) => topics.includes(topic) || patterns.some((p) => p.test(topic)));
    },
    allPartitions: async () => expand(await topicsNow(), () => true),
    committed: (partitions) =>
      new Promise((resolve, reject) => {
        if (partitions.length === 0) return resolve(new Map());
        consumer.committed(partitions.map(split), TIMEOUT_MS, (err, answer) =>
          err ? reject(fail('cannot read the committed offsets')(err)) : resolve(new Map(answer.filter((p) => p.offset >= 0).map((p) => [`${p.topic}/${p.partition}`, p.offset]))),
        );
      }),
    watermarks,
    offsetsForTime: async (partitions, timestamp) => {
      if (partitions.length === 0) return new Map();
      const found = await new Promise<TopicPartitionOffset[]>((resolve, reject) =>
        consumer.offsetsForTimes(partitions.map((id) => ({ ...split(id), offset: timestamp })), TIMEOUT_MS, (err, offsets) => (err ? reject(fail('cannot look up offsets by time')(err)) : resolve(offsets))),
      );
      const late = found.filter((p) => p.offset < 0).map((p) => `${p.topic}/${p.partition}`);
      const ends = await watermarks(late);
      return new Map(found.map((p) => [`${p.topic}/${p.partition}`, p.offset >= 0 ? p.offset : (ends.get(`${p.topic}/${p.partition}`)?.high ?? 0)]));
    },
    commit: (offsets) =>
      new Promise((resolve, reject) => {
        if (offsets.size === 0) return resolve();
        const committing = [...offsets].map(([id, offset]) => ({ ...split(id), offset }));
        let answered = false;
        const forget = answers.expect(committing, (err, partitions) => {
          answered = true;
          clearTimeout(timer);
          const failed = err ?? partitions.map((p) => (p as { error?: LibrdKafkaError }).error).find((e) => e);
          if (!failed) return resolve();
          reject(failed.code === UNKNOWN_MEMBER ? new GroupActiveError(groupId) : fail('cannot commit the offsets')(failed));
        });
        const timer = setTimeout(() => {
          answered = true;
          forget(); // a late answer is dropped, not taken for the next commit's
          reject(new KafkaError(`no answer to the offset commit of the group ${groupId} within ${TIMEOUT_MS} ms`, true));
        }, TIMEOUT_MS);
        // librdkafka hands the commit's answer over while the consumer polls: poll (it is assigned nothing) until then
        const poll = (): void => void (answered || consumer.consume(1, () => poll()));
        try {
          consumer.commit(committing);
          poll();
        } catch (error) {
          answered = true;
          forget();
          clearTimeout(timer);
          reject(fail('cannot commit the offsets')(error));
        }
      }),
    close: () => new Promise<void>((resolve) => consumer.disconnect(() => resolve())),
  };

  /** The watermarks of `partitions`, asked for WATERMARK_QUERIES at a time; the first failure stops the rest. */
  async function watermarks(partitions: readonly string[]): Promise<Map<string, { low: number; high: number }>> {
    const ends = new Map<string, { low: number; high: number }>();
    let next = 0;
    let failed = false;
    const query = (id: string): Promise<{ lowOffset: number; highOffset: number }> => {
      const { topic, partition } = split(id);
      return new Promise((resolve, reject) =>
        consumer.queryWatermarkOffsets(topic, partition, TIMEOUT_MS, (err, offsets) => (err ? reject(fail(`cannot read where ${id} starts and ends`)(err)) : resolve(offsets))),
      );
    };
    const asker = async (): Promise<void> => {
      while (!failed && next < partitions.length) {
        const id = partitions[next++]!;
        const marks = await query(id).catch((error: unknown) => {
          failed = true;
          throw error;
        });
        ends.set(id, { low: marks.lowOffset, high: marks.highOffset });
      }
    };
    await Promise.all(Array.from({ length: Math.min(WATERMARK_QUERIES, partitions.length) }, asker));
    // in the order asked (callers print them)
    return new Map(partitions.map((id) => [id, ends.get(id)!]));
  }
}

/** "topic/partition" -> its parts (a topic name may hold no '/', but split at the last one anyway). */
export function split(id: string): { topic: string; partition: number } {
  const at = id.lastIndexOf('/');
  return { topic: id.slice(0, at), partition: Number(id.slice(at + 1)) };
}

/** Topic by name, then partition by number. */
export function byPartition(a: string, b: string): number {
  const x = split(a);
  const y = split(b);
  return x.topic === y.topic ? x.partition - y.partition : x.topic.localeCompare(y.topic);
}

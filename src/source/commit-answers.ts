/**
 * The answers librdkafka gives to a consumer's offset commits (`offset_commit_cb`), each handed to the commit it
 * answers, found by the offsets it names. A commit given up on (timed out) is forgotten: its late answer is dropped,
 * never taken for the answer to a later commit, and nothing of it stays queued.
 */
import type { LibrdKafkaError, TopicPartitionOffset } from 'node-rdkafka';

export type CommitAnswer = (err: LibrdKafkaError | undefined, partitions: TopicPartitionOffset[]) => void;

export class CommitAnswers {
  private readonly waiting: { readonly key: string; readonly answer: CommitAnswer }[] = [];

  /** Waits for the answer to the commit of `offsets`; returns what forgets it (a commit given up on). */
  expect(offsets: readonly TopicPartitionOffset[], answer: CommitAnswer): () => void {
    const entry = { key: keyOf(offsets), answer };
    this.waiting.push(entry);
    return () => {
      const at = this.waiting.indexOf(entry);
      if (at >= 0) this.waiting.splice(at, 1);
    };
  }

  /** librdkafka's answer: to the oldest commit waiting for these offsets (an answer naming none: the oldest waiting). */
  answer(err: LibrdKafkaError | undefined, partitions: TopicPartitionOffset[] | undefined): void {
    const named = partitions !== undefined && partitions.length > 0;
    const at = named ? this.waiting.findIndex((entry) => entry.key === keyOf(partitions)) : this.waiting.length > 0 ? 0 : -1;
    if (at < 0) return; // the answer to a commit given up on: nobody waits for it any more
    const [entry] = this.waiting.splice(at, 1);
    entry!.answer(err, partitions ?? []);
  }

  /** Commits still waiting for their answer. */
  get size(): number {
    return this.waiting.length;
  }
}

function keyOf(offsets: readonly TopicPartitionOffset[]): string {
  return offsets
    .map((p) => `${p.topic}/${p.partition}@${p.offset}`)
    .sort()
    .join(',');
}

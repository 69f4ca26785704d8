/**
 * The Kafka source's commit bookkeeping, per partition ("topic/partition"): how many records the watermark passed
 * that no commit carries yet, which commits await the broker's answer and how many records each carries, the last
 * offset sent and the last one the broker confirmed. A confirmed commit tells how many records leave the in-flight
 * window; a failed one puts its records back to be carried by the next commit. Pure: no consumer, no timers.
 */
import type { TopicPartitionOffset } from 'node-rdkafka';
import { idOf } from '../records/topic-partition.js';

export class CommitLedger {
  /** Last offsets the broker confirmed, by "topic/partition". */
  readonly confirmed = new Map<string, number>();
  private readonly lastSent = new Map<string, number>();
  private readonly uncommitted = new Map<string, number>();
  private uncommittedTotal = 0;
  /** Per "topic/partition@offset": records carried by a commit awaiting the broker's answer. */
  private readonly committing = new Map<string, number>();

  /** `count` records of partition `id` were passed by its watermark. */
  settled(id: string, count: number): void {
    this.uncommitted.set(id, (this.uncommitted.get(id) ?? 0) + count);
    this.uncommittedTotal += count;
  }

  /** Records the watermarks passed that no commit carries yet, all partitions. */
  uncommittedCount(): number {
    return this.uncommittedTotal;
  }

  /** A commit awaits the broker's answer. */
  awaiting(): boolean {
    return this.committing.size > 0;
  }

  /** True when `offset` is news for partition `id` (not the offset last sent). */
  moved(id: string, offset: number): boolean {
    return this.lastSent.get(id) !== offset;
  }

  /** The offsets go to the broker now: their partitions' uncommitted records ride with them. */
  sent(offsets: readonly TopicPartitionOffset[]): void {
    for (const o of offsets) {
      const id = idOf(o);
      const key = `${id}@${o.offset}`;
      const carried = this.uncommitted.get(id) ?? 0;
      this.committing.set(key, (this.committing.get(key) ?? 0) + carried);
      this.uncommittedTotal -= carried;
      this.uncommitted.delete(id);
      this.lastSent.set(id, o.offset);
    }
  }

  /**
   * The broker answered for `offsets`: returns, per partition, how many records leave the in-flight window (none on
   * failure: they wait for the next commit). An answer for offsets not awaited (a second report) settles nothing.
   */
  answered(failed: boolean, offsets: readonly TopicPartitionOffset[]): Map<string, number> {
    const released = new Map<string, number>();
    for (const o of offsets) {
      const id = idOf(o);
      const key = `${id}@${o.offset}`;
      const count = this.committing.get(key);
      if (count === undefined) continue;
      this.committing.delete(key);
      if (failed) {
        this.settled(id, count);
        if (this.lastSent.get(id) === o.offset) this.lastSent.delete(id);
      } else {
        released.set(id, (released.get(id) ?? 0) + count);
        this.confirmed.set(id, o.offset);
      }
    }
    return released;
  }

  /** The partition was revoked: nothing of it is owed any more (its records left the window with it). */
  forget(id: string): void {
    this.uncommittedTotal -= this.uncommitted.get(id) ?? 0;
    this.uncommitted.delete(id);
    for (const key of this.committing.keys()) if (key.startsWith(`${id}@`)) this.committing.delete(key);
    this.lastSent.delete(id);
  }
}

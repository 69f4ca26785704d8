/**
 * Per-partition watermark: the offset to commit is the lowest offset handed out and not yet acknowledged, so a
 * request that finished early never commits past an earlier one still in flight or failed.
 */
import type { OffsetHandle } from '../records/record.js';

export class PartitionTracker implements OffsetHandle {
  /** Offsets handed out, in consumption order; entries before `head` are acknowledged and gone. */
  private pending: number[] = [];
  private head = 0;
  private readonly done = new Set<number>();
  private next: number | undefined;
  /** Highest offset handed out. */
  private last = -1;
  private revoked = false;

  /**
   * @param onSettled called with how many records left the in-flight set (for backpressure).
   */
  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly onSettled: (count: number) => void = () => {},
  ) {}

  /**
   * A record of this partition is about to be handed to the pipeline: true if it is new. False when it was handed
   * out already: librdkafka can rewind a partition's fetch position after pause/resume and deliver offsets again
   * (librdkafka#4686 and kin); handing them out twice would leave the first copy unacknowledgeable and stall the
   * watermark for good.
   */
  track(offset: number): boolean {
    if (offset <= this.last) return false;
    this.last = offset;
    this.pending.push(offset);
    return true;
  }

  /** The record at `offset` was delivered. Late acks after a revoke are ignored. */
  ack(offset: number): void {
    if (this.revoked || this.done.has(offset) || (this.next !== undefined && offset < this.next)) return;
    this.done.add(offset);
    let settled = 0;
    while (this.head < this.pending.length && this.done.has(this.pending[this.head]!)) {
      const acked = this.pending[this.head]!;
      this.done.delete(acked);
      this.next = acked + 1;
      this.head += 1;
      settled += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
    if (settled > 0) this.onSettled(settled);
  }

  /** The offset to commit (Kafka's "next offset to read"), or undefined while nothing was delivered yet. */
  committable(): number | undefined {
    return this.next;
  }

  /** Records handed out and not yet covered by the watermark (including acked ones behind a gap). */
  inFlight(): number {
    return this.pending.length - this.head;
  }

  /** The partition was taken away: later acks must neither commit nor count. */
  revoke(): void {
    this.revoked = true;
  }

  isRevoked(): boolean {
    return this.revoked;
  }
}

/**
 * Per-partition watermark: the offset to commit is the lowest offset handed out and not yet acknowledged, so a
 * request that finished early never commits past an earlier one still in flight or failed.
 */
import type { OffsetHandle } from '../records/record.js';

export class PartitionTracker implements OffsetHandle {
  /**
   * Offsets handed out and not yet settled, as runs of consecutive offsets: `runs[i]` the first not-yet-settled
   * offset of a run, `runs[i + 1]` its last; runs before `head` are settled and gone. A poll's records of one
   * partition are usually one run, so tracking costs a comparison per record, not an array slot.
   */
  private runs: number[] = [];
  private head = 0;
  private pending = 0;
  /** Acked offsets above the lowest pending one (acks out of order); empty while acks come in order. */
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
    const runs = this.runs;
    if (this.head < runs.length && runs[runs.length - 1] === offset - 1) runs[runs.length - 1] = offset;
    else runs.push(offset, offset);
    this.last = offset;
    this.pending += 1;
    return true;
  }

  /** The record at `offset` was delivered. Late acks after a revoke are ignored. */
  ack(offset: number): void {
    if (this.revoked || this.head >= this.runs.length) return;
    let low = this.runs[this.head]!;
    if (offset !== low) {
      if (offset > low) this.done.add(offset);
      return;
    }
    const runs = this.runs;
    let settled = 0;
    for (;;) {
      settled += 1;
      this.next = low + 1;
      if (low === runs[this.head + 1]) {
        this.head += 2;
        if (this.head >= runs.length) break;
        low = runs[this.head]!;
      } else {
        low += 1;
        runs[this.head] = low;
      }
      if (this.done.size === 0 || !this.done.delete(low)) break;
    }
    if (this.head >= runs.length) {
      this.runs = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > runs.length) {
      this.runs = runs.slice(this.head);
      this.head = 0;
    }
    this.pending -= settled;
    this.onSettled(settled);
  }

  /** The offset to commit (Kafka's "next offset to read"), or undefined while nothing was delivered yet. */
  committable(): number | undefined {
    return this.next;
  }

  /** Records handed out and not yet covered by the watermark (including acked ones behind a gap). */
  inFlight(): number {
    return this.pending;
  }

  /** The partition was taken away: later acks must neither commit nor count. */
  revoke(): void {
    this.revoked = true;
  }

  isRevoked(): boolean {
    return this.revoked;
  }
}

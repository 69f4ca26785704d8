/**
 * Memory the lean consume path keeps alive: a record's key and value are views of its poll's slab, so a slab lives
 * while any of its records does. Counted by acknowledgement (a record acked is done with: delivered or
 * dead-lettered): a slab counts from the poll that read it until its last record is acked. Over the budget, the
 * source reads with node-rdkafka's standard `consume` (a Buffer of its own per record, bounded by
 * `max.in.flight.records` as before) until acks bring the slabs back under it.
 */
import type { OffsetHandle } from '../records/record.js';

export class PinnedSlabs {
  private bytes = 0;
  private slabs = 0;

  constructor(
    /** Bytes of slabs with a record still unacknowledged above which the source stops reading into slabs. */
    readonly budget: number,
  ) {}

  /** Bytes of slabs that still have a record in the pipeline. */
  pinned(): number {
    return this.bytes;
  }

  /** Slabs that still have a record in the pipeline. */
  live(): number {
    return this.slabs;
  }

  overBudget(): boolean {
    return this.bytes >= this.budget;
  }

  /** A slab of `bytes` whose records are about to be handed out; `hold` it once they are. */
  slab(bytes: number): Slab {
    return new Slab(this, bytes);
  }

  /** @internal */
  change(bytes: number, slabs: number): void {
    this.bytes += bytes;
    this.slabs += slabs;
  }
}

export class Slab {
  private pending = 0;

  constructor(
    private readonly owner: PinnedSlabs,
    readonly bytes: number,
  ) {}

  /** `count` records of this slab went into the pipeline (once per slab). */
  hold(count: number): void {
    if (count <= 0 || this.pending > 0) return;
    this.pending = count;
    this.owner.change(this.bytes, 1);
  }

  /** One record of this slab was acked. */
  release(): void {
    if (this.pending === 0) return;
    this.pending -= 1;
    if (this.pending === 0) this.owner.change(-this.bytes, -1);
  }

  /** The handle for this slab's records of one partition: acks go to `tracker`, and count for the slab. */
  handle(tracker: OffsetHandle): OffsetHandle {
    return new SlabHandle(tracker, this);
  }
}

class SlabHandle implements OffsetHandle {
  constructor(
    private readonly tracker: OffsetHandle,
    private readonly slab: Slab,
  ) {}

  ack(offset: number): void {
    this.tracker.ack(offset);
    this.slab.release();
  }
}

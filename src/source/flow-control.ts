/**
 * Backpressure decisions for the Kafka source, kept pure so they can be tested without a broker.
 *
 * A record counts as in flight from the moment it is read until a commit covering it is confirmed: that is what a
 * crash could re-send. When the total reaches `maxInFlight` the source first throttles: it reads one record per poll
 * (which also serves the commit answers that free the window) for up to `graceMs`, or until half the bound again was
 * read that way; if the total is still at the bound then, every partition pauses (polling goes on), and they resume
 * at half of it. So in flight stays under the bound plus one poll, or one and a half times the bound, whichever is
 * more: under twice the bound. Bounds under 100 pause at once. A second bound counts the bytes of their keys and
 * values (`maxInFlightBytes`): whichever is nearer its bound decides, so large records pause the source before the
 * record count would (records leave with the bytes they entered with: partition-load.ts). The bytes can pass their
 * bound by one poll (at most what librdkafka prefetched), as the count can by one poll's records.
 *
 * Pausing is what a long stall needs, but it costs: librdkafka drops the paused partitions' prefetch and the first fetch after resuming waited about
 * 500 ms in the bench (`fetch.wait.max.ms`), a third of a 300,000-record run, for a crossing that commits undid in 26 ms.
 *
 * A per-partition share was tried and measured: pausing single partitions made librdkafka drop and re-fetch their
 * prefetched records, and the batched bench fell from 84% to 18% of the raw consume rate. The bound stays global.
 */

import { PartitionLoad } from './partition-load.js';

/** Bounds under this pause at once (see the constructor). */
const MIN_THROTTLED_BOUND = 100;

export interface FlowDecision {
  /** Partitions to pause now (ids "topic/partition"). */
  readonly pause: string[];
  /** Partitions to resume now. */
  readonly resume: string[];
}

export class FlowControl {
  private total = 0;
  private totalBytes = 0;
  private readonly perPartition = new Map<string, PartitionLoad>();
  private paused = false;
  /** Paused from outside (the worker's pause), whatever the count. */
  private held = false;
  /** When the total reached the bound, while not paused (the throttle's start). */
  private overSince: number | undefined;

  private readonly graceMs: number;

  /**
   * `graceMs`: how long the source throttles at the bound before it pauses (0, and any bound under 100: at once).
   * `maxInFlightBytes`: the bound on the keys' and values' bytes in flight (none by default).
   */
  constructor(
    private readonly maxInFlight: number,
    graceMs = 1000,
    private readonly maxInFlightBytes = Number.POSITIVE_INFINITY,
  ) {
    if (!(maxInFlightBytes > 0)) throw new RangeError(`maxInFlightBytes must be above 0 (got ${maxInFlightBytes})`);
    // A small bound is crossed by a record or two: one-record polls would then set the pace, not the endpoint.
    this.graceMs = maxInFlight < MIN_THROTTLED_BOUND ? 0 : graceMs;
  }

  /**
   * `delta` records of partition `id` entered (positive, with their keys' and values' `bytes`) or left (negative:
   * the partition's oldest, with the bytes they entered with; never more than it has).
   */
  add(id: string, delta: number, bytes = 0): void {
    if (delta === 0) return;
    let load = this.perPartition.get(id);
    if (delta > 0) {
      if (!load) this.perPartition.set(id, (load = new PartitionLoad()));
      load.enter(delta, bytes);
      this.total += delta;
      this.totalBytes += bytes;
      return;
    }
    if (!load) return;
    const left = load.leave(-delta);
    this.total -= left.count;
    this.totalBytes -= left.bytes;
    if (load.count === 0) this.perPartition.delete(id);
  }

  /** The partition is gone (revoked): its records leave the in-flight set. */
  forget(id: string): void {
    this.add(id, -(this.perPartition.get(id)?.count ?? 0));
  }

  inFlight(): number {
    return this.total;
  }

  inFlightBytes(): number {
    return this.totalBytes;
  }

  /** In flight as records against `maxInFlight`: the record count, or the bytes scaled to it when they are nearer their bound. */
  load(): number {
    return Math.max(this.total, (this.totalBytes / this.maxInFlightBytes) * this.maxInFlight);
  }

  /** Past half the window, commits should not wait for the next interval. */
  pressed(): boolean {
    return this.load() >= this.maxInFlight / 2;
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** At the bound and not paused yet: the source reads one record per poll. */
  throttled(): boolean {
    return this.graceMs > 0 && this.atBound();
  }

  /** At or past the bound and not paused (yet). */
  private atBound(): boolean {
    return !this.paused && this.load() >= this.maxInFlight;
  }

  /**
   * Which of the assigned partitions change state now. `apply` (the consumer's pause or resume) runs first: the state
   * changes only once it returned, so a pause that threw is decided again at the next call.
   */
  decide(assigned: readonly string[], now = Date.now(), apply?: (decision: FlowDecision) => void): FlowDecision {
    this.overSince = this.atBound() ? (this.overSince ?? now) : undefined;
    const load = this.load();
    const overTooLong = this.overSince !== undefined && (now - this.overSince >= this.graceMs || load >= this.maxInFlight * 1.5);
    const pause = this.held || (this.paused ? load > this.maxInFlight / 2 : overTooLong);
    if (pause === this.paused) return { pause: [], resume: [] };
    const decision = pause ? { pause: [...assigned], resume: [] } : { pause: [], resume: [...assigned] };
    apply?.(decision);
    this.paused = pause;
    return decision;
  }

  /** Whether the worker's pause holds the partitions. */
  isHeld(): boolean {
    return this.held;
  }

  /** Keeps every partition paused (true) until released (false); the in-flight bound applies again after. */
  hold(held: boolean): void {
    this.held = held;
  }
}

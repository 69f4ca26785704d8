/**
 * When the Kafka source commits early (before the commit interval): only under pressure, one commit at a time,
 * spaced out, only when it carries enough records to matter, and not after a failed commit (the interval retries). Pure, so it is tested with a fake clock.
 *
 * Why early at all: a record counts as in flight until a confirmed commit covers it (see flow-control.ts), so
 * delivered records pile up in the window until the next commit. Near the bound, waiting for the interval would
 * pause the partitions for nothing. Committing after every acknowledgement instead (what this replaces) meant
 * hundreds of commits a second with per-record delivery; the broker paid for each.
 */

/**
 * What the source knows when it asks whether to commit now. Counts are records, or their bytes' equivalent in records
 * when `max.in.flight.bytes` is nearer its bound (flow-control.ts `load`).
 */
export interface CommitPressure {
  /** Records read and not yet covered by a confirmed commit. */
  readonly inFlight: number;
  /** Of those, records the watermark passed that no commit carries yet: what a commit now would release. */
  readonly uncommitted: number;
  /** A commit awaits the broker's answer. */
  readonly committing: boolean;
  /** The source has its partitions paused for backpressure. */
  readonly paused: boolean;
}

export interface CommitPacerOptions {
  /** `max.in.flight.records`: pressure starts at half of it; partitions pause at it and resume at half. */
  readonly maxInFlight: number;
  /** Least time between the start of one commit and an early one that does not end a pause. */
  readonly minSpacingMs: number;
  /** Fewest uncommitted records worth an early commit, unless the commit would end a pause. Default: maxInFlight / 16. */
  readonly minRecords?: number;
  /**
   * After a failed commit, no early one for this long (the commit interval: its commit is the retry). Without it, a
   * paused source whose commits fail would retry at once, in a loop. Default: 1000.
   */
  readonly retryAfterFailureMs?: number;
}

export class CommitPacer {
  private lastStart = Number.NEGATIVE_INFINITY;
  /** Until when a failed commit holds early commits back. */
  private failedUntil = Number.NEGATIVE_INFINITY;
  private readonly minRecords: number;

  constructor(private readonly options: CommitPacerOptions) {
    this.minRecords = Math.max(1, options.minRecords ?? Math.floor(options.maxInFlight / 16));
  }

  /**
   * Milliseconds until an early commit should start (0: now), or undefined when none is due: no pressure, nothing
   * worth committing, or a commit already on its way (its answer asks again).
   */
  due(pressure: CommitPressure, now: number): number | undefined {
    const { inFlight, uncommitted, committing, paused } = pressure;
    if (committing || uncommitted <= 0 || now < this.failedUntil) return undefined;
    const half = this.options.maxInFlight / 2;
    // Paused: a commit that brings the window down to half resumes the partitions, however few records it carries.
    const releases = paused && inFlight - uncommitted <= half;
    const worth = inFlight >= half && uncommitted >= this.minRecords;
    if (!releases && !worth) return undefined;
    // Ending a pause waits for nothing: a paused source reads nothing (and librdkafka drops its prefetch meanwhile).
    if (releases) return 0;
    return Math.max(0, this.lastStart + this.options.minSpacingMs - now);
  }

  /** A commit (early or by the interval) was sent at `now`. */
  started(now: number): void {
    this.lastStart = now;
  }

  /** The broker answered a commit at `now`: a failure holds early commits back until the next interval's retry. */
  answered(ok: boolean, now: number): void {
    this.failedUntil = ok ? Number.NEGATIVE_INFINITY : now + (this.options.retryAfterFailureMs ?? 1000);
  }
}

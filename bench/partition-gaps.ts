/**
 * The receiver's view of each partition's idle time, for `bench:connect`: records went to the topic round robin
 * (`"seq":n` in partition n % partitions), so a body's first and last seq name its partition. Per partition: the
 * time from the answer to its last request to its next request (a gap), and the time it had a request at the
 * receiver (overlapping requests counted once). A body whose first and last records are of different partitions is
 * counted as mixed and left out.
 */
const SEQ_AT_START = /"seq":(\d+)/;
const SEQ_KEY = '"seq":';

export interface GapCounts {
  /** Gaps summed, ms, and how many. */
  readonly partitionGapMs: number;
  readonly partitionGaps: number;
  /** Time partitions had a request at the receiver, summed, ms. */
  readonly partitionServedMs: number;
  /** Bodies with records of more than one partition (left out). */
  readonly mixedBodies: number;
}

/** A request being answered: its partition and the tracking round it belongs to. */
export interface GapToken {
  readonly partition: number;
  readonly round: number;
}

export class PartitionGaps {
  private partitions = 0;
  private round = 0;
  private lastAnswer = new Map<number, number>();
  private serving = new Map<number, { count: number; since: number }>();
  private counts = { partitionGapMs: 0, partitionGaps: 0, partitionServedMs: 0, mixedBodies: 0 };

  /** Starts over (a new run); `partitions` 0 or undefined turns tracking off. Answers to earlier requests are ignored. */
  reset(partitions: number | undefined): void {
    this.partitions = partitions ?? 0;
    this.round += 1;
    this.lastAnswer = new Map();
    this.serving = new Map();
    this.counts = { partitionGapMs: 0, partitionGaps: 0, partitionServedMs: 0, mixedBodies: 0 };
  }

  report(): GapCounts {
    return { ...this.counts };
  }

  /** A request arrived at `now`; its token goes to `answered`. */
  arrived(body: Buffer, now: number): GapToken | undefined {
    const partition = this.partitionOf(body);
    if (partition === undefined) return undefined;
    const state = this.serving.get(partition) ?? { count: 0, since: now };
    if (state.count === 0) {
      const last = this.lastAnswer.get(partition);
      if (last !== undefined) {
        this.counts.partitionGapMs += now - last;
        this.counts.partitionGaps += 1;
      }
      state.since = now;
    }
    state.count += 1;
    this.serving.set(partition, state);
    return { partition, round: this.round };
  }

  answered(token: GapToken | undefined, now: number): void {
    if (token === undefined || token.round !== this.round) return;
    const state = this.serving.get(token.partition);
    if (!state || state.count === 0) return;
    state.count -= 1;
    if (state.count > 0) return;
    this.counts.partitionServedMs += now - state.since;
    this.lastAnswer.set(token.partition, now);
  }

  private partitionOf(body: Buffer): number | undefined {
    if (this.partitions <= 0) return undefined;
    const first = SEQ_AT_START.exec(body.toString('latin1', 0, Math.min(body.length, 64)));
    const lastAt = body.lastIndexOf(SEQ_KEY);
    const last = lastAt >= 0 ? SEQ_AT_START.exec(body.toString('latin1', lastAt, Math.min(body.length, lastAt + 32))) : null;
    if (!first || !last) return undefined;
    const partition = Number(first[1]) % this.partitions;
    if (Number(last[1]) % this.partitions !== partition) {
      this.counts.mixedBodies += 1;
      return undefined;
    }
    return partition;
  }
}

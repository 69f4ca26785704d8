/**
 * Adaptive request concurrency (AIMD): the limit on requests in flight grows by one per window in which the limit
 * was reached without back-pressure or a latency rise, and shrinks by a factor on 429/503/timeouts or when latency
 * climbs past its recent mean plus a deviation band. Pure: time comes from `now`, so tests run it on a fake clock.
 */

/** A concurrency bound that may change while requests run (see `mergeMapByKey`). */
export interface ConcurrencyLimiter {
  /** Most requests that may be in flight now. */
  readonly limit: number;
  /** Told how many run after each start and finish, so it knows whether the limit was reached. */
  running(count: number): void;
  /** Called after the limit changed; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

/** How one request ended, as the limiter sees it. */
export interface RequestFeedback {
  /** Time from send to response (or failure), in ms. */
  readonly rttMs: number;
  /** The endpoint pushed back: 429, 503 or a timeout. */
  readonly backpressure: boolean;
}

export interface AdaptiveConcurrencyOptions {
  /** Limit at start (default 1). */
  readonly initial?: number;
  /** Bounds of the limit (default 1 and 256). */
  readonly min?: number;
  readonly max?: number;
  /** Factor applied on back-pressure or a latency rise (default 0.9). */
  readonly decreaseRatio?: number;
  /** A window's mean RTT above the past mean plus this many deviations counts as a rise (default 2.5). */
  readonly deviationScale?: number;
  /** A rise must also exceed the past mean by this fraction, so jitter on a steady endpoint is no rise (default 0.25). */
  readonly minRise?: number;
  /** Weight of the newest window in the moving RTT mean and deviation (default 0.4). */
  readonly ewmaAlpha?: number;
  /** Shortest observation window in ms; a window otherwise lasts one past mean RTT (default 10). */
  readonly minWindowMs?: number;
  /** Clock in ms (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * The AIMD limiter. Feed it every request's outcome with `record`; `mergeMapByKey` reads `limit` and reports
 * `running`.
 *
 * @example
 * const limiter = new AdaptiveConcurrency({ max: 64 });
 * requests$.pipe(mergeMapByKey(keyOf, send, limiter));
 */
export class AdaptiveConcurrency implements ConcurrencyLimiter {
  private current: number;
  private readonly min: number;
  private readonly max: number;
  private readonly decreaseRatio: number;
  private readonly deviationScale: number;
  private readonly alpha: number;
  private readonly minRise: number;
  private readonly minWindowMs: number;
  private readonly now: () => number;
  private readonly listeners = new Set<() => void>();
  private pastRtt: number | undefined;
  private deviation = 0;
  private windowStart: number;
  private windowRttSum = 0;
  private windowCount = 0;
  private windowBackpressure = false;
  private windowReachedLimit = false;
  private windowDecreased = false;
  /** When the limit last shrank; back-pressure on a request sent before then is not counted again. */
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;

  constructor(options: AdaptiveConcurrencyOptions = {}) {
    this.min = Math.max(1, options.min ?? 1);
    this.max = Math.max(this.min, options.max ?? 256);
    this.current = clamp(options.initial ?? 1, this.min, this.max);
    this.decreaseRatio = options.decreaseRatio ?? 0.9;
    this.deviationScale = options.deviationScale ?? 2.5;
    this.alpha = options.ewmaAlpha ?? 0.4;
    this.minRise = options.minRise ?? 0.25;
    this.minWindowMs = options.minWindowMs ?? 10;
    this.now = options.now ?? Date.now;
    this.windowStart = this.now();
  }

  get limit(): number {
    return this.current;
  }

  /** The moving mean RTT of past windows (undefined before the first window closed). */
  get meanRttMs(): number | undefined {
    return this.pastRtt;
  }

  running(count: number): void {
    if (count >= this.current) this.windowReachedLimit = true;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * One request's outcome; closes the observation window when it has lasted long enough. Back-pressure shrinks the
   * limit at once, once per window, and only for a request sent after the last decrease: a fast 503 must not let the
   * slot it frees be filled (and rejected) again and again until the window ends, and answers to requests sent
   * under the old limit say nothing about the new one.
   */
  record(feedback: RequestFeedback): void {
    this.windowRttSum += feedback.rttMs;
    this.windowCount += 1;
    const now = this.now();
    if (feedback.backpressure) {
      this.windowBackpressure = true;
      if (!this.windowDecreased && now - feedback.rttMs >= this.lastDecreaseAt) this.decrease(now);
    }
    if (now - this.windowStart >= Math.max(this.minWindowMs, this.pastRtt ?? 0)) this.closeWindow(now);
  }

  private closeWindow(now: number): void {
    const mean = this.windowRttSum / this.windowCount;
    const previous = this.current;
    if (this.windowBackpressure) {
      // Decreased already when the back-pressure arrived (or it answered a request sent under an older limit).
    } else if (this.pastRtt !== undefined && mean > this.pastRtt + Math.max(this.deviationScale * this.deviation, this.minRise * this.pastRtt)) {
      this.current = this.decreased();
      this.lastDecreaseAt = now;
    } else if (this.windowReachedLimit) {
      this.current = Math.min(this.max, this.current + 1);
    }
    // Back-pressure answers are often fast rejections: they would drag the mean down and hide a real rise.
    if (!this.windowBackpressure) {
      if (this.pastRtt === undefined) {
        this.pastRtt = mean;
      } else {
        this.deviation = (1 - this.alpha) * this.deviation + this.alpha * Math.abs(mean - this.pastRtt);
        this.pastRtt = (1 - this.alpha) * this.pastRtt + this.alpha * mean;
      }
    }
    this.windowStart = now;
    this.windowRttSum = 0;
    this.windowCount = 0;
    this.windowBackpressure = false;
    this.windowDecreased = false;
    this.windowReachedLimit = false;
    if (this.current !== previous) this.notify();
  }

  private decrease(now: number): void {
    const previous = this.current;
    this.current = this.decreased();
    this.lastDecreaseAt = now;
    this.windowDecreased = true;
    if (this.current !== previous) this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private decreased(): number {
    return clamp(Math.min(this.current - 1, Math.floor(this.current * this.decreaseRatio)), this.min, this.max);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

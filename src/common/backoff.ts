/** Backoff policies: how long to wait before retry number n (1-based). Pure, so tests pass their own random. */

export type BackoffPolicy = 'fixed' | 'exponential' | 'exponential_with_jitter';

export interface BackoffOptions {
  readonly policy: BackoffPolicy;
  /** The fixed wait, and the first wait of the exponential policies (Aiven's `retry.backoff.ms`). */
  readonly baseMs: number;
  /** No wait is longer than this. */
  readonly maxMs: number;
}

/**
 * fixed: base every time. exponential: base * 2^(n-1). exponential_with_jitter: a uniform random wait between half
 * of that and all of it, so many clients that failed together do not retry together. All capped by maxMs.
 */
export function backoffDelay(options: BackoffOptions, retry: number, random: () => number = Math.random): number {
  const { policy, baseMs, maxMs } = options;
  if (policy === 'fixed') return Math.min(baseMs, maxMs);
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(retry - 1, 0), 40));
  if (policy === 'exponential') return exponential;
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

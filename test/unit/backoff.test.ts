import { describe, expect, it } from '@jest/globals';
import { backoffDelay } from '../../src/common/backoff.js';
import { retryBackoffOptions } from '../../src/deliver/retry-config.js';
import { HttpStatusError } from '../../src/common/errors.js';

const delays = (policy: 'fixed' | 'exponential' | 'exponential_with_jitter', random: () => number): number[] =>
  [1, 2, 3, 4, 5, 6].map((n) => backoffDelay({ policy, baseMs: 100, maxMs: 1000 }, n, random));

describe('backoffDelay', () => {
  it('fixed waits the base every time (Aiven)', () => {
    expect(delays('fixed', Math.random)).toEqual([100, 100, 100, 100, 100, 100]);
  });

  it('exponential doubles up to the maximum', () => {
    expect(delays('exponential', Math.random)).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('exponential_with_jitter stays between half and all of the exponential wait', () => {
    expect(delays('exponential_with_jitter', () => 0)).toEqual([50, 100, 200, 400, 500, 500]);
    expect(delays('exponential_with_jitter', () => 0.999_999)).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('never overflows on a huge retry count', () => {
    expect(backoffDelay({ policy: 'exponential', baseMs: 3000, maxMs: 60_000 }, 10_000)).toBe(60_000);
  });
});

describe('retryBackoffOptions', () => {
  const options = retryBackoffOptions({ maxRetries: 3, policy: 'exponential', baseMs: 100, maxMs: 1000, maxElapsedMs: undefined, retryAfterMaxMs: 5000 });
  const delayOf = (retry: number, error: unknown): number => (options.delayMs as (n: number, e: unknown) => number)(retry, error);

  it('waits what Retry-After asked, capped', () => {
    expect(delayOf(1, new HttpStatusError(429, '', true, 2000))).toBe(2000);
    expect(delayOf(1, new HttpStatusError(429, '', true, 600_000))).toBe(5000);
  });

  it('uses the backoff policy otherwise', () => {
    expect(delayOf(3, new HttpStatusError(500, '', true))).toBe(400);
  });
});

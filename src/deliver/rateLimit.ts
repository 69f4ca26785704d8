import { map, mergeMap, type MonoTypeOperatorFunction, of, timer } from 'rxjs';
import type { TokenBucket } from './rate-limit.js';

/**
 * Lets each value through once the token bucket grants it a token, waiting when the rate is used up; without a
 * bucket, passes values straight through. Put it right before the send, so every attempt counts.
 *
 * @example
 * of(request).pipe(rateLimit(tokenBucket(50)), mergeMap(send))
 */
export function rateLimit<T>(bucket: TokenBucket | undefined): MonoTypeOperatorFunction<T> {
  if (bucket === undefined) return (source) => source;
  // The token is taken when the value arrives; the bucket queues the waits, so values keep their order.
  return mergeMap((value) => {
    const waitMs = bucket.take();
    return waitMs > 0 ? timer(waitMs).pipe(map(() => value)) : of(value);
  });
}

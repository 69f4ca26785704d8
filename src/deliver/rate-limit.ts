/** The request-rate limit: a token bucket shared by every request (retries and resends included). */
import { int } from '../common/config/formats.js';
import type { ConfigSpec } from '../common/config/spec.js';

export const rateLimitConfigSpec = {
  'http.rate.limit': {
    doc: 'Most requests per second (every attempt counts), as a token bucket that allows bursts of up to one second\'s worth. 0: no limit.',
    format: int(0, 1_000_000),
    default: 0,
  },
} satisfies ConfigSpec;

export interface TokenBucket {
  /** Takes a token and says how many ms to wait before using it (0: now). Callers waiting queue up fairly. */
  take(): number;
}

/** `rate` tokens per second, holding at most max(1, rate); starts full. `now` is injectable for tests. */
export function tokenBucket(rate: number, now: () => number = Date.now): TokenBucket {
  const capacity = Math.max(1, rate);
  let tokens = capacity;
  let last = now();
  return {
    take: () => {
      const t = now();
      tokens = Math.min(capacity, tokens + ((t - last) * rate) / 1000);
      last = t;
      tokens -= 1;
      return tokens >= 0 ? 0 : Math.ceil((-tokens * 1000) / rate);
    },
  };
}

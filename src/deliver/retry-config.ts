/** Connector-file keys for retrying a failed request: Aiven's count and fixed wait, backoff policies, Retry-After. */
import { int, oneOf } from '../common/config/formats.js';
import type { ConfigSpec, ConfigValues } from '../common/config/spec.js';
import { HttpStatusError } from '../common/errors.js';
import type { RetryBackoffOptions } from './retryBackoff.js';
import { backoffDelay, type BackoffOptions } from '../common/backoff.js';

export const retryConfigSpec = {
  'max.retries': { doc: 'Retries after the first attempt of a request (attempts = max.retries + 1). Then the records fail (see `errors.tolerance`).', format: int(0, 1_000_000), default: 1 },
  'retry.backoff.ms': { doc: 'Wait between attempts, in ms (`fixed`), or the first wait (`exponential*`).', format: int(0, 86_400_000), default: 3000 },
  'retry.backoff.policy': {
    doc: '`fixed` (Aiven: always `retry.backoff.ms`), `exponential` (doubles each retry) or `exponential_with_jitter` (a random wait between half and all of the doubled one).',
    format: oneOf(['fixed', 'exponential', 'exponential_with_jitter']),
    default: 'fixed',
  },
  'retry.backoff.max.ms': { doc: 'Longest wait between attempts, in ms, whatever the policy.', format: int(0, 86_400_000), default: 60_000 },
  'retry.max.duration.ms': {
    doc: 'Stop retrying a request when the next wait would end more than this many ms after its first attempt; 0: no limit (only `max.retries`).',
    format: int(0, 86_400_000),
    default: 0,
  },
  'retry.after.max.ms': {
    doc: 'A 429 or 503 with `Retry-After` (seconds or an HTTP date) waits what the endpoint asks, at most this long, instead of the backoff; 0 ignores `Retry-After`.',
    format: int(0, 86_400_000),
    default: 60_000,
  },
} satisfies ConfigSpec;

export interface RetryOptions extends BackoffOptions {
  readonly maxRetries: number;
  readonly maxElapsedMs: number | undefined;
  readonly retryAfterMaxMs: number;
}

export function retryOptions(values: ConfigValues<typeof retryConfigSpec>): Pick<RetryBackoffOptions, 'maxRetries' | 'delayMs' | 'maxElapsedMs'> {
  return retryBackoffOptions({
    maxRetries: values.number('max.retries'),
    policy: values.get('retry.backoff.policy'),
    baseMs: values.number('retry.backoff.ms'),
    maxMs: values.number('retry.backoff.max.ms'),
    maxElapsedMs: values.number('retry.max.duration.ms') || undefined,
    retryAfterMaxMs: values.number('retry.after.max.ms'),
  });
}

/** The wait before each retry: the endpoint's `Retry-After` when it gave one (capped), else the backoff policy. */
export function retryBackoffOptions(options: RetryOptions): Pick<RetryBackoffOptions, 'maxRetries' | 'delayMs' | 'maxElapsedMs'> {
  return {
    maxRetries: options.maxRetries,
    maxElapsedMs: options.maxElapsedMs,
    delayMs: (retry, error) => {
      if (error instanceof HttpStatusError && error.retryAfterMs !== undefined && options.retryAfterMaxMs > 0) {
        return Math.min(error.retryAfterMs, options.retryAfterMaxMs);
      }
      return backoffDelay(options, retry);
    },
  };
}

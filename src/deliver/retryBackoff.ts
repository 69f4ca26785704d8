import { asyncScheduler, defer, type MonoTypeOperatorFunction, retry, throwError, timer } from 'rxjs';

export interface RetryBackoffOptions {
  /** Retries after the first attempt (Aiven's `max.retries`: attempts = maxRetries + 1). */
  readonly maxRetries: number;
  /** Wait before retry number `retry` (1-based), in ms. A number is a fixed wait (Aiven's `retry.backoff.ms`). */
  readonly delayMs: number | ((retry: number, error: unknown) => number);
  /** Stop retrying when the next wait would end later than this many ms after the first attempt started. */
  readonly maxElapsedMs?: number;
  /** Errors for which another attempt cannot help are passed on at once. Default: every error is retried. */
  readonly shouldRetry?: (error: unknown) => boolean;
  /** Called before each wait, e.g. to log it. */
  readonly onRetry?: (error: unknown, retry: number, delayMs: number) => void;
}

/**
 * Resubscribes to the source after an error, waiting between attempts; gives up after `maxRetries` retries, when
 * `maxElapsedMs` would be passed, or on an error `shouldRetry` rejects. Put it on the request (inside `mergeMap`),
 * never on the whole pipeline.
 *
 * @example
 * defer(() => send(request)).pipe(retryBackoff({ maxRetries: 3, delayMs: (n) => 100 * 2 ** n }))
 * @see retry
 */
export function retryBackoff<T>(options: RetryBackoffOptions): MonoTypeOperatorFunction<T> {
  return (source) =>
    defer(() => {
      const started = asyncScheduler.now(); // virtual in marble tests
      return source.pipe(
        retry({
          count: options.maxRetries,
          delay: (error: unknown, retryCount: number) => {
            if (options.shouldRetry && !options.shouldRetry(error)) return throwError(() => error);
            const wait = typeof options.delayMs === 'number' ? options.delayMs : options.delayMs(retryCount, error);
            if (options.maxElapsedMs !== undefined && asyncScheduler.now() + wait - started > options.maxElapsedMs) return throwError(() => error);
            options.onRetry?.(error, retryCount, wait);
            return timer(wait);
          },
        }),
      );
    });
}

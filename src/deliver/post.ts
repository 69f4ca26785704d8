import { catchError, defer, map, mergeMap, Observable, of, type OperatorFunction, throwError } from 'rxjs';
import { type Authorizer, withoutCredentials } from './auth/authorizer.js';
import type { Logger } from 'winston';
import { DeliveryError, describeRecords, HttpNetworkError, SinkError } from '../common/errors.js';
import type { AdaptiveConcurrency, ConcurrencyLimiter } from './adaptive-concurrency.js';
import type { DeadLetters } from '../records/outcome.js';
import type { TokenBucket } from './rate-limit.js';
import type { Send } from './http-service.js';
import { withLimiterFeedback } from './limiter-feedback.js';
import { RequestSlots } from './request-slots.js';
import type { Delivery, HttpRequest, HttpResponse } from '../request/request.js';
import { checkResponse, type StatusPolicy } from './status-policy.js';
import { authorize } from './authorize.js';
import { deadLetter } from './deadLetter.js';
import { rateLimit } from './rateLimit.js';
import { mergeMapByKey } from './mergeMapByKey.js';
import { retryBackoff, type RetryBackoffOptions } from './retryBackoff.js';

export interface PostOptions {
  /** Sends one request (see `createHttpService`); inject a fake in tests. */
  readonly send: Send;
  readonly authorizer: Authorizer;
  readonly policy: StatusPolicy;
  readonly retry: Omit<RetryBackoffOptions, 'shouldRetry'>;
  /**
   * Most requests in flight: a number, or a limiter (`http.concurrency=adaptive`) that also gets every attempt's
   * outcome. Either way an attempt holds a slot only while it runs, so a request waiting for its retry backoff leaves
   * its slot to another (requests with the same key still wait for each other's whole delivery).
   */
  readonly concurrency: number | AdaptiveConcurrency;
  /** Requests with the same key are sent one after another, in order; undefined: no order (see `orderingKey`). */
  readonly keyOf: (request: HttpRequest) => string | undefined;
  /** Where records go when the policy says `dlq` or `drop` (see `deadLetter`); without it only `drop` is possible. */
  readonly deadLetters?: DeadLetters;
  /** Shared request-rate limit (`http.rate.limit`); every attempt takes a token. */
  readonly rateLimit?: TokenBucket;
  /** Each retry is logged here (warn): which records, what failed, the attempt and the wait. */
  readonly log?: Logger;
}

/**
 * Sends each request with bounded concurrency, per-key order, authorization applied per attempt and retry with
 * backoff on retriable failures. A status the authorizer calls a refused credential (OAuth2's renew codes) resends
 * the request once with a fresh one, inside the same attempt. Emits a Delivery per request that succeeded. When a
 * request fails for good, the policy decides: `dlq`/`drop` emit a Delivery with that outcome once its records were
 * handed to `deadLetters`; `fail` errors the stream with a DeliveryError naming the records and the last status or
 * network error.
 *
 * @example
 * requests$.pipe(post({ send, authorizer: noAuthorization, policy: defaultStatusPolicy, retry: { maxRetries: 1, delayMs: 3000 }, concurrency: 8, keyOf: () => undefined }))
 */
export function post(options: PostOptions): OperatorFunction<HttpRequest, Delivery> {
  const { concurrency } = options;
  const limiter = typeof concurrency === 'number' ? fixedLimit(concurrency) : concurrency;
  const send = typeof concurrency === 'number' ? options.send : withLimiterFeedback(options.send, concurrency);
  const sending = { ...options, send }; // once, not per request
  return (requests) =>
    defer(() => {
      // Per subscription: the slots count this stream's attempts; a key still waits for its whole delivery.
      const slots = new RequestSlots(limiter);
      return requests.pipe(mergeMapByKey(options.keyOf, (request) => deliver(request, sending, slots), slots));
    });
}

/** A limit that never changes (`http.concurrency` as a number). */
function fixedLimit(limit: number): ConcurrencyLimiter {
  return { limit, running: () => undefined, onChange: () => () => undefined };
}

/** One request, retries included; each attempt runs in a slot of its own (see RequestSlots). */
function deliver(request: HttpRequest, options: PostOptions, slots: RequestSlots): Observable<Delivery> {
  let attempts = 0;
  return defer(() => {
    attempts += 1;
    return slots.hold(sendAuthorized(request, options).pipe(map((response) => checkResponse(response, options.policy))));
  }).pipe(
    retryBackoff({
      ...options.retry,
      shouldRetry: (error) => error instanceof SinkError && error.retriable,
      onRetry: (error, retry, waitMs) =>
        options.log?.warn('request failed; retrying', { records: describeRecords(request.records), attempt: retry, of: options.retry.maxRetries + 1, waitMs, error: asSinkError(error).message }),
    }),
    map((response): Delivery => ({ request, response, attempts, outcome: 'delivered', records: request.records })),
    catchError((error: unknown) => throwError(() => new DeliveryError(request.records, attempts, asSinkError(error)))),
    deadLetter({ request, policy: options.policy, deadLetters: options.deadLetters }),
  );
}

/**
 * One attempt: authorize and send. When the authorizer says the status means its credential was refused (OAuth2's
 * renew codes), it forgets that credential and the request is resent once with a fresh one; the attempt's final
 * response then goes through the status policy like any other.
 */
function sendAuthorized(request: HttpRequest, options: PostOptions): Observable<HttpResponse> {
  const { authorizer, send } = options;
  const once = (): Observable<{ sent: HttpRequest; response: HttpResponse }> =>
    of(request).pipe(
      rateLimit(options.rateLimit),
      authorize(authorizer),
      mergeMap((sent) =>
        sendOnce(send, sent).pipe(
          // An endpoint that echoes the Authorization header must not put it into an error message.
          map((response) => ({ sent, response: { ...response, body: withoutCredentials(response.body, sent.headers) } })),
        ),
      ),
    );
  return once().pipe(
    mergeMap(({ sent, response }) => {
      if (authorizer.shouldRenew?.(response.status) !== true) return of(response);
      authorizer.invalidate?.(sent.headers);
      return once().pipe(map((renewed) => renewed.response));
    }),
  );
}

/** The send as a cancellable Observable: unsubscribing aborts the request. */
function sendOnce(send: Send, request: HttpRequest): Observable<HttpResponse> {
  return new Observable<HttpResponse>((subscriber) => {
    const controller = new AbortController();
    let settled = false;
    send(request, controller.signal).then(
      (response) => {
        settled = true;
        subscriber.next(response);
        subscriber.complete();
      },
      (error: unknown) => {
        settled = true;
        subscriber.error(error);
      },
    );
    // Aborting a finished request would only cost an AbortError per request (hot path with one record per request).
    return () => {
      if (!settled) controller.abort();
    };
  });
}

function asSinkError(error: unknown): SinkError {
  if (error instanceof SinkError) return error;
  return new HttpNetworkError('UNKNOWN', error instanceof Error ? error.message : String(error), error);
}

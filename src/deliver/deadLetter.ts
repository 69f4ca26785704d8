import { catchError, from, map, type MonoTypeOperatorFunction, throwError } from 'rxjs';
import { DeliveryError, HttpStatusError } from '../common/errors.js';
import type { DeadLetters } from '../records/outcome.js';
import type { Delivery, HttpRequest } from '../request/request.js';
import { failureAction, type StatusPolicy } from './status-policy.js';

export interface DeadLetterOptions {
  /** The request whose delivery this guards. */
  readonly request: HttpRequest;
  /** Decides per failure: fail (the error goes on), dlq or drop. */
  readonly policy: StatusPolicy;
  /** Writes to the dead-letter topic; without it a `dlq` decision fails like `fail`. */
  readonly deadLetters?: DeadLetters;
}

/**
 * Catches the DeliveryError of one request and, when the policy says `dlq` or `drop`, hands every record of the
 * request (each with its own key, value and headers) to the dead-letter handler; once that resolved (the broker
 * acknowledged the writes), emits a Delivery with that outcome, so `commit()` may acknowledge the records. A
 * handler that fails ends the stream with its error: those offsets are never committed.
 *
 * @example
 * defer(() => sendWithRetries(request)).pipe(deadLetter({ request, policy, deadLetters }))
 */
export function deadLetter(options: DeadLetterOptions): MonoTypeOperatorFunction<Delivery> {
  const { request, policy, deadLetters } = options;
  return catchError((error: unknown) => {
    if (!(error instanceof DeliveryError)) return throwError(() => error);
    const action = failureAction(error.lastError, policy);
    if (action === 'fail' || (action === 'dlq' && deadLetters === undefined)) return throwError(() => error);
    const failed = request.records.map((record) => ({ record, error }));
    const handled = deadLetters ? from(deadLetters.handle(failed, action)) : from(Promise.resolve());
    const last = error.lastError;
    return handled.pipe(
      map(
        (): Delivery => ({
          request,
          response: last instanceof HttpStatusError ? { status: last.status, headers: {}, body: last.responseBody } : undefined,
          attempts: error.attempts,
          outcome: action === 'dlq' ? 'dead-lettered' : 'dropped',
          error,
          records: request.records,
        }),
      ),
    );
  });
}

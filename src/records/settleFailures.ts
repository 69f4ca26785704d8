/**
 * What happens to the records of one poll that failed (a converter or a transform refused them): shared by `decode`
 * and the transforms so both follow `errors.tolerance` alike.
 */
import { from, map, type Observable, of, throwError } from 'rxjs';
import type { DeadLetters, FailedRecord, FailureAction } from './outcome.js';
import { ackRecords } from './record.js';

export interface FailurePolicy {
  /** `fail` (default) stops the pipeline with the first failure's error; `dlq`/`drop` hand them to `deadLetters`. */
  readonly onError?: FailureAction;
  readonly deadLetters?: DeadLetters;
}

/**
 * Emits `kept` once the failed records are settled: none failed -> at once; `fail` (or `dlq` with nowhere to put
 * them) -> the first failure's error; else `deadLetters.handle`, then the failed records are acknowledged so their
 * offsets can be committed.
 */
export function settleFailures<R>(kept: R, failed: readonly FailedRecord[], policy: FailurePolicy): Observable<R> {
  if (failed.length === 0) return of(kept);
  const action = policy.onError ?? 'fail';
  if (action === 'fail' || (action === 'dlq' && policy.deadLetters === undefined)) return throwError(() => failed[0]!.error);
  const handled = policy.deadLetters ? from(policy.deadLetters.handle(failed, action)) : of(undefined);
  return handled.pipe(
    map(() => {
      ackRecords(failed.map((f) => f.record));
      return kept;
    }),
  );
}

import { type MonoTypeOperatorFunction, tap } from 'rxjs';
import { ackRecords, type SinkRecord } from '../records/record.js';

/**
 * Acknowledges the records of each delivered request. The Kafka source commits per partition only up to the
 * lowest offset not yet acknowledged, so out-of-order completions never commit past a request still in flight.
 *
 * @example
 * deliveries$.pipe(commit())
 */
export function commit<T extends { readonly records: readonly SinkRecord[] }>(): MonoTypeOperatorFunction<T> {
  return tap((delivered) => ackRecords(delivered.records));
}

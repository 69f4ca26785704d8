import { map, type OperatorFunction } from 'rxjs';
import { ackRecords, type SinkRecord } from '../records/record.js';

/**
 * Keeps the records that pass `predicate` and acknowledges the others, so that skipping a record still lets its
 * offset be committed. Use it instead of a plain `filter` on records: a record that silently disappears from the
 * stream holds its partition's commit back forever.
 *
 * @example
 * decoded$.pipe(filterRecords((r) => (r.value as { metric: string }).metric !== 'Debug'))
 */
export function filterRecords<R extends SinkRecord>(predicate: (record: R) => boolean): OperatorFunction<readonly R[], R[]> {
  return map((records) => {
    const kept: R[] = [];
    const skipped: R[] = [];
    for (const record of records) (predicate(record) ? kept : skipped).push(record);
    ackRecords(skipped);
    return kept;
  });
}

import { from, map, mergeMap, type MonoTypeOperatorFunction } from 'rxjs';
import type { Reporter } from './reporter.js';
import type { Delivery } from '../request/request.js';

/**
 * Writes each delivery's outcome to the reporting topics and passes it on once the broker acknowledged the reports,
 * so `commit()` never commits a record whose report was lost. Without a reporter, passes deliveries through.
 *
 * @example
 * requests$.pipe(post(options), report(reporter), commit())
 */
export function report(reporter: Reporter | undefined): MonoTypeOperatorFunction<Delivery> {
  if (reporter === undefined) return (deliveries) => deliveries;
  return mergeMap((delivery) => from(reporter.report(delivery)).pipe(map(() => delivery)));
}

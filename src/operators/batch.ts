import { bufferTime, debounceTime, filter, groupBy, mergeMap, type OperatorFunction } from 'rxjs';
import type { SinkRecord } from '../source/record.js';

export interface BatchOptions {
  /** Off: every record is its own request (Aiven's `batching.enabled=false`). */
  readonly enabled: boolean;
  /** Most records per request (Aiven's `batch.max.size`). */
  readonly maxSize: number;
  /** A batch that is not full leaves at the latest this long after it was started; 0 cuts batches from each poll. */
  readonly lingerMs: number;
  /** Records with different keys never share a batch (see `orderingKey`); undefined keys share one. */
  readonly keyOf: (record: SinkRecord) => string | undefined;
}

/**
 * Cuts the stream of polled record arrays into request-sized batches: full batches leave at once, others after
 * `lingerMs`; records of different ordering keys go to different batches, each key keeping its order.
 *
 * @example
 * decoded$.pipe(batch({ enabled: true, maxSize: 500, lingerMs: 100, keyOf: orderingKey('partition') }))
 * @see bufferTime
 */
export function batch(options: BatchOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  if (!options.enabled || options.maxSize === 1) return mergeMap((records) => cutPoll(records, options.keyOf, 1));
  if (options.lingerMs === 0) return mergeMap((records) => cutPoll(records, options.keyOf, options.maxSize));
  const idleMs = Math.max(1000, options.lingerMs * 4);
  return (records$) =>
    records$.pipe(
      mergeMap((records) => records),
      groupBy((record) => options.keyOf(record) ?? '', { duration: (group) => group.pipe(debounceTime(idleMs)) }),
      mergeMap((group) => group.pipe(bufferTime(options.lingerMs, null, options.maxSize))),
      filter((records) => records.length > 0),
    );
}

/** Batches from one poll's records alone: per key, in order, at most `maxSize` each. */
function cutPoll(records: readonly SinkRecord[], keyOf: BatchOptions['keyOf'], maxSize: number): SinkRecord[][] {
  if (maxSize === 1) return records.map((record) => [record]);
  const batches: SinkRecord[][] = [];
  const open = new Map<string, SinkRecord[]>();
  for (const record of records) {
    const key = keyOf(record) ?? '';
    let current = open.get(key);
    if (!current || current.length >= maxSize) {
      current = [];
      open.set(key, current);
      batches.push(current);
    }
    current.push(record);
  }
  return batches;
}

import { asyncScheduler, mergeMap, Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { SinkRecord } from '../records/record.js';

export interface BatchOptions {
  /** Off: every record is its own request (Aiven's `batching.enabled=false`). */
  readonly enabled: boolean;
  /** Most records per request (Aiven's `batch.max.size`). */
  readonly maxSize: number;
  /** A batch that is not full leaves at the latest this long after it was started; 0 cuts batches from each poll. */
  readonly lingerMs: number;
  /** Records with different keys never share a batch (see `orderingKey`); undefined keys share one. */
  readonly keyOf: (record: SinkRecord) => string | undefined;
  /** Runs the linger timers (tests: virtual time). Default: asyncScheduler. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Cuts the stream of polled record arrays into request-sized batches: full batches leave at once, others after
 * `lingerMs` after their first record arrived; records of different ordering keys go to different batches, each key
 * keeping its order. Works on whole arrays: no per-record emission, one timer per open batch.
 *
 * @example
 * decoded$.pipe(batch({ enabled: true, maxSize: 500, lingerMs: 100, keyOf: orderingKey('partition') }))
 * @see bufferTime
 */
export function batch(options: BatchOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  if (!options.enabled || options.maxSize === 1) return mergeMap((records) => cutPoll(records, options.keyOf, 1));
  if (options.lingerMs === 0) return mergeMap((records) => cutPoll(records, options.keyOf, options.maxSize));
  return lingering(options);
}

interface OpenBatch {
  readonly records: SinkRecord[];
  readonly timer: Subscription;
}

/** Open batches per key; a batch leaves when full, after lingerMs, or when the source ends. */
function lingering(options: BatchOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  const { maxSize, lingerMs, keyOf } = options;
  const scheduler = options.scheduler ?? asyncScheduler;
  return (records$) =>
    new Observable<SinkRecord[]>((subscriber) => {
      const open = new Map<string, OpenBatch>();
      const flush = (key: string): void => {
        const current = open.get(key);
        if (!current) return;
        open.delete(key);
        current.timer.unsubscribe();
        subscriber.next(current.records);
      };
      const subscription = records$.subscribe({
        next: (records) => {
          // keyOf is config or user code: a throw goes to the pipeline's error path (as RxJS's own operators do),
          // never to uncaughtException.
          try {
            // Polls come in partition runs: consecutive records mostly share a key, so the last one's batch is kept.
            let lastKey: string | undefined;
            let current: OpenBatch | undefined;
            for (const record of records) {
              const key = keyOf(record) ?? '';
              if (key !== lastKey || current === undefined) {
                current = open.get(key);
                lastKey = key;
              }
              if (!current) {
                current = { records: [], timer: scheduler.schedule(() => flush(key), lingerMs) };
                open.set(key, current);
              }
              current.records.push(record);
              if (current.records.length >= maxSize) {
                flush(key);
                current = undefined;
              }
            }
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          for (const key of [...open.keys()]) flush(key);
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        for (const current of open.values()) current.timer.unsubscribe();
        open.clear();
      };
    });
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

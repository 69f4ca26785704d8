import { from, Observable, type ObservableInput, type OperatorFunction, type Subscription } from 'rxjs';
import type { ConcurrencyLimiter } from './adaptive-concurrency.js';

/**
 * Like `mergeMap(project, concurrency)`, but values with the same key run one at a time, in arrival order, while
 * values with different keys run in parallel. With one key for everything it is `concatMap`; with no key
 * (undefined) for everything it is `mergeMap`.
 *
 * Waiting values are queued per key; how many wait is bounded upstream (the Kafka source pauses).
 * `concurrency` may be a limiter whose limit changes while values run (adaptive concurrency): a lower limit lets
 * running inners finish and starts no new one until fewer run; a higher one starts waiting values at once.
 *
 * @example
 * requests$.pipe(mergeMapByKey((r) => r.partitionKey, (r) => send(r), 8))
 * @see mergeMap
 */
export function mergeMapByKey<T, R>(
  keyOf: (value: T) => string | undefined,
  project: (value: T) => ObservableInput<R>,
  concurrency: number | ConcurrencyLimiter,
): OperatorFunction<T, R> {
  const limiter = typeof concurrency === 'number' ? undefined : concurrency;
  const limit = limiter ? () => limiter.limit : () => concurrency as number;
  return (source) =>
    new Observable<R>((subscriber) => {
      const queues = new Map<string | symbol, T[]>();
      /** Keys with queued values and nothing running, oldest first (a FIFO: shift() on a long array is O(n)). */
      const ready = new Fifo<string | symbol>();
      const running = new Set<string | symbol>();
      const inners = new Set<Subscription>();
      let sourceDone = false;

      const start = (key: string | symbol, value: T): void => {
        if (subscriber.closed) return;
        let input: ObservableInput<R>;
        try {
          input = project(value);
        } catch (error) {
          subscriber.error(error);
          return;
        }
        running.add(key);
        limiter?.running(running.size);
        let finished = false;
        let inner: Subscription | undefined = undefined;
        inner = from(input).subscribe({
          next: (result) => subscriber.next(result),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            finished = true;
            if (inner) inners.delete(inner);
            running.delete(key);
            limiter?.running(running.size);
            if (queues.has(key)) ready.push(key);
            drain();
          },
        });
        if (!finished) inners.add(inner);
      };

      const drain = (): void => {
        while (running.size < limit() && ready.size > 0) {
          const key = ready.shift()!;
          const queue = queues.get(key)!;
          const value = queue.shift()!;
          if (queue.length === 0) queues.delete(key);
          start(key, value);
        }
        if (sourceDone && running.size === 0 && queues.size === 0) subscriber.complete();
      };

      const outer = source.subscribe({
        next: (value) => {
          let key: string | symbol;
          try {
            // A value without a key gets a key of its own: it waits only for a free slot.
            key = keyOf(value) ?? Symbol();
          } catch (error) {
            subscriber.error(error);
            return;
          }
          const queue = queues.get(key);
          if (queue) {
            queue.push(value);
          } else if (!running.has(key) && running.size < limit()) {
            start(key, value);
          } else {
            queues.set(key, [value]);
            if (!running.has(key)) ready.push(key);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          drain();
        },
      });

      const stopListening = limiter?.onChange(drain);

      return () => {
        stopListening?.();
        outer.unsubscribe();
        for (const inner of inners) inner.unsubscribe();
      };
    });
}

/** A queue with O(1) push and shift; the consumed head is dropped in chunks. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

import { from, Observable, type ObservableInput, type OperatorFunction, type Subscription } from 'rxjs';

/**
 * Like `mergeMap(project, concurrency)`, but values with the same key run one at a time, in arrival order, while
 * values with different keys run in parallel. With one key for everything it is `concatMap`; with no key
 * (undefined) for everything it is `mergeMap`.
 *
 * Waiting values are queued per key; how many wait is bounded upstream (the Kafka source pauses).
 *
 * @example
 * requests$.pipe(mergeMapByKey((r) => r.partitionKey, (r) => send(r), 8))
 * @see mergeMap
 */
export function mergeMapByKey<T, R>(
  keyOf: (value: T) => string | undefined,
  project: (value: T) => ObservableInput<R>,
  concurrency: number,
): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      const queues = new Map<string | symbol, T[]>();
      /** Keys with queued values and nothing running, oldest first. */
      const ready: (string | symbol)[] = [];
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
        let finished = false;
        let inner: Subscription | undefined = undefined;
        inner = from(input).subscribe({
          next: (result) => subscriber.next(result),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            finished = true;
            if (inner) inners.delete(inner);
            running.delete(key);
            if (queues.has(key)) ready.push(key);
            drain();
          },
        });
        if (!finished) inners.add(inner);
      };

      const drain = (): void => {
        while (running.size < concurrency && ready.length > 0) {
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
          } else if (!running.has(key) && running.size < concurrency) {
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

      return () => {
        outer.unsubscribe();
        for (const inner of inners) inner.unsubscribe();
      };
    });
}

import { describe, expect, it } from '@jest/globals';
import { defer, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { retryBackoff } from '../../src/deliver/retryBackoff.js';

const testScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** Subscription n (0-based) gets attempts[n]; counts the subscriptions. */
function attemptsOf<T>(attempts: readonly Observable<T>[]): { source: Observable<T>; count: () => number } {
  let n = 0;
  return { source: defer(() => attempts[n++]!), count: () => n };
}

describe('retryBackoff', () => {
  it('resubscribes after a fixed delay until an attempt succeeds', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const attempts = [cold('-#', undefined, new Error('1')), cold('-#', undefined, new Error('2')), cold('-a|')];
      const { source } = attemptsOf(attempts);

      // error at 1, wait 10 -> second attempt at 11, error at 12, wait 10 -> third attempt at 22
      expectObservable(source.pipe(retryBackoff({ maxRetries: 3, delayMs: 10 }))).toBe('23ms a|');
      expectSubscriptions(attempts[0]!.subscriptions).toBe('^!');
      expectSubscriptions(attempts[1]!.subscriptions).toBe('11ms ^!');
      expectSubscriptions(attempts[2]!.subscriptions).toBe('22ms ^-!');
    });
  });

  it('gives up after maxRetries retries with the last error', () => {
    const errors = [new Error('first'), new Error('second'), new Error('third'), new Error('never')];
    let count = (): number => 0;
    testScheduler().run(({ cold, expectObservable }) => {
      const attempts = attemptsOf(errors.map((error) => cold('-#', undefined, error)));
      count = attempts.count;

      expectObservable(attempts.source.pipe(retryBackoff({ maxRetries: 2, delayMs: 10 }))).toBe('23ms #', undefined, errors[2]);
    });
    expect(count()).toBe(3);
  });

  it('passes an error that shouldRetry rejects at once, without waiting or retrying', () => {
    const retried: unknown[] = [];
    let count = (): number => 0;
    testScheduler().run(({ cold, expectObservable }) => {
      const fatal = new Error('fatal');
      const attempts = attemptsOf([cold('-#', undefined, fatal), cold('-a|')]);
      count = attempts.count;
      const retrying = retryBackoff({ maxRetries: 5, delayMs: 10, shouldRetry: (e) => e !== fatal, onRetry: (e) => retried.push(e) });

      expectObservable(attempts.source.pipe(retrying)).toBe('-#', undefined, fatal);
    });
    expect(count()).toBe(1);
    expect(retried).toEqual([]);
  });

  it('retries the errors shouldRetry accepts and stops at the first it rejects', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const transient = new Error('transient');
      const fatal = new Error('fatal');
      const { source } = attemptsOf([cold('-#', undefined, transient), cold('-#', undefined, fatal), cold('-a|')]);

      expectObservable(source.pipe(retryBackoff({ maxRetries: 5, delayMs: 10, shouldRetry: (e) => e === transient }))).toBe('12ms #', undefined, fatal);
    });
  });

  it('calls onRetry before each wait with the error, the retry number and the delay', () => {
    const calls: { error: unknown; retry: number; delayMs: number; at: number }[] = [];
    const delays: { retry: number; error: unknown }[] = [];
    const errors = [new Error('a'), new Error('b')];
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const { source } = attemptsOf([cold('-#', undefined, errors[0]), cold('-#', undefined, errors[1]), cold('-x|')]);
      const retrying = retryBackoff({
        maxRetries: 3,
        delayMs: (retry, error) => {
          delays.push({ retry, error });
          return retry * 10;
        },
        onRetry: (error, retry, delayMs) => calls.push({ error, retry, delayMs, at: scheduler.now() }),
      });

      // error at 1, wait 10 -> attempt at 11, error at 12, wait 20 -> attempt at 32
      expectObservable(source.pipe(retrying)).toBe('33ms x|');
    });
    expect(calls).toEqual([
      { error: errors[0], retry: 1, delayMs: 10, at: 1 },
      { error: errors[1], retry: 2, delayMs: 20, at: 12 },
    ]);
    expect(delays).toEqual([
      { retry: 1, error: errors[0] },
      { retry: 2, error: errors[1] },
    ]);
  });

  it('stops retrying when the next wait would end past maxElapsedMs, counted from the first attempt', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const error = new Error('down');
      const { source } = attemptsOf([cold('-#', undefined, error), cold('-#', undefined, error), cold('-#', undefined, error), cold('-a|')]);

      // attempts start at 0, 11, 22; after the third failure (23) another 10 ms wait would end at 33 > 30
      expectObservable(source.pipe(retryBackoff({ maxRetries: 10, delayMs: 10, maxElapsedMs: 30 }))).toBe('23ms #', undefined, error);
    });
  });

  it('with maxRetries 0 makes a single attempt', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failure = new Error('once');
      const attempt = cold('-#', undefined, failure);

      expectObservable(attempt.pipe(retryBackoff({ maxRetries: 0, delayMs: 10 }))).toBe('-#', undefined, failure);
      expectSubscriptions(attempt.subscriptions).toBe('^!');
    });
  });
});

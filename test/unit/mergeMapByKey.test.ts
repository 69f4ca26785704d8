import { describe, expect, it } from '@jest/globals';
import { lastValueFrom, type Observable, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { mergeMapByKey } from '../../src/deliver/mergeMapByKey.js';

interface Job {
  readonly id: string;
  readonly key: string | undefined;
}

const testScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** Jobs a, b, c with the given keys; each runs the inner observable of the same letter. */
function jobs(keys: readonly (string | undefined)[]): Record<string, Job> {
  return Object.fromEntries(keys.map((key, i) => [String.fromCharCode(97 + i), { id: String.fromCharCode(97 + i), key }]));
}

const byKey = <R>(inners: Record<string, Observable<R>>, concurrency: number) =>
  mergeMapByKey((job: Job) => job.key, (job: Job) => inners[job.id]!, concurrency);

describe('mergeMapByKey', () => {
  it('runs values with the same key one at a time, in arrival order', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      // Shorter inners later: run in parallel they would finish C, B, A.
      const inners = { a: cold('---(A|)'), b: cold('--(B|)'), c: cold('-(C|)') };
      const out = cold('abc|', jobs(['k', 'k', 'k'])).pipe(byKey(inners, 8));

      expectObservable(out).toBe('---A-B(C|)');
      expectSubscriptions(inners.a.subscriptions).toBe('^--!');
      expectSubscriptions(inners.b.subscriptions).toBe('---^-!');
      expectSubscriptions(inners.c.subscriptions).toBe('-----^!');
    });
  });

  it('runs values with different keys in parallel', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const inners = { a: cold('---(A|)'), b: cold('---(B|)'), c: cold('---(C|)') };
      const out = cold('abc|', jobs(['k1', 'k2', 'k3'])).pipe(byKey(inners, 8));

      expectObservable(out).toBe('---AB(C|)');
      expectSubscriptions(inners.a.subscriptions).toBe('^--!');
      expectSubscriptions(inners.b.subscriptions).toBe('-^--!');
      expectSubscriptions(inners.c.subscriptions).toBe('--^--!');
    });
  });

  it('never runs more than `concurrency` inners at once; a waiting key starts when a slot frees', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const inners = { a: cold('---(A|)'), b: cold('---(B|)'), c: cold('---(C|)') };
      const out = cold('abc|', jobs(['k1', 'k2', 'k3'])).pipe(byKey(inners, 2));

      expectObservable(out).toBe('---AB-(C|)');
      expectSubscriptions(inners.c.subscriptions).toBe('---^--!');
    });
  });

  it('with concurrency 1 runs everything one after another, keys in arrival order', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const inners = { a: cold('---(A|)'), b: cold('--(B|)'), c: cold('-(C|)') };
      const out = cold('abc|', jobs(['k1', 'k2', 'k3'])).pipe(byKey(inners, 1));

      expectObservable(out).toBe('---A-B(C|)');
    });
  });

  it('puts no order constraint on values without a key (only the concurrency bound)', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const inners = { a: cold('---(A|)'), b: cold('---(B|)'), c: cold('---(C|)') };
      const out = cold('abc|', jobs([undefined, undefined, undefined])).pipe(byKey(inners, 8));

      expectObservable(out).toBe('---AB(C|)');
      expectSubscriptions(inners.b.subscriptions).toBe('-^--!');
      expectSubscriptions(inners.c.subscriptions).toBe('--^--!');
    });
  });

  it('lets a value without a key overtake a busy key', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const inners = { a: cold('---(A|)'), b: cold('----(B|)'), c: cold('-(C|)') };
      const out = cold('abc|', jobs(['k', 'k', undefined])).pipe(byKey(inners, 8));

      expectObservable(out).toBe('---(AC)(B|)');
      expectSubscriptions(inners.c.subscriptions).toBe('--^!');
    });
  });

  it('errors as soon as an inner errors, and cancels the others and everything queued', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failure = new Error('inner failed');
      const inners = { a: cold('--#', undefined, failure), b: cold('-----(B|)'), c: cold('-(C|)') };
      const out = cold('abc|', jobs(['k1', 'k2', 'k1'])).pipe(byKey(inners, 8));

      expectObservable(out).toBe('--#', undefined, failure);
      expectSubscriptions(inners.b.subscriptions).toBe('-^!');
      expectSubscriptions(inners.c.subscriptions).toBe([]);
    });
  });

  it('passes a source error on at once, cancelling running inners', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failure = new Error('source failed');
      const inners = { a: cold('-----(A|)') };
      const out = cold('a-#', jobs(['k']), failure).pipe(byKey(inners, 8));

      expectObservable(out).toBe('--#', undefined, failure);
      expectSubscriptions(inners.a.subscriptions).toBe('^-!');
    });
  });

  it('completes only after the source and every running and queued inner are done', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const inners = { a: cold('--(A|)'), b: cold('---(B|)') };
      const out = cold('ab|', jobs(['k', 'k'])).pipe(byKey(inners, 8));

      expectObservable(out).toBe('--A--(B|)');
    });
  });

  it('cancels running inners when unsubscribed', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const inners = { a: cold('-----(A|)'), b: cold('-----(B|)') };
      const out = cold('ab|', jobs(['k1', 'k2'])).pipe(byKey(inners, 8));

      expectObservable(out, '^--!').toBe('---');
      expectSubscriptions(inners.a.subscriptions).toBe('^--!');
      expectSubscriptions(inners.b.subscriptions).toBe('-^-!');
    });
  });

  describe('errors thrown by the functions it calls (regression: they escaped as uncaught exceptions)', () => {
    it('errors the output when keyOf throws, like mergeMap', async () => {
      const outcome = await lastValueFrom(
        of(1).pipe(
          mergeMapByKey(
            (): string => {
              throw new Error('bad key');
            },
            (v) => of(v),
            1,
          ),
        ),
      ).then(
        () => 'completed',
        (e: Error) => e.message,
      );
      expect(outcome).toBe('bad key');
    });

    it('errors the output when project throws, and starts nothing after', async () => {
      const started: number[] = [];
      const outcome = await lastValueFrom(
        of(1, 2, 3).pipe(
          mergeMapByKey(
            () => undefined,
            (v) => {
              if (v === 2) throw new Error('bad project');
              started.push(v);
              return of(v);
            },
            4,
          ),
        ),
      ).then(
        () => 'completed',
        (e: Error) => e.message,
      );
      expect(outcome).toBe('bad project');
      expect(started).toEqual([1]);
    });
  });
});

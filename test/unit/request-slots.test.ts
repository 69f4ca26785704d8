import { describe, expect, it } from '@jest/globals';
import { defer, Subject, type Observable } from 'rxjs';
import type { ColdObservable } from 'rxjs/internal/testing/ColdObservable';
import { TestScheduler } from 'rxjs/testing';
import { mergeMapByKey } from '../../src/deliver/mergeMapByKey.js';
import { retryBackoff } from '../../src/deliver/retryBackoff.js';
import { RequestSlots } from '../../src/deliver/request-slots.js';
import { ManualLimiter } from '../support/manual-limiter.js';


const testScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('RequestSlots', () => {
  it('runs an attempt at once while a slot is free, queues it otherwise, and frees the slot when it ends', () => {
    const limiter = new ManualLimiter(1);
    const slots = new RequestSlots(limiter);
    const a = new Subject<string>();
    const b = new Subject<string>();
    const got: string[] = [];
    slots.hold(a).subscribe((v) => got.push(v));
    slots.hold(b).subscribe({ next: (v) => got.push(v), error: (e: Error) => got.push(e.message) });
    expect([a.observed, b.observed, slots.inFlight]).toEqual([true, false, 1]);

    a.next('A');
    a.complete();

    expect([b.observed, slots.inFlight]).toEqual([true, 1]);
    b.error(new Error('rejected'));
    expect(slots.inFlight).toBe(0);
    expect(got).toEqual(['A', 'rejected']);
    expect(limiter.seen).toEqual([1, 0, 1, 0]);
  });

  it('frees the slot of an unsubscribed attempt and forgets an unsubscribed waiting one', () => {
    const slots = new RequestSlots(new ManualLimiter(1));
    const a = new Subject<string>();
    const b = new Subject<string>();
    const c = new Subject<string>();
    const running = slots.hold(a).subscribe();
    const waiting = slots.hold(b).subscribe();
    slots.hold(c).subscribe();

    waiting.unsubscribe();
    running.unsubscribe();

    expect([a.observed, b.observed, c.observed, slots.inFlight]).toEqual([false, false, true, 1]);
  });

  it('hands slots freed by a raised limit to waiting attempts', () => {
    const limiter = new ManualLimiter(1);
    const slots = new RequestSlots(limiter);
    const stop = slots.onChange(() => undefined);
    const [a, b, c] = [new Subject<void>(), new Subject<void>(), new Subject<void>()];
    for (const s of [a, b, c]) slots.hold(s).subscribe();

    limiter.set(3);

    expect([b.observed, c.observed, slots.inFlight]).toEqual([true, true, 3]);
    stop();
    expect(limiter.listeners.size).toBe(0);
  });

  it('with mergeMapByKey: a request waiting for its retry holds no slot, so the next request runs meanwhile', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const slots = new RequestSlots(new ManualLimiter(1));
      // a is rejected once, then accepted; its retry waits 5 frames.
      const attempts = { a: [cold<string>('-#', undefined, new Error('503')), cold('--(A|)')], b: [cold('---(B|)')] };
      const tries = { a: 0, b: 0 };
      const deliver = (id: 'a' | 'b'): Observable<string> =>
        defer(() => slots.hold(attempts[id][tries[id]++]!)).pipe(retryBackoff({ maxRetries: 3, delayMs: 5 }));
      const out = cold('ab|', { a: 'a' as const, b: 'b' as const }).pipe(mergeMapByKey(() => undefined, deliver, slots));

      // a fails at 1 and leaves its slot; b runs 1-4; a's retry takes the slot at 6 and is delivered at 8.
      expectObservable(out).toBe('----B---(A|)');
      expectSubscriptions(attempts.a[0]!.subscriptions).toBe('^!');
      expectSubscriptions(attempts.b[0]!.subscriptions).toBe('-^--!');
      expectSubscriptions(attempts.a[1]!.subscriptions).toBe('------^-!');
    });
  });

  it('with mergeMapByKey: a waiting retry gets the next free slot before a new request, and a key waits for its whole delivery', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const slots = new RequestSlots(new ManualLimiter(1));
      const rejected = (): ColdObservable<string> => cold<string>('-#', undefined, new Error('503'));
      const attempts: Record<'a' | 'b' | 'c' | 'd', ColdObservable<string>[]> = {
        a: [rejected(), cold('-(A|)')],
        b: [cold('------(B|)')],
        c: [cold('-(C|)')], // same key as a: must wait for a's delivery, retries included
        d: [cold('-(D|)')],
      };
      const tries = { a: 0, b: 0, c: 0, d: 0 };
      const keys = { a: 'k', b: undefined, c: 'k', d: undefined };
      type Id = keyof typeof keys;
      const deliver = (id: Id): Observable<string> =>
        defer(() => slots.hold(attempts[id][tries[id]++]!)).pipe(retryBackoff({ maxRetries: 3, delayMs: 2 }));
      const out = cold<Id>('abcd|').pipe(mergeMapByKey((id: Id) => keys[id], deliver, slots));

      // a fails at 1; b takes the slot 1-7; a's retry waits for it from 3 and goes first at 7, before d (queued
      // since 3); c waits for a's whole delivery, so it comes after d.
      expectObservable(out).toBe('-------BAD(C|)');
      expectSubscriptions(attempts.a[1]!.subscriptions).toBe('-------^!');
      expectSubscriptions(attempts.d[0]!.subscriptions).toBe('--------^!');
      expectSubscriptions(attempts.c[0]!.subscriptions).toBe('---------^!');
    });
  });
});

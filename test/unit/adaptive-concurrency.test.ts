import { describe, expect, it } from '@jest/globals';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { mergeMapByKey } from '../../src/deliver/mergeMapByKey.js';
import { AdaptiveConcurrency } from '../../src/deliver/adaptive-concurrency.js';
import { withLimiterFeedback } from '../../src/deliver/limiter-feedback.js';
import { HttpNetworkError } from '../../src/common/errors.js';
import type { HttpRequest } from '../../src/request/request.js';
import { ManualLimiter } from '../support/manual-limiter.js';

/** A limiter on a fake clock: `tick(ms)` moves time; `window(...)` feeds one observation window. */
function fakeLimiter(options: ConstructorParameters<typeof AdaptiveConcurrency>[0] = {}) {
  let now = 0;
  const limiter = new AdaptiveConcurrency({ minWindowMs: 10, ...options, now: () => now });
  /** One window: `count` requests with this RTT, the limit reached (or not), closed by the last record. */
  const window = (rttMs: number, opts: { reached?: boolean; backpressure?: boolean; count?: number } = {}): number => {
    if (opts.reached !== false) limiter.running(limiter.limit);
    const count = opts.count ?? 3;
    for (let i = 0; i < count; i++) {
      if (i === count - 1) now += Math.max(10, limiter.meanRttMs ?? 0);
      limiter.record({ rttMs, backpressure: opts.backpressure === true && i === 0 });
    }
    return limiter.limit;
  };
  return { limiter, window, tick: (ms: number) => (now += ms) };
}

describe('AdaptiveConcurrency (AIMD)', () => {
  it('grows by one per window in which the limit was reached without back-pressure or a latency rise', () => {
    const { window } = fakeLimiter();
    expect([window(5), window(5), window(5), window(5)]).toEqual([2, 3, 4, 5]);
  });

  it('does not grow while fewer requests than the limit run', () => {
    const { window } = fakeLimiter({ initial: 4 });
    expect([window(5, { reached: false }), window(5, { reached: false })]).toEqual([4, 4]);
  });

  it('shrinks by the decrease ratio on back-pressure (429/503/timeouts), by at least one', () => {
    const { window } = fakeLimiter({ initial: 50 });
    expect(window(5, { backpressure: true })).toBe(45);
    expect(window(5, { backpressure: true })).toBe(40);
    const small = fakeLimiter({ initial: 3 });
    expect(small.window(5, { backpressure: true })).toBe(2);
    expect(small.window(5, { backpressure: true })).toBe(1);
    expect(small.window(5, { backpressure: true })).toBe(1);
  });

  it('shrinks when a window\'s latency climbs past the moving mean plus the deviation band', () => {
    const { window } = fakeLimiter({ initial: 20 });
    for (let i = 0; i < 5; i++) window(10);
    expect(window(10)).toBe(26);
    expect(window(40)).toBe(23);
  });

  it('tolerates latency jitter inside the band', () => {
    const { window } = fakeLimiter({ initial: 10 });
    const limits = [10, 12, 9, 11, 10, 12].map((rtt) => window(rtt));
    expect(limits[limits.length - 1]).toBe(16);
  });

  it('stays within min and max', () => {
    const { window } = fakeLimiter({ initial: 1, max: 3 });
    expect([window(5), window(5), window(5), window(5)]).toEqual([2, 3, 3, 3]);
  });

  it('waits for the window to last a past mean RTT before judging', () => {
    const { limiter, tick } = fakeLimiter({ initial: 4 });
    limiter.running(4);
    limiter.record({ rttMs: 50, backpressure: false });
    expect(limiter.limit).toBe(4);
    tick(10);
    limiter.record({ rttMs: 50, backpressure: false });
    expect(limiter.limit).toBe(5);
    limiter.running(5);
    tick(20); // shorter than the 50 ms mean RTT: same window
    limiter.record({ rttMs: 50, backpressure: false });
    expect(limiter.limit).toBe(5);
    tick(30);
    limiter.record({ rttMs: 50, backpressure: false });
    expect(limiter.limit).toBe(6);
  });

  it('shrinks at the first back-pressure, once per window, and not again for requests sent before it shrank', () => {
    const { limiter, tick } = fakeLimiter({ initial: 20 });
    limiter.record({ rttMs: 10, backpressure: false });
    tick(10);
    limiter.record({ rttMs: 10, backpressure: false }); // the first window closes; the limit was not reached, so it stays 20
    const before = limiter.limit;
    tick(2);
    limiter.record({ rttMs: 1, backpressure: true }); // a fast 503: shrinks at once, mid-window
    expect(limiter.limit).toBe(before - 2);
    limiter.record({ rttMs: 1, backpressure: true }); // same window: no second cut
    expect(limiter.limit).toBe(before - 2);
    tick(10); // next window: a 503 for a request sent 12 ms ago, before the cut, does not count
    limiter.record({ rttMs: 12, backpressure: true });
    expect(limiter.limit).toBe(before - 2);
    tick(10);
    limiter.record({ rttMs: 1, backpressure: true }); // sent after the cut: it does
    expect(limiter.limit).toBe(before - 4);
  });

  it('tells listeners when the limit changed, until they unsubscribe', () => {
    const { limiter, window } = fakeLimiter();
    let calls = 0;
    const stop = limiter.onChange(() => (calls += 1));
    window(5);
    window(5, { reached: false });
    stop();
    window(5);
    expect(calls).toBe(1);
  });
});

describe('withLimiterFeedback', () => {
  const request = { method: 'POST', url: 'http://127.0.0.1/', headers: {}, body: 'x', records: [] } as HttpRequest;
  const recorded = (): { feedback: { rttMs: number; backpressure: boolean }[]; record: (f: { rttMs: number; backpressure: boolean }) => void } => {
    const feedback: { rttMs: number; backpressure: boolean }[] = [];
    return { feedback, record: (f) => feedback.push(f) };
  };

  it('reports the round-trip time and 429/503 as back-pressure, other statuses not', async () => {
    const limiter = recorded();
    let clock = 0;
    for (const status of [200, 429, 503, 500]) {
      const send = withLimiterFeedback(async () => ((clock += 7), { status, headers: {}, body: '' }), limiter, () => clock);
      await send(request, new AbortController().signal);
    }
    expect(limiter.feedback).toEqual([
      { rttMs: 7, backpressure: false },
      { rttMs: 7, backpressure: true },
      { rttMs: 7, backpressure: true },
      { rttMs: 7, backpressure: false },
    ]);
  });

  it('reports a timeout as back-pressure and passes the error on; an aborted request reports nothing', async () => {
    const limiter = recorded();
    const timeout = withLimiterFeedback(async () => Promise.reject(new HttpNetworkError('ETIMEDOUT', 'timeout')), limiter);
    await expect(timeout(request, new AbortController().signal)).rejects.toBeInstanceOf(HttpNetworkError);
    const aborted = new AbortController();
    aborted.abort();
    await expect(timeout(request, aborted.signal)).rejects.toBeInstanceOf(HttpNetworkError);
    expect(limiter.feedback.map((f) => f.backpressure)).toEqual([true]);
  });
});


describe('mergeMapByKey with a changing limit', () => {
  it('starts waiting values as soon as the limit grows, and starts none while above a lowered limit', () => {
    const limiter = new ManualLimiter(1);
    const inners: Record<string, Subject<string>> = {};
    const started: string[] = [];
    const out: string[] = [];
    const input = new Subject<string>();
    input
      .pipe(
        mergeMapByKey(
          () => undefined,
          (v: string) => {
            started.push(v);
            return (inners[v] = new Subject<string>());
          },
          limiter,
        ),
      )
      .subscribe((v) => out.push(v));
    for (const v of ['a', 'b', 'c', 'd', 'e']) input.next(v);
    expect(started).toEqual(['a']);
    limiter.set(3);
    expect(started).toEqual(['a', 'b', 'c']);
    limiter.set(1);
    inners.a!.next('A');
    inners.a!.complete();
    inners.b!.complete();
    expect(started).toEqual(['a', 'b', 'c']); // c still runs: 1 running = the new limit
    inners.c!.complete();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(out).toEqual(['A']);
    expect(Math.max(...limiter.seen)).toBe(3);
  });

  it('in virtual time: a limit raised mid-stream lets the queued values overlap', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new ManualLimiter(1);
      const inners = { a: cold('----(A|)'), b: cold('----(B|)'), c: cold('----(C|)') };
      const source = cold('(abc)', { a: 'a', b: 'b', c: 'c' });
      cold('--x').subscribe(() => limiter.set(3));
      const out = source.pipe(mergeMapByKey(() => undefined, (v: string) => inners[v as keyof typeof inners], limiter));
      expectObservable(out).toBe('----A-(BC)');
      expectSubscriptions(inners.b.subscriptions).toBe('--^---!');
      expectSubscriptions(inners.c.subscriptions).toBe('--^---!');
    });
  });

  it('stops listening to the limiter when unsubscribed', () => {
    const limiter = new ManualLimiter(1);
    const subscription = new Subject<string>().pipe(mergeMapByKey(() => undefined, () => new Subject<string>(), limiter)).subscribe();
    subscription.unsubscribe();
    expect((limiter as unknown as { listeners: Set<unknown> }).listeners.size).toBe(0);
  });
});

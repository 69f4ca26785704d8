import { describe, expect, it } from '@jest/globals';
import { TestScheduler } from 'rxjs/testing';
import { rateLimit } from '../../src/deliver/rateLimit.js';
import { tokenBucket } from '../../src/deliver/rate-limit.js';

describe('tokenBucket', () => {
  it('grants a burst of one second worth at once, then spaces requests at the rate', () => {
    let now = 0;
    const bucket = tokenBucket(4, () => now);

    expect([1, 2, 3, 4].map(() => bucket.take())).toEqual([0, 0, 0, 0]);
    expect([bucket.take(), bucket.take()]).toEqual([250, 500]);
    now = 2000; // refilled, though never above the capacity
    expect([1, 2, 3, 4, 5].map(() => bucket.take())).toEqual([0, 0, 0, 0, 250]);
  });

  it('below one request per second holds one token', () => {
    let now = 0;
    const bucket = tokenBucket(0.5, () => now);

    expect([bucket.take(), bucket.take()]).toEqual([0, 2000]);
    now = 10_000;
    expect(bucket.take()).toBe(0);
  });
});

describe('rateLimit', () => {
  it('lets each value through after the wait its token asks for', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      const waits = [0, 10, 20];
      const bucket = { take: () => waits.shift() ?? 0 };

      expectObservable(cold('(abc|)').pipe(rateLimit(bucket))).toBe('a 9ms b 9ms (c|)');
    });
  });

  it('without a bucket passes values straight through', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      expectObservable(cold('a-b|').pipe(rateLimit(undefined))).toBe('a-b|');
    });
  });
});

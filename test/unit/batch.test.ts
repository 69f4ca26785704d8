import { describe, expect, it } from '@jest/globals';
import { TestScheduler } from 'rxjs/testing';
import { batch, type BatchOptions } from '../../src/request/batch.js';
import type { SinkRecord } from '../../src/records/record.js';
import { sinkRecord } from './fakes.js';

const testScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const byPartition = (r: SinkRecord): string => `${r.topic}/${r.partition}`;
const options = (overrides: Partial<BatchOptions> = {}): BatchOptions => ({ enabled: true, maxSize: 3, lingerMs: 10, keyOf: byPartition, ...overrides });

const p0 = [0, 1, 2, 3].map((offset) => sinkRecord({ partition: 0, offset }));
const p1 = [0, 1].map((offset) => sinkRecord({ partition: 1, offset }));
const [a, b, c, d] = p0 as [SinkRecord, SinkRecord, SinkRecord, SinkRecord];
const [e, f] = p1 as [SinkRecord, SinkRecord];

describe('batch', () => {
  it('sends a full batch at once', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p', { p: [a, b, c] }).pipe(batch(options()))).toBe('x', { x: [a, b, c] });
    });
  });

  it('sends a batch that is not full lingerMs after it started', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p', { p: [a, b] }).pipe(batch(options()))).toBe('10ms x', { x: [a, b] });
    });
  });

  it('cuts a poll larger than maxSize into a full batch now and the rest after lingerMs', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p', { p: [a, b, c, d] }).pipe(batch(options()))).toBe('x 9ms y', { x: [a, b, c], y: [d] });
    });
  });

  it('collects records of several polls within lingerMs into one batch', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p 4ms q', { p: [a], q: [b] }).pipe(batch(options()))).toBe('10ms x', { x: [a, b] });
    });
  });

  it('starts a new batch for records that arrive after one left; it lingers from its own first record', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p 14ms q', { p: [a], q: [b] }).pipe(batch(options()))).toBe('10ms x 14ms y', { x: [a], y: [b] });
    });
  });

  it('never puts records of different keys in one batch, and keeps each key in order', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p', { p: [a, e, b, f, c] }).pipe(batch(options({ maxSize: 5 })))).toBe('10ms (xy)', { x: [a, b, c], y: [e, f] });
    });
  });

  it('fills batches per key: a full key leaves at once while another key lingers', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p', { p: [a, e, b] }).pipe(batch(options({ maxSize: 2 })))).toBe('x 9ms y', { x: [a, b], y: [e] });
    });
  });

  it('lets records without a key share a batch', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p', { p: [a, e] }).pipe(batch(options({ keyOf: () => undefined })))).toBe('10ms x', { x: [a, e] });
    });
  });

  it('with enabled=false makes every record its own batch, at once', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p', { p: [a, b, c] }).pipe(batch(options({ enabled: false, maxSize: 500 })))).toBe('(xyz)', { x: [a], y: [b], z: [c] });
    });
  });

  it('sends the partial batches when the source completes, then completes', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p|', { p: [a, e, b] }).pipe(batch(options()))).toBe('-(xy|)', { x: [a, b], y: [e] });
    });
  });

  it('with lingerMs 0 cuts batches from each poll alone, per key, without waiting (Aiven mode)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p 4ms q', { p: [a, e, b, c, d, f], q: [a] }).pipe(batch(options({ lingerMs: 0 })))).toBe('(xyz) w', {
        x: [a, b, c],
        y: [e, f],
        z: [d],
        w: [a],
      });
    });
  });
});

describe('batch with an ordering key that throws', () => {
  const failing = (): string => {
    throw new Error('ordering key exploded');
  };

  it.each([
    ['lingering', options({ keyOf: failing })],
    ['cut per poll', options({ keyOf: failing, lingerMs: 0 })],
  ])('%s: the throw reaches the pipeline as an error, not uncaughtException', (_name, withFailingKey) => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p', { p: [a, b] }).pipe(batch(withFailingKey))).toBe('#', undefined, new Error('ordering key exploded'));
    });
  });
});

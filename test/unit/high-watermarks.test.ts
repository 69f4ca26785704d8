/** Statistics with fresh end offsets for paused partitions: a report that throws is logged, never an unhandled rejection. */
import { describe, expect, it } from '@jest/globals';
import type { KafkaConsumer } from 'node-rdkafka';
import { statisticsWithEnds } from '../../src/source/high-watermarks.js';
import { captureLog } from '../support/harness.js';

const consumer = {
  queryWatermarkOffsets: (_topic: string, _partition: number, _timeout: number, callback: (err: null, offsets: { highOffset: number; lowOffset: number }) => void) =>
    setImmediate(() => callback(null, { highOffset: 42, lowOffset: 0 })),
} as unknown as KafkaConsumer;

describe('statisticsWithEnds', () => {
  it('passes the ends of paused partitions on', async () => {
    const reported: [string, ReadonlyMap<string, number> | undefined][] = [];
    const listener = statisticsWithEnds(consumer, () => ['t/0'], (json, ends) => void reported.push([json, ends]), captureLog().log);
    listener({ message: '{}' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reported).toEqual([['{}', new Map([['t/0', 42]])]]);
  });

  it('logs a report that throws, asked with or without ends, and asks again at the next tick', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const captured = captureLog();
      let paused = ['t/0'];
      let calls = 0;
      const listener = statisticsWithEnds(consumer, () => paused, () => {
        calls += 1;
        throw new Error('observer broke');
      }, captured.log);
      listener({ message: '{}' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      listener({ message: '{}' }); // not skipped: the failed tick no longer counts as asking
      await new Promise((resolve) => setTimeout(resolve, 20));
      paused = [];
      listener({ message: '{}' });
      expect(calls).toBe(3);
      expect(unhandled).toEqual([]);
      expect(captured.lines.filter((l) => l.includes('consumer statistics not reported') && l.includes('observer broke'))).toHaveLength(3);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

import { describe, expect, it } from '@jest/globals';
import { PartitionTracker } from '../../src/source/offset-tracker.js';

/** A tracker for partition iot/0 that has handed out `offsets`, and the counts it reported as settled. */
function tracking(offsets: readonly number[]): { tracker: PartitionTracker; settled: number[] } {
  const settled: number[] = [];
  const tracker = new PartitionTracker('iot', 0, (count) => settled.push(count));
  for (const offset of offsets) tracker.track(offset);
  return { tracker, settled };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('PartitionTracker', () => {
  it('has nothing to commit before the first ack', () => {
    const { tracker } = tracking([0, 1, 2]);

    expect(tracker.committable()).toBeUndefined();
    expect(tracker.inFlight()).toBe(3);
  });

  it('refuses offsets it handed out already (a rewound fetch) and keeps committing past them', () => {
    const { tracker } = tracking(range(0, 60));
    for (const offset of range(0, 60)) tracker.ack(offset);

    const again = range(0, 100).filter((offset) => tracker.track(offset));
    for (const offset of again) tracker.ack(offset);

    expect(again).toEqual(range(60, 100));
    expect(tracker.committable()).toBe(100);
    expect(tracker.inFlight()).toBe(0);
  });

  it('commits the offset after the last acked one (Kafka: the next offset to read)', () => {
    const { tracker } = tracking([5, 6, 7]);

    tracker.ack(5);
    tracker.ack(6);

    expect(tracker.committable()).toBe(7);
    expect(tracker.inFlight()).toBe(1);
  });

  it('never commits past the lowest offset not yet acked, whatever order the acks come in', () => {
    const { tracker } = tracking([0, 1, 2, 3, 4]);

    tracker.ack(3);
    tracker.ack(1);
    expect(tracker.committable()).toBeUndefined();
    expect(tracker.inFlight()).toBe(5);

    tracker.ack(0);
    expect(tracker.committable()).toBe(2);

    tracker.ack(2);
    expect(tracker.committable()).toBe(4);

    tracker.ack(4);
    expect(tracker.committable()).toBe(5);
    expect(tracker.inFlight()).toBe(0);
  });

  it('follows offsets with gaps (compacted topics)', () => {
    const { tracker } = tracking([10, 12, 15]);

    tracker.ack(15);
    tracker.ack(10);
    expect(tracker.committable()).toBe(11);

    tracker.ack(12);
    expect(tracker.committable()).toBe(16);
  });

  it('reports how many records left the in-flight set, once each', () => {
    const { tracker, settled } = tracking([0, 1, 2, 3]);

    tracker.ack(2);
    tracker.ack(0);
    tracker.ack(1);
    tracker.ack(1);
    tracker.ack(0);

    expect(settled).toEqual([1, 2]);
    expect(tracker.inFlight()).toBe(1);
  });

  it('ignores acks after the partition was revoked', () => {
    const { tracker, settled } = tracking([0, 1, 2]);
    tracker.ack(0);

    tracker.revoke();
    tracker.ack(1);
    tracker.ack(2);

    expect(tracker.isRevoked()).toBe(true);
    expect(tracker.committable()).toBe(1);
    expect(settled).toEqual([1]);
  });

  it('keeps an exact watermark over thousands of records acked out of order', () => {
    const { tracker, settled } = tracking(range(0, 2000));
    for (const offset of range(0, 1500)) tracker.ack(offset);
    for (const offset of range(2000, 2600)) tracker.track(offset);

    // everything but 1500 and 2300, backwards
    for (const offset of range(1501, 2600).reverse()) if (offset !== 2300) tracker.ack(offset);
    expect(tracker.committable()).toBe(1500);

    tracker.ack(1500);
    expect(tracker.committable()).toBe(2300);
    tracker.ack(2300);
    expect(tracker.committable()).toBe(2600);
    expect(tracker.inFlight()).toBe(0);
    expect(settled.reduce((a, b) => a + b, 0)).toBe(2600);
  });

  it('keeps the watermark over thousands of gaps (a compacted topic: every other offset), in and out of order', () => {
    const odd = range(0, 6000).filter((o) => o % 2 === 1);
    const { tracker, settled } = tracking(odd);
    for (const offset of odd.slice(0, 2500)) tracker.ack(offset);
    expect(tracker.committable()).toBe(5000);
    expect(tracker.inFlight()).toBe(500);

    for (const offset of odd.slice(2501).reverse()) tracker.ack(offset);
    expect(tracker.committable()).toBe(5000); // 5001 still out
    tracker.ack(5001);
    expect(tracker.committable()).toBe(6000);
    expect(tracker.inFlight()).toBe(0);
    expect(settled.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(tracker.track(5999)).toBe(false);
    expect(tracker.track(6001)).toBe(true);
    expect(tracker.inFlight()).toBe(1);
  });
});

/** bench:connect's receiver: each partition's gap from an answer to its next request, told by the records' seq. */
import { describe, expect, it } from '@jest/globals';
import { PartitionGaps } from '../../bench/partition-gaps.js';

const body = (...seqs: number[]): Buffer => Buffer.from(seqs.map((seq) => `{"seq":${seq},"pad":"xx"}\n`).join(''));

describe('PartitionGaps', () => {
  it('sums each partition\'s gaps between an answer and its next request, and the time it had a request here', () => {
    const gaps = new PartitionGaps();
    gaps.reset(3);
    const a = gaps.arrived(body(0, 3, 6), 100); // partition 0
    const b = gaps.arrived(body(1, 4), 100); // partition 1
    gaps.answered(a, 120);
    gaps.answered(b, 125);
    gaps.answered(gaps.arrived(body(9, 12), 123), 140); // partition 0 again: gap 3 ms
    gaps.arrived(body(7), 135); // partition 1 again: gap 10 ms, still here
    expect(gaps.report()).toEqual({ partitionGapMs: 13, partitionGaps: 2, partitionServedMs: 20 + 25 + 17, mixedBodies: 0 });
  });

  it('counts overlapping requests of one partition once, and no gap while one of them is still here', () => {
    const gaps = new PartitionGaps();
    gaps.reset(2);
    const first = gaps.arrived(body(0), 0);
    const second = gaps.arrived(body(2), 5);
    gaps.answered(first, 10);
    const third = gaps.arrived(body(4), 12); // the second is still here: no gap
    gaps.answered(second, 20);
    gaps.answered(third, 30);
    expect(gaps.report()).toMatchObject({ partitionGaps: 0, partitionServedMs: 30 });
  });

  it('leaves out bodies of more than one partition, answers from before a reset, and everything without partitions', () => {
    const gaps = new PartitionGaps();
    gaps.reset(2);
    expect(gaps.arrived(body(0, 1), 0)).toBeUndefined();
    const stale = gaps.arrived(body(0), 0);
    gaps.reset(2);
    gaps.answered(stale, 10);
    expect(gaps.report()).toEqual({ partitionGapMs: 0, partitionGaps: 0, partitionServedMs: 0, mixedBodies: 0 });
    gaps.reset(undefined);
    expect(gaps.arrived(body(0), 0)).toBeUndefined();
  });
});

/** One partition's records in flight: they leave oldest first, each with the bytes it entered with. */
import { describe, expect, it } from '@jest/globals';
import { PartitionLoad } from '../../src/source/partition-load.js';

describe('PartitionLoad', () => {
  it('takes leaving records from the oldest runs, so small records leaving leave the large ones counted', () => {
    const load = new PartitionLoad();
    load.enter(1000, 100_000); // 1,000 records of 100 B
    load.enter(40, 40 * 2 ** 20); // then 40 of 1 MiB
    expect(load.leave(1000)).toEqual({ count: 1000, bytes: 100_000 });
    expect(load.bytes).toBe(40 * 2 ** 20);
    expect(load.leave(20)).toEqual({ count: 20, bytes: 20 * 2 ** 20 }); // part of a run: its own mean size
    expect(load.leave(20)).toEqual({ count: 20, bytes: 20 * 2 ** 20 });
    expect(load).toMatchObject({ count: 0, bytes: 0 });
  });

  it('never lets more leave than it holds', () => {
    const load = new PartitionLoad();
    load.enter(3, 30);
    expect(load.leave(5)).toEqual({ count: 3, bytes: 30 });
    expect(load.leave(1)).toEqual({ count: 0, bytes: 0 });
  });

  it('keeps exact counts over many runs (the consumed head is dropped as it goes)', () => {
    const load = new PartitionLoad();
    for (let i = 0; i < 500; i++) load.enter(2, 10 + i);
    let bytes = 0;
    for (let i = 0; i < 250; i++) bytes += load.leave(3).bytes;
    expect(load.count).toBe(250);
    expect(bytes + load.bytes).toBe(Array.from({ length: 500 }, (_, i) => 10 + i).reduce((a, b) => a + b, 0));
  });
});

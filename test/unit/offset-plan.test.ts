/** Where a sink's consumer group is moved for each target, worked out against a scripted group (no broker). */
import { describe, expect, it } from '@jest/globals';
import type { GroupOffsets } from '../../src/source/group-offsets.js';
import { planOffsets } from '../../src/source/offset-plan.js';

/** t/0 holds offsets 10..99 (committed 50), t/1 holds 0..19 (nothing committed); records at 1000 ms per offset. */
const group: GroupOffsets = {
  partitionsOf: async () => ['t/0', 't/1'],
  allPartitions: async () => ['t/0', 't/1'],
  committed: async (partitions) => new Map([['t/0', 50]].filter(([id]) => partitions.includes(id as string)) as [string, number][]),
  watermarks: async (partitions) => new Map(partitions.map((id) => [id, id === 't/0' ? { low: 10, high: 100 } : { low: 0, high: 20 }])),
  offsetsForTime: async (partitions, timestamp) => new Map(partitions.map((id) => [id, Math.min(Math.ceil(timestamp / 1000), id === 't/0' ? 100 : 20)])),
  commit: async () => undefined,
  close: async () => undefined,
};

describe('planOffsets', () => {
  it('takes given offsets as they are; a null one goes where the connector starts (earliest, or latest when it says so)', async () => {
    const target = { kind: 'offsets' as const, offsets: new Map<string, number | null>([['t/1', null], ['t/0', 7]]) };
    expect(await planOffsets(group, [], target, 'earliest')).toEqual(new Map([['t/0', 7], ['t/1', 0]]));
    expect(await planOffsets(group, [], target, 'latest')).toEqual(new Map([['t/0', 7], ['t/1', 20]]));
  });

  it('moves each partition to its first record at or after a time, the log start or the log end', async () => {
    expect(await planOffsets(group, ['t/0', 't/1'], { kind: 'datetime', timestamp: 15_500 }, 'earliest')).toEqual(new Map([['t/0', 16], ['t/1', 16]]));
    expect(await planOffsets(group, ['t/0', 't/1'], { kind: 'earliest' }, 'earliest')).toEqual(new Map([['t/0', 10], ['t/1', 0]]));
    expect(await planOffsets(group, ['t/0', 't/1'], { kind: 'latest' }, 'earliest')).toEqual(new Map([['t/0', 100], ['t/1', 20]]));
  });

  it('shifts the committed offset (or the start, when none is committed), kept within the log', async () => {
    expect(await planOffsets(group, ['t/0', 't/1'], { kind: 'shift', by: -45 }, 'earliest')).toEqual(new Map([['t/0', 10], ['t/1', 0]]));
    expect(await planOffsets(group, ['t/0', 't/1'], { kind: 'shift', by: 5 }, 'earliest')).toEqual(new Map([['t/0', 55], ['t/1', 5]]));
    expect(await planOffsets(group, ['t/0', 't/1'], { kind: 'shift', by: 500 }, 'latest')).toEqual(new Map([['t/0', 100], ['t/1', 20]]));
  });
});

/**
 * Where a sink's consumer group should be moved: the new committed offset of each partition for one target (the
 * offsets given, Connect's `PATCH .../offsets`; the first records at or after a time; the log start or end; the
 * offsets now shifted by N), worked out against the broker without changing anything. `kafka-http-sink offsets`
 * and the worker's offsets routes both plan here, then commit the plan (or show it, for a dry run).
 */
import { byPartition, type GroupOffsets, type PartitionOffsets } from './group-offsets.js';

export type OffsetTarget =
  /** Offsets as given; `null` puts the partition back where the connector starts with nothing committed. */
  | { readonly kind: 'offsets'; readonly offsets: ReadonlyMap<string, number | null> }
  /** The first record at or after this time (ms since the epoch), per partition; the log end where none is. */
  | { readonly kind: 'datetime'; readonly timestamp: number }
  | { readonly kind: 'earliest' }
  | { readonly kind: 'latest' }
  /** The committed offset (or where the connector would start) plus `by`, kept within the log. */
  | { readonly kind: 'shift'; readonly by: number };

/**
 * The new offset of each of `partitions` (for `offsets`: the partitions given). `startAt`: where the connector starts
 * reading a partition the group holds nothing for (`auto.offset.reset`, earliest unless the connector says latest).
 */
export async function planOffsets(group: GroupOffsets, partitions: readonly string[], target: OffsetTarget, startAt: 'earliest' | 'latest'): Promise<PartitionOffsets> {
  const sorted = (plan: PartitionOffsets): PartitionOffsets => new Map([...plan].sort(([a], [b]) => byPartition(a, b)));
  switch (target.kind) {
    case 'offsets': {
      const resets = [...target.offsets].filter(([, offset]) => offset === null).map(([id]) => id);
      const marks = await group.watermarks(resets);
      return sorted(new Map([...target.offsets].map(([id, offset]) => [id, offset ?? startOf(marks.get(id), startAt)])));
    }
    case 'datetime':
      return sorted(await group.offsetsForTime(partitions, target.timestamp));
    case 'earliest':
    case 'latest': {
      const marks = await group.watermarks(partitions);
      return sorted(new Map(partitions.map((id) => [id, startOf(marks.get(id), target.kind)])));
    }
    case 'shift': {
      const [committed, marks] = [await group.committed(partitions), await group.watermarks(partitions)];
      return sorted(
        new Map(
          partitions.map((id) => {
            const { low, high } = marks.get(id) ?? { low: 0, high: 0 };
            const from = committed.get(id) ?? startOf({ low, high }, startAt);
            return [id, Math.min(high, Math.max(low, from + target.by))];
          }),
        ),
      );
    }
  }
}

function startOf(marks: { low: number; high: number } | undefined, at: 'earliest' | 'latest'): number {
  return (at === 'earliest' ? marks?.low : marks?.high) ?? 0;
}

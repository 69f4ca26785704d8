/** The `ordering` key: which records must reach the endpoint in order, and so which may be sent in parallel. */
import { oneOf } from '../common/config/formats.js';
import type { ConfigSpec } from '../common/config/spec.js';
import { type SinkRecord, sourceTopicOf } from '../records/record.js';
import { idOf } from '../records/topic-partition.js';

export type OrderingMode = 'partition' | 'key' | 'none';

export const orderingConfigSpec = {
  ordering: {
    doc: '`partition`: at most one request per partition in flight, partitions in parallel (order kept per partition; the partition read from, also when a router renamed the topic). `key`: at most one per record key within a partition. `none`: any request may overtake another. Offsets are committed correctly in every mode.',
    format: oneOf(['partition', 'key', 'none']),
    default: 'partition',
  },
} satisfies ConfigSpec;

/**
 * Records with the same ordering key are batched together and delivered one request at a time, in order;
 * undefined (mode `none`) means no constraint.
 */
export function orderingKey(mode: OrderingMode): (record: SinkRecord) => string | undefined {
  switch (mode) {
    case 'partition':
      return partitionId();
    case 'key': {
      const partition = partitionId();
      return (r) => `${partition(r)}/${r.raw.key === null ? '' : r.raw.key.toString('base64')}`;
    }
    case 'none':
      return () => undefined;
  }
}

/**
 * A record's `topic/partition`, the last one kept: records come in partition runs, so most calls build no string
 * (a new string per record was the batcher's largest allocation in `npm run bench`).
 */
function partitionId(): (record: SinkRecord) => string {
  let topic: string | undefined;
  let partition = -1;
  let id = '';
  return (r) => {
    const t = sourceTopicOf(r);
    if (t !== topic || r.partition !== partition) {
      topic = t;
      partition = r.partition;
      id = idOf({ topic: t, partition });
    }
    return id;
  };
}

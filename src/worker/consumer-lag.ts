/**
 * Consumer lag per assigned partition, read from librdkafka's statistics JSON (`statistics.interval.ms`).
 * Lag is counted from the committed offset (librdkafka's `consumer_lag`); a partition with nothing committed yet
 * (a new group far behind) counts from the consumer's position instead: the last record handed to the
 * application (`app_offset`), or, before the first one, the next offset to fetch (`next_offset`, where
 * `auto.offset.reset` put it). The statistics keep a paused partition's end offset where it was when it paused
 * (librdkafka#4996); `ends` gives fresher ones, asked of the broker, and the larger end wins.
 */

interface PartitionStatistics {
  readonly desired?: boolean;
  readonly consumer_lag?: number;
  readonly committed_offset?: number;
  readonly app_offset?: number;
  readonly next_offset?: number;
  readonly hi_offset?: number;
  /** Last stable offset: the end a read_committed consumer (librdkafka's default) sees. */
  readonly ls_offset?: number;
}

interface Statistics {
  readonly topics?: Record<string, { readonly partitions?: Record<string, PartitionStatistics> }>;
}

/** "topic/partition" -> lag, for the partitions this consumer was assigned and knows a lag for; undefined for unreadable JSON. */
export function consumerLag(json: string, ends: ReadonlyMap<string, number> = new Map()): Map<string, number> | undefined {
  let statistics: Statistics;
  try {
    statistics = JSON.parse(json) as Statistics;
  } catch {
    return undefined;
  }
  const lag = new Map<string, number>();
  for (const [topic, { partitions = {} } = {}] of Object.entries(statistics.topics ?? {})) {
    for (const [id, p] of Object.entries(partitions)) {
      if (id === '-1' || p.desired !== true) continue;
      const value = partitionLag(p, ends.get(`${topic}/${id}`));
      if (value !== undefined) lag.set(`${topic}/${id}`, value);
    }
  }
  return lag;
}

function partitionLag(p: PartitionStatistics, queriedEnd: number | undefined): number | undefined {
  const reported = known(p.ls_offset) ? p.ls_offset : p.hi_offset;
  const fresher = known(queriedEnd) && !(known(reported) && reported >= queriedEnd);
  if (!fresher && known(p.committed_offset) && known(p.consumer_lag)) return p.consumer_lag;
  const end = fresher ? queriedEnd : reported;
  const from = [p.committed_offset, p.app_offset, p.next_offset].find(known);
  if (!known(end) || from === undefined) return undefined;
  return Math.max(0, end - from);
}

/** librdkafka writes -1 or -1001 (RD_KAFKA_OFFSET_INVALID) for an offset it does not know. */
function known(offset: number | undefined): offset is number {
  return typeof offset === 'number' && offset >= 0;
}

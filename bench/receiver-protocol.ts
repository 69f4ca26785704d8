/** Messages between the bench and its receiver process. */

export interface ReceiverMode {
  /** Answer every request after this many ms. */
  readonly latencyMs: number;
  /** `newline`: a body holds one record per '\n' (batch suffix and separator); `request`: one record per request. */
  readonly countBy: 'newline' | 'request';
  /** Answer nothing for this long from now; held requests are then dropped (the sink re-sends them). */
  readonly stallMs?: number;
  /** Answer 503 to a request arriving while this many are being answered. */
  readonly capacity?: number;
  /** Track which `"seq":n` (n below this) arrived, to prove every record did. */
  readonly verifyRecords?: number;
  /**
   * The topic's partition count when records went round robin (`"seq":n` in partition n % partitions): the report
   * then says how long each partition waited, from the answer to its request to its next request (a body's first
   * seq names its partition; bodies of one partition only).
   */
  readonly partitions?: number;
}

export type ReceiverCommand =
  | { type: 'mode'; mode: ReceiverMode }
  | { type: 'latency'; since: number }
  | { type: 'report'; withLatency?: boolean }
  | { type: 'close' };

export interface ReceiverReport {
  readonly requests: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly records: number;
  readonly unique: number;
  readonly bytes: number;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly maxInFlight: number;
  readonly inFlight: number;
  readonly held: number;
  readonly latencies: number;
  /** With `partitions`: answer-to-next-request gaps of a partition, summed, and their count. */
  readonly partitionGapMs: number;
  readonly partitionGaps: number;
  /** With `partitions`: time a partition's requests spent at the receiver (arrival to answer), summed. */
  readonly partitionServedMs: number;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly count: number;
}

/** Messages between the bench and its receiver process. */
import type { GapCounts } from './partition-gaps.js';

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
   * then says how long each partition waited, from the answer to its request to its next request (partition-gaps.ts).
   */
  readonly partitions?: number;
}

export type ReceiverCommand =
  | { type: 'mode'; mode: ReceiverMode }
  | { type: 'latency'; since: number }
  | { type: 'report'; withLatency?: boolean }
  | { type: 'close' };

export interface ReceiverReport extends GapCounts {
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
}

export interface LatencySummary {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly count: number;
}

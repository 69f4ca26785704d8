/** What the Kafka source reports of itself (kafka-source.ts `stats()`): the worker's status, metrics and the bench read it. */
export interface SourceStats {
  readonly consumed: number;
  readonly inFlight: number;
  readonly paused: boolean;
  /** Last offsets the broker confirmed as committed, by "topic/partition". */
  readonly committed: ReadonlyMap<string, number>;
  /** Offset commits sent to the broker (interval, early, revoke and close). */
  readonly commits: number;
  /** The consume path polls take (kafka-consume.ts). */
  readonly consumePath?: 'lean' | 'standard';
  /** Bytes of the in-flight records' keys and values (`max.in.flight.bytes`). */
  readonly inFlightBytes?: number;
}

/** The record that flows through a pipeline, from the Kafka source to the commit. */
import type { ConnectSchema } from './schema.js';

export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer;
}

/** Where a record's delivery is reported; the source turns these acknowledgements into offset commits. */
export interface OffsetHandle {
  ack(offset: number): void;
}

export interface SinkRecord<K = unknown, V = unknown> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Produce (or log-append) time in ms since the epoch, when the broker gave one. */
  readonly timestamp: number | undefined;
  readonly headers: readonly RecordHeader[];
  /** Decoded key: Buffer from the source, string/object/Buffer after `decode`. */
  readonly key: K;
  /** Decoded value: Buffer from the source, string/object/Buffer after `decode`; null for a tombstone. */
  readonly value: V;
  /** The key's Connect schema, when its converter knew one (JsonConverter envelope, schema registry); transforms keep it in step. */
  readonly keySchema?: ConnectSchema;
  /** The value's Connect schema, when its converter knew one; transforms keep it in step. */
  readonly valueSchema?: ConnectSchema;
  /** The topic the record was read from, once a router (RegexRouter, TimestampRouter) renamed `topic`: ordering and offsets follow it. */
  readonly sourceTopic?: string;
  /**
   * Set by `decode` when the value converter's text is exactly `raw.value` read as UTF-8 (StringConverter): while
   * `value` is still this very string, the request body takes `raw.value` as it is instead of encoding it again.
   */
  readonly valueText?: string;
  /** The bytes as they came from Kafka. */
  readonly raw: { readonly key: Buffer | null; readonly value: Buffer | null };
  /** Report delivery with `ackRecords`; a record that is never acked holds its partition's commit back. */
  readonly handle: OffsetHandle;
}

/** A record as the Kafka source emits it, before `decode`. */
export type KafkaRecord = SinkRecord<Buffer | null, Buffer | null>;

/** Marks records as done (delivered, or deliberately skipped) so their offsets can be committed. */
export function ackRecords(records: readonly SinkRecord[]): void {
  for (const record of records) record.handle.ack(record.offset);
}

/** The topic a record was read from: its own, or the one before a router renamed it (ordering, offsets, errors). */
export function sourceTopicOf(record: { readonly topic: string; readonly sourceTopic?: string }): string {
  return record.sourceTopic ?? record.topic;
}

/** The record under another topic (a router): `${topic}` renders the new one, everything else follows the source. */
export function withTopic<R extends SinkRecord>(record: R, topic: string): R {
  return topic === record.topic ? record : { ...record, topic, sourceTopic: sourceTopicOf(record) };
}

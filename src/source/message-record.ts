/** A librdkafka message as the record the pipeline carries. */
import type { Message } from 'node-rdkafka';
import type { KafkaRecord, OffsetHandle, RecordHeader } from '../records/record.js';

/** Most records carry no headers: they share one empty list. */
export const NO_HEADERS: readonly RecordHeader[] = Object.freeze([]);

/**
 * `topic`: the partition's own topic string, shared by all its records (librdkafka makes a new one per message,
 * which would otherwise live as long as the record).
 */
export function toKafkaRecord(m: Message, handle: OffsetHandle, topic: string = m.topic): KafkaRecord {
  return sourceRecord(topic, m.partition, m.offset, m.timestamp, toHeaders(m.headers), toBuffer(m.key), m.value ?? null, handle);
}

/** The one object shape of every record the source emits, whichever consume path read it (see kafka-consume.ts). */
export function sourceRecord(
  topic: string,
  partition: number,
  offset: number,
  timestamp: number | undefined,
  headers: readonly RecordHeader[],
  key: Buffer | null,
  value: Buffer | null,
  handle: OffsetHandle,
): KafkaRecord {
  return {
    topic,
    partition,
    offset,
    timestamp,
    headers,
    key,
    value,
    raw: { key, value },
    handle,
    // Filled in by decode; present from the start so that a decoded record (a copy) keeps this object's shape.
    keySchema: undefined,
    valueSchema: undefined,
    valueText: undefined,
  };
}

function toBuffer(key: Message['key']): Buffer | null {
  if (key === undefined || key === null) return null;
  return typeof key === 'string' ? Buffer.from(key) : key;
}

function toHeaders(headers: Message['headers']): KafkaRecord['headers'] {
  if (!headers || headers.length === 0) return NO_HEADERS;
  return headers.flatMap((h) =>
    Object.entries(h).map(([key, value]) => ({ key, value: typeof value === 'string' ? Buffer.from(value) : (value as Buffer) })),
  );
}

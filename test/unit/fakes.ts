/** Fake records for unit tests: no Kafka, a handle that records nothing unless one is given. */
import { expect } from '@jest/globals';
import { ConfigError } from '../../src/common/errors.js';
import type { KafkaRecord, OffsetHandle, SinkRecord } from '../../src/records/record.js';

export const noAck: OffsetHandle = { ack() {} };

/** A decoded record; topic `iot`, partition 0 and a string value `v<offset>` unless given. */
export function sinkRecord(fields: Partial<SinkRecord> & { readonly offset: number }): SinkRecord {
  return {
    topic: 'iot',
    partition: 0,
    timestamp: undefined,
    headers: [],
    key: null,
    value: `v${fields.offset}`,
    raw: { key: null, value: null },
    handle: noAck,
    ...fields,
  };
}

/** A record as the Kafka source emits it: key and value are the raw bytes. */
export function kafkaRecord(fields: { offset: number; key?: string | Buffer | null; value: string | Buffer | null; topic?: string; partition?: number }): KafkaRecord {
  const bytes = (v: string | Buffer | null | undefined): Buffer | null => (v === null || v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v));
  const key = bytes(fields.key);
  const value = bytes(fields.value);
  return {
    topic: fields.topic ?? 'iot',
    partition: fields.partition ?? 0,
    offset: fields.offset,
    timestamp: 1_700_000_000_000,
    headers: [],
    key,
    value,
    raw: { key, value },
    handle: noAck,
  };
}

/** The ConfigError `f` throws (failing the test when it throws anything else, or nothing). */
export function configErrorOf(f: () => unknown): ConfigError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

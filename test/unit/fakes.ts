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

/** A fetch that answers per URL prefix with the scripted responses (a URL none matches: refused), recording what it was asked. */
export function scriptedFetch(answers: Record<string, () => Response>): { fetch: typeof fetch; asked: { url: string; init: RequestInit }[] } {
  const asked: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    asked.push({ url, init });
    const answer = Object.entries(answers).find(([prefix]) => url.startsWith(prefix))?.[1];
    if (!answer) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    return answer();
  }) as unknown as typeof fetch;
  return { fetch: fetchImpl, asked };
}

/** A JSON response (no body when `body` is undefined). */
export function jsonResponse(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

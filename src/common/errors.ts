/** Typed errors: every failure the sink reports has a `code` and says whether retrying can help. */

export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'HTTP_STATUS'
  | 'HTTP_NETWORK'
  | 'DELIVERY_FAILED'
  | 'DECODE_FAILED'
  | 'TRANSFORM_FAILED'
  | 'BAD_DATA'
  | 'NULL_VALUE'
  | 'KAFKA'
  | 'AUTH_TOKEN'
  | 'BROKER_START'
  | 'DEAD_LETTER'
  | 'WORKER_API'
  | 'SCHEMA_REGISTRY';

export interface RecordRef {
  topic: string;
  partition: number;
  offset: number;
  /** The topic the record was read from, when a router renamed `topic`: what errors name. */
  sourceTopic?: string;
}

/** Base class: a code to branch on (never the message) and a retriable flag. */
export class SinkError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable;
  }
}

/** `text` with control characters (NUL, line breaks, DEL, C1) written as `\uXXXX`: safe to print as a key. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A connector file key is missing, unknown or has a bad value. The message names the key printable (`printable`). */
export class ConfigError extends SinkError {
  constructor(
    readonly key: string | undefined,
    message: string,
  ) {
    super('CONFIG_INVALID', key === undefined ? message : `${printable(key)}: ${message}`, { retriable: false });
  }
}

/** The endpoint answered with a status the policy does not count as success. */
export class HttpStatusError extends SinkError {
  constructor(
    readonly status: number,
    readonly responseBody: string,
    retriable: boolean,
    /** The wait the endpoint asked for with `Retry-After` (429 and 503), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super('HTTP_STATUS', `HTTP ${status}${responseBody ? `: ${responseBody}` : ''}`, { retriable });
  }
}

/** The request never got a response: connection refused or reset, timeout, DNS. */
export class HttpNetworkError extends SinkError {
  constructor(
    readonly networkCode: string,
    message: string,
    cause?: unknown,
  ) {
    super('HTTP_NETWORK', `${networkCode}: ${message}`, { retriable: true, cause });
  }
}

/** The OAuth2 token endpoint failed, answered non-JSON or without the token: retried like a failed request. */
export class TokenEndpointError extends SinkError {
  constructor(
    /** The token URL without credentials or query. */
    readonly endpoint: string,
    readonly problem: string,
    cause?: unknown,
  ) {
    super('AUTH_TOKEN', `OAuth2 token request to ${endpoint} failed: ${problem}`, { retriable: true, cause });
  }
}

/** Retries ran out (or the failure was not retriable) for the records of one request. */
export class DeliveryError extends SinkError {
  constructor(
    readonly records: readonly RecordRef[],
    readonly attempts: number,
    readonly lastError: SinkError,
  ) {
    super('DELIVERY_FAILED', `delivery failed for ${describeRecords(records)} after ${attempts} attempt(s): ${lastError.message}`, {
      retriable: false,
      cause: lastError,
    });
  }
}

/** A record's key or value could not be decoded by its converter. */
export class DecodeError extends SinkError {
  constructor(
    readonly record: RecordRef,
    readonly part: 'key' | 'value',
    reason: string,
  ) {
    super('DECODE_FAILED', `cannot decode ${part} of ${describeRecords([record])}: ${reason}`, { retriable: false });
  }
}

/** A transform (`transforms.<name>`) could not be applied to a record: dead-lettered or stopped on like a DecodeError. */
export class TransformError extends SinkError {
  constructor(
    readonly record: RecordRef,
    /** The transform's name in `transforms` (or its class for an operator used in code). */
    readonly transform: string,
    /** What went wrong, without the record's position. */
    readonly reason: string,
  ) {
    super('TRANSFORM_FAILED', `transform ${transform} failed on ${describeRecords([record])}: ${reason}`, { retriable: false });
  }
}

/** What is wrong with bytes a converter refused: always the record's fault, never the sink's. */
export type BadDataReason = 'malformed' | 'not-wire-format' | 'unknown-schema' | 'wrong-schema-type' | 'payload-mismatch';

/**
 * Thrown by a converter for bytes it cannot read (invalid JSON, not the schema registry wire format, a schema id the
 * registry does not know, a payload that does not fit its schema). `decode` turns it into a DecodeError naming the
 * record, which dead-letters or stops per `errors.tolerance`. Any other error from a converter stops the pipeline.
 */
export class BadDataError extends SinkError {
  constructor(
    readonly reason: BadDataReason,
    message: string,
    cause?: unknown,
  ) {
    super('BAD_DATA', message, { retriable: false, cause });
  }
}

/** A record with a null value (tombstone) reached a sink whose policy is to fail on it. */
export class NullValueError extends SinkError {
  constructor(readonly record: RecordRef) {
    super('NULL_VALUE', `null value (tombstone) at ${describeRecords([record])}; behavior.on.null.values is fail`, { retriable: false });
  }
}

/** The dead-letter producer could not write records: they are neither delivered nor parked, so the pipeline stops. */
export class DeadLetterError extends SinkError {
  constructor(
    readonly topic: string,
    readonly records: readonly RecordRef[],
    reason: string,
    cause?: unknown,
  ) {
    super('DEAD_LETTER', `cannot write ${describeRecords(records)} to dead-letter topic ${topic}: ${reason}`, { retriable: false, cause });
  }
}

/**
 * The schema registry could not give a schema: down, slow or overloaded (retriable; the sink waits and retries), or
 * refusing the credentials or the request (not retriable: the pipeline stops, no record is skipped).
 */
export class SchemaRegistryError extends SinkError {
  constructor(
    /** The registry URL, without credentials. */
    readonly registry: string,
    /** HTTP status, or undefined when no response arrived. */
    readonly status: number | undefined,
    message: string,
    retriable: boolean,
  ) {
    super('SCHEMA_REGISTRY', `schema registry ${registry}: ${message}`, { retriable });
  }
}

/** The Kafka client reported an error it cannot recover from. */
export class KafkaError extends SinkError {
  constructor(message: string, retriable: boolean, cause?: unknown) {
    super('KAFKA', message, { retriable, cause });
  }
}

/**
 * "topic iot partition 0 offsets 5-9, topic iot partition 1 offset 3": the lowest and highest offset per partition
 * (a range, whether or not every offset in it is among the records), named the way an operator searches for them.
 */
export function describeRecords(records: readonly RecordRef[]): string {
  const byTopicPartition = new Map<string, { topic: string; partition: number; min: number; max: number }>();
  for (const r of records) {
    const topic = r.sourceTopic ?? r.topic;
    const id = `${topic}\u0000${r.partition}`;
    const range = byTopicPartition.get(id);
    if (range) {
      range.min = Math.min(range.min, r.offset);
      range.max = Math.max(range.max, r.offset);
    } else {
      byTopicPartition.set(id, { topic, partition: r.partition, min: r.offset, max: r.offset });
    }
  }
  return [...byTopicPartition.values()]
    .map((r) => `topic ${r.topic} partition ${r.partition} ${r.min === r.max ? `offset ${r.min}` : `offsets ${r.min}-${r.max}`}`)
    .join(', ');
}

/** Whatever was thrown, as a SinkError-aware one-liner without a stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

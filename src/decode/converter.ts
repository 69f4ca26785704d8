/** A converter turns a record's key or value bytes into what the request body is built from. */
import type { Logger } from 'winston';
import { BadDataError, type RecordRef } from '../common/errors.js';
import type { ConnectSchema } from '../records/schema.js';
import { envelopeSchema } from './envelope-schema.js';
import { compilePayload, type PayloadReader } from './envelope-payload.js';
import type { IntegerOverflow } from './integer-overflow.js';
import { parseJsonExact } from './exact-json.js';
import { jsonInHashMapOrder } from '../common/java-hash-map.js';
import { jacksonUtf8 } from './jackson-utf8.js';
import { javaDecode, javaUtf8, type StringEncoding } from './string-decoding.js';

/** What `decode` hands every converter besides the bytes. */
export interface ConverterContext {
  /** For converters that wait on something (the schema registry) and say so. */
  readonly log?: Logger;
  /** Set by a converter that knows the Connect schema of what it returned (for the transforms); `decode` reads it. */
  schema?: ConnectSchema;
  /** Set by a converter whose string result is the bytes read as UTF-8, every byte valid: the body may send the bytes. */
  verbatim?: boolean;
}

/**
 * Returns the decoded value, or throws a BadDataError whose message says why the bytes are bad (the record's fault:
 * dead-lettered or stopped on per `errors.tolerance`). Any other error (a bug, a registry refusing us) stops the
 * pipeline. A converter that has to fetch something first (a schema) may return a Promise instead; `decode` waits
 * only for those.
 */
export type Converter = (bytes: Buffer | null, record: RecordRef, context?: ConverterContext) => unknown;

export const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';
export const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
export const BYTE_ARRAY_CONVERTER = 'org.apache.kafka.connect.converters.ByteArrayConverter';
export const AVRO_CONVERTER = 'io.confluent.connect.avro.AvroConverter';
export const PROTOBUF_CONVERTER = 'io.confluent.connect.protobuf.ProtobufConverter';
export const JSON_SCHEMA_CONVERTER = 'io.confluent.connect.json.JsonSchemaConverter';

/**
 * StringConverter: UTF-8 text, sent verbatim. Bytes that are not valid UTF-8 read as U+FFFD, as Java reads them; text
 * without U+FFFD came from valid bytes, so the body can carry those bytes unchanged (`verbatim`).
 */
export const stringConverter: Converter = (bytes, _record, context) => {
  if (bytes === null) return null;
  const text = javaUtf8(bytes);
  if (context !== undefined && !text.includes('\uFFFD')) context.verbatim = true;
  return text;
};

/** StringConverter with `converter.encoding` (ISO-8859-1, US-ASCII: read as Java reads them; never verbatim). */
export function stringConverterFor(encoding: StringEncoding): Converter {
  if (encoding === 'UTF-8') return stringConverter;
  return (bytes) => (bytes === null ? null : javaDecode(bytes, encoding));
}

/** ByteArrayConverter: the bytes as they are. */
export const byteArrayConverter: Converter = (bytes) => bytes;

/**
 * JsonConverter: parsed JSON, integers beyond 2^53 kept exact (BigInt), objects in the key order of the HashMap
 * Connect reads them into (src/common/java-hash-map.ts). With `schemas.enable` the value must be an envelope
 * `{"schema":..., "payload":...}` and the payload is what goes on.
 */
export function jsonConverter(schemasEnable: boolean, integerOverflow: IntegerOverflow = 'keep'): Converter {
  // One payload reader per envelope schema (envelopeSchema hands out one object per schema text).
  const readers = new WeakMap<ConnectSchema, PayloadReader>();
  return (bytes, _record, context) => {
    if (bytes === null) return null;
    let parsed: unknown;
    try {
      parsed = parseJsonExact(jacksonUtf8(bytes), { javaDoubles: true, integerOverflow });
    } catch (error) {
      if (error instanceof BadDataError) throw error;
      throw new BadDataError('malformed', `invalid JSON (${(error as Error).message})`);
    }
    if (!schemasEnable) return jsonInHashMapOrder(parsed);
    if (parsed === null) return null;
    if (typeof parsed !== 'object' || Array.isArray(parsed) || !('schema' in parsed) || !('payload' in parsed)) {
      throw new BadDataError('malformed', 'JsonConverter with schemas.enable=true expects {"schema": ..., "payload": ...}; set schemas.enable to false for plain JSON');
    }
    const envelope = parsed as { schema: unknown; payload: unknown };
    const schema = envelopeSchema(envelope.schema);
    if (context !== undefined) context.schema = schema;
    if (schema === undefined) return jsonInHashMapOrder(envelope.payload);
    let read = readers.get(schema);
    if (read === undefined) readers.set(schema, (read = compilePayload(schema, integerOverflow)));
    return read(envelope.payload);
  };
}

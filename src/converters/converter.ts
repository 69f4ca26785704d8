/** A converter turns a record's key or value bytes into what the request body is built from. */
import type { RecordRef } from '../errors.js';

/** Returns the decoded value, or throws an Error whose message says why the bytes are bad. */
export type Converter = (bytes: Buffer | null, record: RecordRef) => unknown;

export const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';
export const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
export const BYTE_ARRAY_CONVERTER = 'org.apache.kafka.connect.converters.ByteArrayConverter';
export const AVRO_CONVERTER = 'io.confluent.connect.avro.AvroConverter';
export const PROTOBUF_CONVERTER = 'io.confluent.connect.protobuf.ProtobufConverter';
export const JSON_SCHEMA_CONVERTER = 'io.confluent.connect.json.JsonSchemaConverter';

/** StringConverter: UTF-8 text, sent verbatim. */
export const stringConverter: Converter = (bytes) => (bytes === null ? null : bytes.toString('utf8'));

/** ByteArrayConverter: the bytes as they are. */
export const byteArrayConverter: Converter = (bytes) => bytes;

/**
 * JsonConverter: parsed JSON. With `schemas.enable` the value must be an envelope `{"schema":..., "payload":...}`
 * and the payload is what goes on.
 */
export function jsonConverter(schemasEnable: boolean): Converter {
  return (bytes) => {
    if (bytes === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new Error(`invalid JSON (${(error as Error).message})`);
    }
    if (!schemasEnable) return parsed;
    if (parsed === null) return null;
    if (typeof parsed !== 'object' || Array.isArray(parsed) || !('schema' in parsed) || !('payload' in parsed)) {
      throw new Error('JsonConverter with schemas.enable=true expects {"schema": ..., "payload": ...}; set schemas.enable to false for plain JSON');
    }
    return (parsed as { payload: unknown }).payload;
  };
}

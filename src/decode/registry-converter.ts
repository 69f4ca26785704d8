/**
 * The schema-registry converters (Avro, Protobuf, JSON Schema): Confluent's wire format (magic byte 0, 4-byte
 * schema id, for Protobuf the message-index list) -> Connect JSON. Synchronous once a schema id is cached; a Promise
 * while it is fetched. The schemas are compiled by compile-schema.ts, loaded with the first one.
 */
import { BadDataError } from '../common/errors.js';
import type { ConnectSchema } from '../records/schema.js';
import type { Converter, ConverterContext } from './converter.js';
import type { RegistryClient, SchemaKind } from './registry-client.js';

const HEADER_BYTES = 5;

/**
 * A registry schema ready to read payloads: `at` is where the payload starts (after magic byte and id). Bytes that
 * do not fit throw a BadDataError; an error of any other type is a bug in the mapping and stops the pipeline.
 */
export interface CompiledSchema {
  readonly kind: SchemaKind;
  /** The Connect schema of what `read` returns, for the transforms; undefined where the mapping is not known. */
  readonly connectSchema?: ConnectSchema;
  /** For kinds whose payload names its type (Protobuf's message indexes): the Connect schema of this payload's. */
  connectSchemaOf?(bytes: Buffer, at: number): ConnectSchema | undefined;
  read(bytes: Buffer, at: number): unknown;
}

/**
 * A converter for one schema kind. Bad bytes (not the wire format, an id the registry does not know, a payload that
 * does not fit its schema, a schema of another kind) throw a BadDataError: the record is bad. Registry failures come
 * from the client as SchemaRegistryError and stop the pipeline, as does any other error.
 */
export function registryConverter(kind: SchemaKind, converterName: string, client: Pick<RegistryClient<CompiledSchema>, 'cached' | 'load' | 'missing'>): Converter {
  const read = (schema: CompiledSchema, id: number, bytes: Buffer, context: ConverterContext | undefined): unknown => {
    if (schema.kind !== kind) throw new BadDataError('wrong-schema-type', `schema id ${id} is a ${schema.kind} schema, but the converter is ${converterName}`);
    try {
      const value = schema.read(bytes, HEADER_BYTES);
      if (context !== undefined) context.schema = schema.connectSchema ?? schema.connectSchemaOf?.(bytes, HEADER_BYTES);
      return value;
    } catch (error) {
      if (!(error instanceof BadDataError)) throw error;
      throw new BadDataError(error.reason, `payload does not match schema id ${id} (${schema.kind}): ${error.message}`, error);
    }
  };
  return (bytes, _record, context) => {
    if (bytes === null) return null;
    if (bytes.length < HEADER_BYTES) throw new BadDataError('not-wire-format', `${bytes.length} byte(s) are too few for the schema registry wire format (magic byte 0, 4-byte schema id)`);
    if (bytes[0] !== 0) throw new BadDataError('not-wire-format', `unknown magic byte 0x${bytes[0]!.toString(16).padStart(2, '0')}: not the schema registry wire format (expected 0x00)`);
    const id = bytes.readInt32BE(1);
    const schema = client.cached(id);
    if (schema !== undefined) return read(schema, id, bytes, context);
    const missing = client.missing?.(id);
    if (missing !== undefined) throw missing; // known unknown: no Promise, so the poll stays on the synchronous path
    return client.load(id, context?.log).then((loaded) => read(loaded, id, bytes, context));
  };
}

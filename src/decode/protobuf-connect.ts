/**
 * Protobuf data -> the JSON Kafka Connect writes for it (Confluent's ProtobufData to Connect data, then JsonConverter
 * with `schemas.enable=false`), and Confluent's message-index list that says which message type of the schema a
 * record holds.
 */
import protobuf from 'protobufjs';
import { BadDataError, errorMessage } from '../common/errors.js';
import { bytesToJson, type DecimalFormat, decimalToJson, exactInteger, float32ToJson, float64ToJson } from './connect-json.js';
import { addBuiltInImports, BUILT_IN_IMPORTS } from './protobuf-known.js';
import { protobufConnectSchema } from './protobuf-schema.js';
import type { ConnectSchema } from '../records/schema.js';

type Mapper = (value: unknown) => unknown;

/** A schema's message types, addressed the way Confluent's wire format does (message-index paths). */
export interface ProtobufSchema {
  /** The type at `indexes` (top-level message `indexes[0]`, then nested message by position), with its reader. */
  readerAt(indexes: readonly number[]): (payload: Uint8Array) => unknown;
  /** The Connect schema of the type at `indexes` (for the transforms). */
  schemaAt(indexes: readonly number[]): ConnectSchema;
}

/**
 * Parses the schema and its references (field names kept as written, as Connect names its fields); an import no
 * reference provides is taken from the built-in files (protobuf-known.ts).
 */
export function parseProtobufSchema(text: string, references: readonly { name?: string; text: string }[], format: DecimalFormat): ProtobufSchema {
  const root = new protobuf.Root();
  const main = protobuf.parse(text, root, { keepCase: true });
  const parsed = [main, ...references.map((reference) => protobuf.parse(reference.text, root, { keepCase: true }))];
  const imports = parsed.flatMap((p) => [...(p.imports ?? []), ...(p.weakImports ?? [])]);
  const unknown = addBuiltInImports(root, imports, new Set(references.flatMap((r) => (r.name === undefined ? [] : [r.name]))));
  try {
    root.resolveAll();
  } catch (error) {
    if (unknown.length === 0) throw error;
    const hint = `imports ${unknown.join(', ')}: neither a schema reference nor built in (${BUILT_IN_IMPORTS.join(', ')})`;
    throw new Error(`${errorMessage(error)}; ${hint}`, { cause: error });
  }
  const file = main.package ? root.lookup(main.package) : root;
  if (!(file instanceof protobuf.Namespace)) throw new Error(`package ${main.package} not found`);
  // Top-level messages of the main file come first in its namespace: references are parsed after it.
  const topLevel = messagesIn(file);
  const readers = new Map<string, (payload: Uint8Array) => unknown>();
  const compiled = new Map<protobuf.Type, Mapper>();
  const schemas = new Map<string, ConnectSchema>();
  return {
    schemaAt(indexes) {
      const key = indexes.join('.');
      let schema = schemas.get(key);
      if (!schema) {
        schema = protobufConnectSchema(typeAt(topLevel, indexes));
        schemas.set(key, schema);
      }
      return schema;
    },
    readerAt(indexes) {
      const key = indexes.join('.');
      let reader = readers.get(key);
      if (!reader) {
        const type = typeAt(topLevel, indexes);
        const mapper = compileMessage(type, format, compiled);
        reader = (payload) => mapper(fromProtobuf(type, payload));
        readers.set(key, reader);
      }
      return reader;
    },
  };
}

function fromProtobuf(type: protobuf.Type, payload: Uint8Array): unknown {
  try {
    return type.decode(payload);
  } catch (error) {
    throw new BadDataError('payload-mismatch', errorMessage(error), error);
  }
}

function messagesIn(namespace: protobuf.NamespaceBase): protobuf.Type[] {
  return namespace.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
}

function typeAt(topLevel: protobuf.Type[], indexes: readonly number[]): protobuf.Type {
  let candidates = topLevel;
  let type: protobuf.Type | undefined;
  for (const index of indexes) {
    type = candidates[index];
    if (!type) throw new BadDataError('payload-mismatch', `message index path [${indexes.join(', ')}] names no message type of the schema`);
    candidates = messagesIn(type);
  }
  if (!type) throw new BadDataError('payload-mismatch', 'empty message index path');
  return type;
}

/**
 * Confluent's message-index list after the schema id: a zigzag varint count, then that many zigzag varint indexes;
 * the single byte 0 stands for [0], the first message type.
 */
export function readMessageIndexes(bytes: Buffer, at: number): { indexes: number[]; next: number } {
  let position = at;
  const zigzag = (): number => {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (position >= bytes.length) throw new BadDataError('not-wire-format', 'payload ends inside the Protobuf message-index list');
      const byte = bytes[position++]!;
      result |= (byte & 0x7f) << shift;
      if (byte < 0x80) return (result >>> 1) ^ -(result & 1);
    }
    throw new BadDataError('not-wire-format', 'malformed varint in the Protobuf message-index list');
  };
  const count = zigzag();
  if (count === 0) return { indexes: [0], next: position };
  if (count < 0 || count > 64) throw new BadDataError('not-wire-format', `implausible Protobuf message-index count ${count}`);
  const indexes = Array.from({ length: count }, zigzag);
  return { indexes, next: position };
}

function compileMessage(type: protobuf.Type, format: DecimalFormat, compiled: Map<protobuf.Type, Mapper>): Mapper {
  const known = knownType(type.fullName.slice(1), format);
  if (known) return known;
  const existing = compiled.get(type);
  if (existing) return existing;
  const slot: { mapper?: Mapper } = {};
  compiled.set(type, (value) => slot.mapper!(value)); // recursive messages reach themselves through the slot
  // Connect's struct: each real oneof first, as `<name>_<index>` (a struct of its members, all null but the one
  // set), then the other fields in declaration order. A proto3 `optional` field stays a plain field.
  const realOneofs = type.oneofsArray.filter((o) => !(o.fieldsArray.length === 1 && o.fieldsArray[0]!.options?.proto3_optional));
  const oneofs = realOneofs.map((oneof) => ({
    name: `${oneof.name}_${type.oneofsArray.indexOf(oneof)}`,
    members: oneof.fieldsArray.map((f) => ({ name: f.name, mapper: compileField(f, format, compiled) })),
  }));
  const inOneof = new Set(realOneofs.flatMap((o) => o.fieldsArray));
  const fields = type.fieldsArray
    .filter((f) => !inOneof.has(f))
    .map((f) => ({ field: f, mapper: compileField(f, format, compiled), nullable: isMessageField(f) && !f.repeated && !f.map ? true : f.options?.proto3_optional === true }));
  slot.mapper = (value) => {
    const message = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const oneof of oneofs) {
      const set = oneof.members.find((m) => message[m.name] !== undefined && message[m.name] !== null && Object.hasOwn(message, m.name));
      out[oneof.name] = set ? Object.fromEntries(oneof.members.map((m) => [m.name, m === set ? m.mapper(message[m.name]) : null])) : null;
    }
    for (const { field, mapper, nullable } of fields) {
      const raw = message[field.name];
      out[field.name] = raw === undefined || raw === null ? (nullable ? null : mapper(field.defaultValue)) : mapper(raw);
    }
    return out;
  };
  compiled.set(type, slot.mapper);
  return slot.mapper;
}

function isMessageField(field: protobuf.Field): boolean {
  return field.resolvedType instanceof protobuf.Type;
}

function compileField(field: protobuf.Field, format: DecimalFormat, compiled: Map<protobuf.Type, Mapper>): Mapper {
  const one = compileSingle(field.type, field.resolvedType, format, compiled);
  if (field instanceof protobuf.MapField) {
    const key = compileSingle(field.keyType, null, format, compiled);
    // JsonConverter writes a map with string keys as an object, any other as an array of [key, value] pairs.
    if (field.keyType === 'string') return (value) => Object.fromEntries(Object.entries((value ?? {}) as object).map(([k, v]) => [k, one(v)]));
    return (value) => Object.entries((value ?? {}) as object).map(([k, v]) => [key(mapKey(field.keyType, k)), one(v)]);
  }
  if (field.repeated) return (value) => ((value ?? []) as unknown[]).map(one);
  return one;
}

function mapKey(keyType: string, key: string): unknown {
  return keyType === 'bool' ? key === 'true' : Number(key);
}

function compileSingle(typeName: string, resolved: protobuf.Enum | protobuf.Type | null, format: DecimalFormat, compiled: Map<protobuf.Type, Mapper>): Mapper {
  if (resolved instanceof protobuf.Enum) {
    const names = resolved.valuesById;
    return (value) => names[value as number] ?? String(value);
  }
  if (resolved instanceof protobuf.Type) {
    let message: Mapper | undefined;
    return (value) => (message ??= compileMessage(resolved, format, compiled))(value);
  }
  switch (typeName) {
    case 'bytes':
      return (value) => bytesToJson(value as Uint8Array);
    case 'float':
      return (value) => float32ToJson(value as number);
    case 'double':
      return (value) => float64ToJson(value as number); // Java's text: 21.0, 1.0E21
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return exactLong;
    default:
      return (value) => value;
  }
}

/**
 * protobufjs gives 64-bit integers as Long objects (or numbers, or strings): Connect's int64, a number where it is
 * safe and a BigInt beyond 2^53 (the request body writes it as a bare JSON integer), never rounded.
 */
export function exactLong(value: unknown): number | bigint {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return exactInteger(BigInt(value));
  const { low, high, unsigned } = value as { low: number; high: number; unsigned: boolean };
  const n = (unsigned ? high >>> 0 : high) * 0x1_0000_0000 + (low >>> 0);
  if (Number.isSafeInteger(n)) return n;
  return exactInteger((BigInt(unsigned ? high >>> 0 : high) << 32n) | BigInt(low >>> 0));
}

/** A 64-bit field of a well-known type (seconds, nanos, scale) as a number: those never come near 2^53. */
function longToNumber(value: unknown): number {
  return Number(exactLong(value));
}

/** Connect's logical types in Protobuf: Timestamp -> epoch millis, Date -> epoch days, TimeOfDay -> millis of the day, Decimal. */
function knownType(fullName: string, format: DecimalFormat): Mapper | undefined {
  const field = (m: unknown, name: string): number => longToNumber((m as Record<string, unknown>)[name] ?? 0);
  switch (fullName) {
    case 'google.protobuf.Timestamp':
      return (m) => field(m, 'seconds') * 1000 + Math.floor(field(m, 'nanos') / 1e6);
    case 'google.type.Date':
      return (m) => Date.UTC(field(m, 'year'), field(m, 'month') - 1, field(m, 'day')) / 86_400_000;
    case 'google.type.TimeOfDay':
      return (m) => ((field(m, 'hours') * 60 + field(m, 'minutes')) * 60 + field(m, 'seconds')) * 1000 + Math.floor(field(m, 'nanos') / 1e6);
    case 'confluent.type.Decimal':
      return (m) => decimalToJson(((m as { value?: Uint8Array }).value ?? new Uint8Array()), field(m, 'scale'), format);
    default:
      return undefined;
  }
}

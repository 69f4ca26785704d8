/**
 * Avro data -> the JSON Kafka Connect writes for it (Confluent's AvroData to Connect data, then JsonConverter with
 * `schemas.enable=false`). Each schema is compiled once into a reader; fields that need no change are left alone.
 */
import avro from 'avsc';
import { BadDataError, errorMessage } from '../common/errors.js';
import { jsonText } from '../common/json-text.js';
import { bytesToJson, type DecimalFormat, decimalToJson, exactInteger, float32ToJson, float64ToJson } from './connect-json.js';

type Mapper = (value: unknown) => unknown;

/** avsc's Tap: the buffer and read position a type's `_read` hook decodes from. */
interface Tap {
  buf: Buffer;
  pos: number;
  readLong(): number;
}

/**
 * avsc's long refuses values beyond 2^53; Connect has them (int64). Read them exactly: a number where it is one,
 * a BigInt beyond 2^53 (the request body writes it as a bare JSON integer). (`_read` is avsc's per-type decode hook.)
 */
class ExactLongType extends (avro.types.LongType as unknown as new () => object) {
  _read(tap: Tap): number | bigint {
    const start = tap.pos;
    const n = tap.readLong();
    // Below 2^52 the zigzag form fits a float64's 53 bits, so avsc's float arithmetic was exact.
    return Math.abs(n) < 2 ** 52 ? n : exactZigZagLong(tap.buf, start);
  }
}

/** The zigzag varint at `at` as a number when safe, else a BigInt. */
function exactZigZagLong(buf: Uint8Array, at: number): number | bigint {
  let zigzag = 0n;
  for (let i = at, shift = 0n; i < buf.length && shift < 70n; i++, shift += 7n) {
    zigzag |= BigInt(buf[i]! & 0x7f) << shift;
    if (buf[i]! < 0x80) break;
  }
  return exactInteger(BigInt.asIntN(64, (zigzag >> 1n) ^ -(zigzag & 1n)));
}

/** Confluent's record for one entry of a Connect map whose keys are not plain strings (AvroData's MapEntry). */
const MAP_ENTRY = 'io.confluent.connect.avro.MapEntry';
/** Records another name marks as a MapEntry with `"connect.internal.type": "MapEntry"` (avsc keeps no such attribute). */
const taggedMapEntries = new WeakSet<avro.Type>();

/**
 * Options for parsing writer schemas: unions wrapped (so the branch is known), decimals rendered while decoding,
 * every long read exactly whatever its logical type (Connect keeps timestamp-nanos and the like as plain int64s).
 */
export function avroParseOptions(format: DecimalFormat): Partial<avro.ForSchemaOptions> {
  class ConnectDecimal extends avro.types.LogicalType {
    readonly scale: number;
    constructor(schema: avro.Schema, opts?: Partial<avro.ForSchemaOptions>) {
      super(schema, opts);
      this.scale = Number((schema as { scale?: number }).scale ?? 0);
    }
    override _fromValue(value: Buffer): unknown {
      return decimalToJson(value, this.scale, format);
    }
    override _toValue(value: unknown): unknown {
      return value;
    }
  }
  return {
    wrapUnions: true,
    logicalTypes: { decimal: ConnectDecimal },
    typeHook: (schema, opts) => {
      if (schema === 'long' || (typeof schema === 'object' && (schema as { type?: unknown }).type === 'long')) return new ExactLongType() as unknown as avro.Type;
      if (typeof schema !== 'object' || (schema as Record<string, unknown>)['connect.internal.type'] !== 'MapEntry') return undefined;
      const untagged: Record<string, unknown> = { ...schema };
      delete untagged['connect.internal.type']; // else this hook would see the same schema again
      const type = avro.Type.forSchema(untagged as avro.Schema, opts);
      taggedMapEntries.add(type);
      return type;
    },
  };
}

/** The reader for one writer schema: payload bytes -> Connect JSON. A payload that does not fit: BadDataError. */
export function avroReader(type: avro.Type): (payload: Buffer) => unknown {
  const mapper = compile(type);
  return mapper ? (payload) => mapper(fromAvro(type, payload)) : (payload) => fromAvro(type, payload);
}

function fromAvro(type: avro.Type, payload: Buffer): unknown {
  try {
    return type.fromBuffer(payload);
  } catch (error) {
    throw new BadDataError('payload-mismatch', errorMessage(error), error);
  }
}

/** undefined when avsc's value already is what Connect writes (strings, ints, longs, enums, decimals). */
function compile(type: avro.Type, seen = new Map<avro.Type, Mapper | undefined>()): Mapper | undefined {
  if (seen.has(type)) return seen.get(type);
  switch (type.typeName) {
    case 'bytes':
    case 'fixed':
      return (value) => bytesToJson(value as Buffer);
    case 'float':
      return (value) => float32ToJson(value as number);
    case 'double':
      return (value) => float64ToJson(value as number); // Java's text: 21.0, 1.0E21
    case 'array': {
      const itemsType = (type as avro.types.ArrayType).itemsType;
      if (isMapEntry(itemsType)) return compileEntryMap(itemsType, seen);
      const items = compile(itemsType, seen);
      return items && ((value) => (value as unknown[]).map(items));
    }
    case 'map': {
      const values = compile((type as avro.types.MapType).valuesType, seen);
      return values && ((value) => Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, values(v)])));
    }
    case 'record':
    case 'error':
      return compileRecord(type as avro.types.RecordType, seen);
    case 'union:wrapped':
      return compileUnion(type as avro.types.WrappedUnionType, seen);
    default:
      return undefined;
  }
}

function compileRecord(type: avro.types.RecordType, seen: Map<avro.Type, Mapper | undefined>): Mapper | undefined {
  // A recursive record reaches itself through this forwarding slot, filled once its fields are compiled.
  const slot: { mapper?: Mapper } = {};
  seen.set(type, (value) => (slot.mapper ? slot.mapper(value) : value));
  const fields = type.fields.map((field) => ({ name: field.name, mapper: compile(field.type, seen) }));
  if (fields.every((f) => f.mapper === undefined)) {
    seen.set(type, undefined);
    return undefined;
  }
  slot.mapper = (value) => {
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const { name, mapper } of fields) out[name] = mapper ? mapper(record[name]) : record[name];
    return out;
  };
  seen.set(type, slot.mapper);
  return slot.mapper;
}

export function isMapEntry(type: avro.Type): type is avro.types.RecordType {
  if (type.typeName !== 'record' || (type.name !== MAP_ENTRY && !taggedMapEntries.has(type))) return false;
  return (type as avro.types.RecordType).fields.map((f) => f.name).sort().join() === 'key,value';
}

/**
 * An array of MapEntry records is a Connect map (AvroData reads it back as one). JsonConverter writes a map whose key
 * schema is a string as an object (a null key as "null"), any other as an array of [key, value] pairs. A key written
 * twice keeps its first place and its last value, as in the map.
 */
function compileEntryMap(entry: avro.types.RecordType, seen: Map<avro.Type, Mapper | undefined>): Mapper {
  const keyType = entry.field('key')!.type;
  const key = compile(keyType, seen) ?? ((k: unknown) => k);
  const value = compile(entry.field('value')!.type, seen) ?? ((v: unknown) => v);
  const stringKeys = isConnectString(keyType);
  return (entries) => {
    const map = new Map<string, [unknown, unknown]>();
    for (const e of entries as { key: unknown; value: unknown }[]) {
      const k = key(e.key);
      const id = stringKeys ? String(k) : typeof k === 'object' && k !== null ? jsonText(k) : String(k);
      map.set(id, [k, value(e.value)]);
    }
    return stringKeys ? Object.fromEntries([...map].map(([id, [, v]]) => [id, v])) : [...map.values()];
  };
}

/** Avro types Connect reads as a string schema: string (uuid too), enum, and either in a union with null. */
function isConnectString(type: avro.Type): boolean {
  if (type.typeName === 'string' || type.typeName === 'enum') return true;
  if (type.typeName !== 'union:wrapped') return false;
  const branches = (type as avro.types.WrappedUnionType).types;
  return branches.length === 2 && branches.some((b) => b.typeName === 'null') && branches.some((b) => b.typeName === 'string' || b.typeName === 'enum');
}

/**
 * Two branches, one of them null: Connect's optional field (the value or null). Any other union: Connect's
 * `io.confluent.connect.avro.Union` struct, one field per non-null branch (named after a record's, enum's or
 * fixed's simple name, else the Avro type: `string`, `int`, `bytes`, ...), all null but the branch the value has.
 */
function compileUnion(type: avro.types.WrappedUnionType, seen: Map<avro.Type, Mapper | undefined>): Mapper {
  const branches = type.types;
  const nullable = branches.length === 2 && branches.some((b) => b.typeName === 'null');
  const byBranch = new Map<string, { field: string; mapper: Mapper | undefined }>();
  for (const branch of branches) {
    if (branch.typeName === 'null') continue;
    byBranch.set(branch.branchName!, { field: unionFieldName(branch), mapper: compile(branch, seen) });
  }
  const fieldNames = [...byBranch.values()].map((b) => b.field);
  return (value) => {
    if (value === null || value === undefined) return null;
    const [branchName, inner] = Object.entries(value as object)[0]!;
    const branch = byBranch.get(branchName)!;
    const converted = branch.mapper ? branch.mapper(inner) : inner;
    if (nullable) return converted;
    const struct: Record<string, unknown> = {};
    for (const name of fieldNames) struct[name] = name === branch.field ? converted : null;
    return struct;
  };
}

export function unionFieldName(branch: avro.Type): string {
  const underlying = branch.typeName.startsWith('logical:') ? (branch as unknown as { underlyingType: avro.Type }).underlyingType : branch;
  if ((underlying.typeName === 'record' || underlying.typeName === 'enum' || underlying.typeName === 'fixed') && underlying.name) {
    return underlying.name.slice(underlying.name.lastIndexOf('.') + 1);
  }
  return underlying.typeName;
}

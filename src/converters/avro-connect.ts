/**
 * Avro data -> the JSON Kafka Connect writes for it (Confluent's AvroData to Connect data, then JsonConverter with
 * `schemas.enable=false`). Each schema is compiled once into a reader; fields that need no change are left alone.
 */
import avro from 'avsc';
import { BadDataError, errorMessage } from '../errors.js';
import { bytesToJson, type DecimalFormat, decimalToJson, exactInteger, float32ToJson } from './connect-json.js';

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

/** Options for parsing writer schemas: unions wrapped (so the branch is known), decimals rendered while decoding. */
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
    typeHook: (schema) => (schema === 'long' || (typeof schema === 'object' && (schema as { type?: unknown }).type === 'long' && !('logicalType' in schema)) ? (new ExactLongType() as unknown as avro.Type) : undefined),
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

/** undefined when avsc's value already is what Connect writes (strings, ints, longs, doubles, enums, decimals). */
function compile(type: avro.Type, seen = new Map<avro.Type, Mapper | undefined>()): Mapper | undefined {
  if (seen.has(type)) return seen.get(type);
  switch (type.typeName) {
    case 'bytes':
    case 'fixed':
      return (value) => bytesToJson(value as Buffer);
    case 'float':
      return (value) => float32ToJson(value as number);
    case 'array': {
      const items = compile((type as avro.types.ArrayType).itemsType, seen);
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

/**
 * Two branches, one of them null: Connect's optional field (the value or null). Any other union: Connect's
 * `io.confluent.connect.avro.Union` struct, one field per non-null branch (named after a record's or enum's simple
 * name, else the Avro type: `string`, `int`, `fixed`, ...), all null but the branch the value has.
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

function unionFieldName(branch: avro.Type): string {
  const underlying = branch.typeName.startsWith('logical:') ? (branch as unknown as { underlyingType: avro.Type }).underlyingType : branch;
  if ((underlying.typeName === 'record' || underlying.typeName === 'enum') && underlying.name) {
    return underlying.name.slice(underlying.name.lastIndexOf('.') + 1);
  }
  return underlying.typeName;
}

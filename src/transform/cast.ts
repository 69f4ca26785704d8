/** Cast ($Key / $Value): casts fields, or the whole key or value, to another primitive type. */
import type { OperatorFunction } from 'rxjs';
import { str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import type { SinkRecord } from '../records/record.js';
import type { ConnectSchema } from '../records/schema.js';
import { float32ToJson, float64ToJson } from '../decode/connect-json.js';
import { JsonNumber } from '../common/json-text.js';
import { isPlainObject, type PartOptions, partSchema, partValue, type RecordTransform, recordFailure, requireObject, type TransformDefinition, type TransformRunOptions, withPart, REPLACE_NULL_WITH_DEFAULT } from './record-transform.js';
import { transformRecords } from './transformRecords.js';
import { copiedHashMap, javaSetOrder } from '../common/java-hash-map.js';

const CAST_TYPES = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string'] as const;
export type CastType = (typeof CAST_TYPES)[number];

export interface CastOptions extends PartOptions {
  /** Field -> target type; or one target type for the whole key or value. */
  readonly spec: Readonly<Record<string, CastType>> | CastType;
}

const BITS: Partial<Record<CastType, number>> = { int8: 8, int16: 16, int32: 32, int64: 64 };

/**
 * Casts as Connect does: numbers narrow like Java's casts (an integer wraps to the width; a double saturates, see
 * {@link narrowInteger}), booleans
 * are 1/0 as numbers and `!= 0` from numbers, strings parse strictly (a string that is not a number of that type is a
 * record error) and `true` (any case) is the only true string. Null stays null; tombstones pass unchanged.
 *
 * @example
 * decoded$.pipe(cast({ spec: { price: 'float64', qty: 'int32' } }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.Cast
 */
export function cast(options: CastOptions & TransformRunOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(castTransform(options, options.name ?? 'Cast'), options);
}

export function castTransform(options: CastOptions, name: string): RecordTransform {
  const part = options.part ?? 'value';
  const { spec } = options;
  const schemas = new WeakMap<ConnectSchema, ConnectSchema>();
  // Connect reads the spec into a HashMap and puts the fields in its order.
  const specOrder = typeof spec === 'string' ? [] : javaSetOrder(Object.keys(spec), false);
  return (record) => {
    const value = partValue(record, part);
    if (value === null) return record;
    const schema = partSchema(record, part);
    const fail = (why: string): never => recordFailure(record, name, why);
    if (typeof spec === 'string') {
      const out = castValue(value, spec, (why) => fail(`cannot cast the ${part} to ${spec}: ${why}`), schema?.type);
      return withPart(record, part, out, schema && { type: spec, optional: schema.optional });
    }
    const object = requireObject(record, name, value, schema, 'casting fields');
    if (schema === undefined) {
      // Connect copies the map into a HashMap and puts every spec field (null where the map has none): its order.
      const puts = specOrder.map((field) => [field, castField(object[field], field, spec[field]!, undefined, fail)] as const);
      return withPart(record, part, copiedHashMap(object, puts), undefined);
    }
    const out: Record<string, unknown> = { ...object };
    for (const [field, type] of Object.entries(spec)) {
      if (out[field] === null || out[field] === undefined) continue;
      const source = schema?.fields?.find((f) => f.name === field)?.schema.type;
      out[field] = castField(out[field], field, type, source, fail);
    }
    let castSchema = schemas.get(schema);
    if (castSchema === undefined) {
      castSchema = { ...schema, fields: (schema.fields ?? []).map((f) => (f.name in spec ? { name: f.name, schema: { type: spec[f.name]!, optional: f.schema.optional } } : f)) };
      schemas.set(schema, castSchema);
    }
    return withPart(record, part, out, castSchema);
  };
}

function castField(value: unknown, field: string, type: CastType, source: ConnectSchema['type'] | undefined, fail: (why: string) => never): unknown {
  if (value === null || value === undefined) return null;
  return castValue(value, type, (why) => fail(`cannot cast field ${field} to ${type}: ${why}`), source);
}

/**
 * One value cast to `type`; `fail` for what cannot be cast. `source` is the value's schema type when there is a
 * schema: it says whether a number is a double (float32/float64) or an integer, which narrow differently.
 */
function castValue(value: unknown, type: CastType, fail: (why: string) => never, source?: ConnectSchema['type']): unknown {
  if (value instanceof JsonNumber) {
    if (type === 'string') return value.text;
    // Schemaless JsonConverter (Jackson) reads a number with a point or an exponent as a double; with a schema the
    // schema says (a Decimal's BigDecimal narrows like an integer: truncated, then the low bits).
    const kind = source === undefined ? (/[.eE]/.test(value.text) ? 'float64' : 'int64') : source === 'float32' || source === 'float64' ? source : 'int64';
    return castValue(Number(value.text), type, fail, kind);
  }
  if (isPlainObject(value) || typeof value === 'object') return fail('only primitive values can be cast');
  if (type === 'string') return typeof value === 'bigint' ? value.toString() : String(value);
  if (type === 'boolean') {
    if (typeof value === 'string') return value.trim().toLowerCase() === 'true';
    if (typeof value === 'boolean') return value;
    // Java: Number.longValue() != 0, so a double between -1 and 1 is false.
    return typeof value === 'bigint' ? value !== 0n : Math.trunc(Number(value)) !== 0;
  }
  let n: number | bigint;
  if (typeof value === 'boolean') n = value ? 1 : 0;
  else if (typeof value === 'string') n = parseNumber(value, type, fail);
  else n = value as number | bigint;
  if (type === 'float64') return float64ToJson(Number(n)); // a Java double: 21 is written 21.0
  if (type === 'float32') return float32ToJson(Math.fround(Number(n)));
  // A double by its schema; without one (or with one that is not numeric), a number JavaScript cannot hold as an exact
  // integer (a fraction, NaN, an infinity, beyond 2^53: integers that large arrive as BigInts).
  const fromDouble = typeof n === 'number' && (source === 'float32' || source === 'float64' || (!(source !== undefined && source in BITS) && !Number.isSafeInteger(n)));
  const narrowed = narrowInteger(n, BITS[type]!, fromDouble);
  return narrowed >= BigInt(Number.MIN_SAFE_INTEGER) && narrowed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(narrowed) : narrowed;
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * `n` narrowed to a `bits`-wide signed integer as Connect's Cast does it (`Number.byteValue()`, `shortValue()`,
 * `intValue()`, `longValue()`), i.e. by Java's primitive narrowing (JLS 5.1.3):
 * - an integer (a long) keeps its low `bits` bits (wraps): (int) 3000000000L is -1294967296;
 * - a double is rounded toward zero, NaN becomes 0, and a value beyond the range of int (for int8/int16/int32) or
 *   long (for int64) saturates to its MIN/MAX: (int) 3e9 is 2147483647, (long) Infinity is Long.MAX_VALUE;
 *   for byte and short Java narrows double -> int (saturating) and then int -> byte/short (wrapping), so
 *   (byte) 1e10 is (byte) Integer.MAX_VALUE, -1.
 */
function narrowInteger(n: number | bigint, bits: number, fromDouble: boolean): bigint {
  if (typeof n === 'bigint') return BigInt.asIntN(bits, n);
  if (!fromDouble) return BigInt.asIntN(bits, BigInt(Number.isFinite(n) ? Math.trunc(n) : 0));
  if (Number.isNaN(n)) return 0n;
  if (bits === 64) {
    if (n >= 2 ** 63) return LONG_MAX;
    if (n <= -(2 ** 63)) return LONG_MIN;
    return BigInt(Math.trunc(n));
  }
  const asInt = n >= INT_MAX ? INT_MAX : n <= INT_MIN ? INT_MIN : Math.trunc(n);
  return BigInt.asIntN(bits, BigInt(asInt));
}

function parseNumber(text: string, type: CastType, fail: (why: string) => never): number | bigint {
  if (type in BITS) {
    if (!/^[+-]?\d+$/.test(text)) return fail(`${JSON.stringify(text)} is not a whole number`);
    const n = BigInt(text);
    if (BigInt.asIntN(BITS[type]!, n) !== n) return fail(`${text} is out of range for ${type}`);
    return n;
  }
  if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) && !/^\s*[+-]?(Infinity|NaN)\s*$/.test(text)) return fail(`${JSON.stringify(text)} is not a number`);
  return Number(text);
}

/** `f1:int32,f2:string` or `int64` -> the spec, or a ConfigError naming `spec`. */
function parseCastSpec(text: string): CastOptions['spec'] {
  const entries = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const isType = (t: string): t is CastType => (CAST_TYPES as readonly string[]).includes(t);
  const allowed = `one of ${CAST_TYPES.join(', ')}`;
  if (entries.length === 0) throw new ConfigError('spec', `is required: field:type pairs, or one type for the whole value (${allowed})`);
  if (entries.length === 1 && !entries[0]!.includes(':')) {
    if (!isType(entries[0]!)) throw new ConfigError('spec', `type ${entries[0]} is not ${allowed}`);
    return entries[0]!;
  }
  const spec: Record<string, CastType> = {};
  for (const entry of entries) {
    const [field, type, extra] = entry.split(':').map((s) => s.trim());
    if (!field || type === undefined || extra !== undefined) throw new ConfigError('spec', `${JSON.stringify(entry)} is not field:type`);
    if (!isType(type)) throw new ConfigError('spec', `type ${type} of field ${field} is not ${allowed}`);
    spec[field] = type;
  }
  return spec;
}

export const castDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.Cast',
  variants: true,
  doc: `Casts fields (\`field:type,...\`) or the whole key or value (\`type\`) to ${CAST_TYPES.join(', ')}. A string that does not parse is a record error.`,
  options: { spec: { doc: 'Comma-separated `field:type` pairs, or one type for the whole key or value (required).', format: str(), default: '' }, ...REPLACE_NULL_WITH_DEFAULT } satisfies ConfigSpec,
  create: (read, part, name) => castTransform({ part, spec: parseCastSpec(read.string('spec')) }, name),
};

/**
 * JsonConverter with `schemas.enable=true`: the payload as Connect reads it with the envelope's schema, in the form
 * Connect then writes it. A struct has the schema's fields in the schema's order (a missing or null field with a
 * default gets the default, a missing optional field is null, a missing required one is a record error); a map is a
 * HashMap (its order; non-string keys as `[key, value]` pairs, a repeated key collapsed); int8/16/32 numbers are
 * narrowed as Java's casts narrow them (300 in an int8 is 44); float32 and float64 numbers get Java's text (16777217
 * in a float field is `1.6777216E7`); a Decimal is re-encoded as its minimal two's complement.
 */
import { BadDataError } from '../common/errors.js';
import { defaultMapCapacity, inHashMapOrder, javaKeyHash } from '../common/java-hash-map.js';
import { JsonNumber } from '../common/json-text.js';
import { type ConnectSchema, DECIMAL_SCHEMA_NAME } from '../records/schema.js';
import { bigDecimalText, bigIntToTwosComplement, float32ToJson, float64ToJson } from './connect-json.js';
import { wrapToLong, type IntegerOverflow } from './integer-overflow.js';

/** The payload under `schema`, as Connect reads and writes it; BadDataError where Connect's converter throws. */
export function connectPayload(value: unknown, schema: ConnectSchema, overflow: IntegerOverflow): unknown {
  if (value === null || value === undefined) {
    if (schema.defaultValue !== undefined && schema.defaultValue !== null) return connectPayload(schema.defaultValue, { ...schema, defaultValue: undefined }, overflow);
    if (schema.optional) return null;
    throw new BadDataError('malformed', `Invalid null value for required ${schema.type.toUpperCase()} field`);
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
      return narrowed(value, BITS[schema.type]);
    case 'int64':
      return int64(value, overflow);
    case 'float32':
    case 'float64': {
      const n = numberOf(value);
      if (n === undefined) return value;
      return schema.type === 'float64' ? float64ToJson(n) : float32ToJson(Math.fround(n));
    }
    case 'bytes':
      return schema.name === DECIMAL_SCHEMA_NAME ? decimal(value, schema) : typeof value === 'string' ? base64Bytes(value).toString('base64') : value;
    case 'array':
      return Array.isArray(value) && schema.valueSchema ? value.map((item) => connectPayload(item, schema.valueSchema!, overflow)) : value;
    case 'map':
      return map(value, schema, overflow);
    case 'struct':
      return struct(value, schema, overflow);
    default:
      return value;
  }
}

const BITS = { int8: 8, int16: 16, int32: 32 } as const;

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof JsonNumber) return Number(value.text);
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** A whole number (toward zero) as a BigInt, or undefined for what is not a number. */
function integral(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  const n = numberOf(value);
  if (n === undefined || !Number.isFinite(n)) return undefined;
  return BigInt(Math.trunc(n));
}

/** Java's `(byte)`/`(short)` of `intValue()`: the low bits, as a signed number. */
function narrowed(value: unknown, bits: number): unknown {
  const whole = integral(value);
  return whole === undefined ? value : Number(BigInt.asIntN(bits, whole));
}

function int64(value: unknown, overflow: IntegerOverflow): unknown {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  const whole = integral(value);
  if (whole === undefined) return value;
  const kept = overflow === 'wrap' ? wrapToLong(whole) : whole;
  return kept >= -MAX_SAFE && kept <= MAX_SAFE ? Number(kept) : kept;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function struct(value: unknown, schema: ConnectSchema, overflow: IntegerOverflow): unknown {
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  const object = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of schema.fields ?? []) out[field.name] = connectPayload(Object.prototype.hasOwnProperty.call(object, field.name) ? object[field.name] : undefined, field.schema, overflow);
  return out;
}

function map(value: unknown, schema: ConnectSchema, overflow: IntegerOverflow): unknown {
  const keySchema = schema.keySchema!;
  const valueSchema = schema.valueSchema!;
  if (keySchema.type === 'string') {
    if (typeof value !== 'object' || Array.isArray(value)) throw new BadDataError('malformed', 'Maps with string fields should be encoded as JSON objects');
    const object = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) out[key] = connectPayload(object[key], valueSchema, overflow);
    return inHashMapOrder(out, defaultMapCapacity(Object.keys(out).length));
  }
  if (!Array.isArray(value)) throw new BadDataError('malformed', 'Maps with non-string fields should be encoded as JSON array of tuples');
  // A HashMap of the converted keys: a repeated key keeps its first place and takes the last value.
  const entries = new Map<string, { key: unknown; value: unknown; hash: number; at: number }>();
  for (const pair of value as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new BadDataError('malformed', 'Found invalid map entry, expected an array of length 2');
    const key = connectPayload(pair[0], keySchema, overflow);
    const id = typeof key === 'string' ? `s${key}` : `v${String(key)}`;
    const converted = connectPayload(pair[1], valueSchema, overflow);
    const known = entries.get(id);
    if (known !== undefined) known.value = converted;
    else entries.set(id, { key, value: converted, hash: keyHash(key, keySchema), at: entries.size });
  }
  const mask = defaultMapCapacity(entries.size) - 1;
  return [...entries.values()].sort((x, y) => (x.hash & mask) - (y.hash & mask) || x.at - y.at).map((e) => [e.key, e.value]);
}

/** hashCode() of a Connect map key, spread as HashMap spreads it (Integer, Long, Boolean, String; others keep put order). */
function keyHash(key: unknown, schema: ConnectSchema): number {
  let h = 0;
  if (typeof key === 'string') return javaKeyHash(key);
  if (typeof key === 'boolean') h = key ? 1231 : 1237;
  else if (schema.type === 'int64' && (typeof key === 'number' || typeof key === 'bigint')) {
    const long = BigInt.asUintN(64, BigInt(key));
    h = Number(BigInt.asIntN(32, long ^ (long >> 32n)));
  } else if (typeof key === 'number' && Number.isInteger(key)) h = key | 0;
  return h ^ (h >>> 16);
}

/**
 * A Decimal: base64 of the unscaled value (re-encoded in its shortest two's complement, as Java's BigInteger writes
 * it), or a JSON number, which must have the schema's scale (Connect refuses another one).
 */
function decimal(value: unknown, schema: ConnectSchema): unknown {
  const scale = Number(schema.parameters?.scale ?? 0);
  let unscaled: bigint;
  if (typeof value === 'string') {
    const bytes = base64Bytes(value);
    unscaled = bytes.length === 0 ? 0n : BigInt.asIntN(bytes.length * 8, BigInt(`0x${bytes.toString('hex')}`));
  } else {
    const text = value instanceof JsonNumber ? value.text : typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
    if (text === undefined) return value;
    const [digits, valueScale] = decimalParts(text);
    if (valueScale !== scale) throw new BadDataError('malformed', `BigDecimal has mismatching scale value for given Decimal schema (${bigDecimalText(digits, valueScale)} has scale ${valueScale}, the schema ${scale})`);
    unscaled = digits;
  }
  return Buffer.from(bigIntToTwosComplement(unscaled)).toString('base64');
}

/** Standard base64 with its padding: what Jackson's binaryValue() reads (no spaces, no URL-safe letters). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function base64Bytes(text: string): Buffer {
  if (!BASE64.test(text)) throw new BadDataError('malformed', 'Invalid bytes field');
  return Buffer.from(text, 'base64');
}

/** A JSON number's text -> BigDecimal's unscaled value and scale (`12.30` -> 1230n, 2; `1E+3` -> 1n, -3). */
function decimalParts(text: string): [bigint, number] {
  const [mantissa, exponent = '0'] = text.toUpperCase().split('E');
  const [whole, fraction = ''] = mantissa!.split('.');
  return [BigInt(`${whole}${fraction}`.replace(/^(-?)0+(?=\d)/, '$1')), fraction.length - Number(exponent)];
}

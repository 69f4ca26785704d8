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

/** Reads one record's payload under the schema it was compiled for (see compilePayload). */
export type PayloadReader = (value: unknown) => unknown;

/**
 * A reader of payloads under `schema`, as Connect reads and writes them; it throws BadDataError where Connect's
 * converter throws. The schema is walked once, here: compile once per (cached) schema, then call per record.
 */
export function compilePayload(schema: ConnectSchema, overflow: IntegerOverflow): PayloadReader {
  const present = compilePresent(schema, overflow);
  const fallback = schema.defaultValue ?? undefined;
  const optional = schema.optional;
  const nullMessage = `Invalid null value for required ${schema.type.toUpperCase()} field`;
  return (value) => {
    if (value !== null && value !== undefined) return present(value);
    if (fallback !== undefined) return present(fallback);
    if (optional) return null;
    throw new BadDataError('malformed', nullMessage);
  };
}

const asIs: PayloadReader = (value) => value;

/** The reader of a value that is there (not null): one closure per schema node. */
function compilePresent(schema: ConnectSchema, overflow: IntegerOverflow): PayloadReader {
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32': {
      const bits = BITS[schema.type];
      return (value) => narrowed(value, bits);
    }
    case 'int64':
      return (value) => int64(value, overflow);
    case 'float32':
      return (value) => {
        const n = numberOf(value);
        return n === undefined ? value : float32ToJson(Math.fround(n));
      };
    case 'float64':
      return (value) => {
        const n = numberOf(value);
        return n === undefined ? value : float64ToJson(n);
      };
    case 'bytes': {
      if (schema.name !== DECIMAL_SCHEMA_NAME) return (value) => (typeof value === 'string' ? base64Bytes(value).toString('base64') : value);
      const scale = Number(schema.parameters?.scale ?? 0);
      return (value) => decimal(value, scale);
    }
    case 'array': {
      if (!schema.valueSchema) return asIs;
      const item = compilePayload(schema.valueSchema, overflow);
      return (value) => (Array.isArray(value) ? value.map((element) => item(element)) : value);
    }
    case 'map':
      return schema.keySchema!.type === 'string' ? stringKeyMap(schema, overflow) : tupleMap(schema, overflow);
    case 'struct':
      return struct(schema, overflow);
    default:
      return asIs;
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

function struct(schema: ConnectSchema, overflow: IntegerOverflow): PayloadReader {
  const fields = (schema.fields ?? []).map((field) => ({ name: field.name, read: compilePayload(field.schema, overflow) }));
  return (value) => {
    if (typeof value !== 'object' || Array.isArray(value)) return value;
    const object = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const { name, read } of fields) out[name] = read(Object.prototype.hasOwnProperty.call(object, name) ? object[name] : undefined);
    return out;
  };
}

/** A map with string keys: a JSON object, written in HashMap order. */
function stringKeyMap(schema: ConnectSchema, overflow: IntegerOverflow): PayloadReader {
  const read = compilePayload(schema.valueSchema!, overflow);
  return (value) => {
    if (typeof value !== 'object' || Array.isArray(value)) throw new BadDataError('malformed', 'Maps with string fields should be encoded as JSON objects');
    const object = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) out[key] = read(object[key]);
    return inHashMapOrder(out, defaultMapCapacity(Object.keys(out).length));
  };
}

/** A map with other keys: `[key, value]` pairs, written as a HashMap of the converted keys orders them. */
function tupleMap(schema: ConnectSchema, overflow: IntegerOverflow): PayloadReader {
  const readKey = compilePayload(schema.keySchema!, overflow);
  const readValue = compilePayload(schema.valueSchema!, overflow);
  const longKeys = schema.keySchema!.type === 'int64';
  return (value) => {
    if (!Array.isArray(value)) throw new BadDataError('malformed', 'Maps with non-string fields should be encoded as JSON array of tuples');
    // A HashMap of the converted keys: a repeated key keeps its first place and takes the last value.
    const entries = new Map<string, { key: unknown; value: unknown; hash: number; at: number }>();
    for (const pair of value as unknown[]) {
      if (!Array.isArray(pair) || pair.length !== 2) throw new BadDataError('malformed', 'Found invalid map entry, expected an array of length 2');
      const key = readKey(pair[0]);
      const id = typeof key === 'string' ? `s${key}` : `v${String(key)}`;
      const converted = readValue(pair[1]);
      const known = entries.get(id);
      if (known !== undefined) known.value = converted;
      else entries.set(id, { key, value: converted, hash: keyHash(key, longKeys), at: entries.size });
    }
    const mask = defaultMapCapacity(entries.size) - 1;
    return [...entries.values()].sort((x, y) => (x.hash & mask) - (y.hash & mask) || x.at - y.at).map((e) => [e.key, e.value]);
  };
}

/** hashCode() of a Connect map key, spread as HashMap spreads it (Integer, Long, Boolean, String; others keep put order). */
function keyHash(key: unknown, longKey: boolean): number {
  let h = 0;
  if (typeof key === 'string') return javaKeyHash(key);
  if (typeof key === 'boolean') h = key ? 1231 : 1237;
  else if (longKey && (typeof key === 'number' || typeof key === 'bigint')) {
    const long = BigInt.asUintN(64, BigInt(key));
    h = Number(BigInt.asIntN(32, long ^ (long >> 32n)));
  } else if (typeof key === 'number' && Number.isInteger(key)) h = key | 0;
  return h ^ (h >>> 16);
}

/**
 * A Decimal: base64 of the unscaled value (re-encoded in its shortest two's complement, as Java's BigInteger writes
 * it), or a JSON number, which must have the schema's scale (Connect refuses another one).
 */
function decimal(value: unknown, scale: number): unknown {
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

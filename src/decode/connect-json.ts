/**
 * How Kafka Connect's JsonConverter (`schemas.enable=false`) writes the values JSON has no type for: bytes, decimals,
 * and floating-point numbers with Java's text. Shared by the Avro, Protobuf and JSON Schema mappings so the three
 * render them alike.
 */
import { javaDouble, javaFloat } from '../common/java-number.js';
import { JsonNumber } from '../common/json-text.js';

/** Aiven's and JsonConverter's `decimal.format`: the unscaled two's-complement bytes in base64, or a JSON number. */
export type DecimalFormat = 'BASE64' | 'NUMERIC';

/**
 * A 64-bit integer as Connect writes it (exactly): a number where that is safe, else the BigInt, which the request
 * body writes as a bare JSON integer.
 */
export function exactInteger(n: bigint): number | bigint {
  return n >= MIN_SAFE && n <= MAX_SAFE ? Number(n) : n;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Bytes as JsonConverter writes them: standard base64 with padding. (protobufjs gives an absent proto3 bytes field
 * as its default, a plain empty array.)
 */
export function bytesToJson(bytes: Uint8Array | readonly number[]): string {
  return (ArrayBuffer.isView(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.from(bytes)).toString('base64');
}

/**
 * A float32 as JsonConverter writes it, with Java's Float.toString text: the shortest decimal that reads back as the
 * same float32 (1.1, not the 1.100000023841858 its float64 widening shows), `100.0` and `1.6777216E7` rather than
 * `100` and `16777216`. A plain number where JavaScript writes the same text, else a JsonNumber
 * (src/common/java-number.ts).
 */
export function float32ToJson(value: number): number | JsonNumber | string {
  return javaFloat(value);
}

/** A float64 as JsonConverter writes it, with Java's Double.toString text (`21.0`, `1.0E21`); see float32ToJson. */
export function float64ToJson(value: number): number | JsonNumber | string {
  return javaDouble(value);
}

/**
 * A decimal given as big-endian two's-complement unscaled bytes (Avro's and Confluent's encoding) and a scale.
 * BASE64 writes the shortest two's-complement form (Java's BigInteger.toByteArray), whatever padding the producer
 * used; NUMERIC writes the exact number as Java's BigDecimal prints it (every digit, trailing zeros kept: `12.30`).
 */
export function decimalToJson(unscaled: Uint8Array, scale: number, format: DecimalFormat): string | JsonNumber {
  if (format === 'BASE64') return bytesToJson(minimalTwosComplement(unscaled));
  return new JsonNumber(bigDecimalText(twosComplementToBigInt(unscaled), scale));
}

/** A decimal that arrived as a number (JSON Schema), rendered per `format` with the schema's scale. */
export function decimalNumberToJson(value: number, scale: number, format: DecimalFormat): string | number {
  if (format === 'NUMERIC') return value;
  const unscaled = BigInt(Math.round(value * 10 ** scale));
  return bytesToJson(bigIntToTwosComplement(unscaled));
}

function minimalTwosComplement(bytes: Uint8Array): Uint8Array {
  let start = 0;
  // A leading 0x00 before a byte whose top bit is clear (or 0xff before one whose top bit is set) adds nothing.
  while (start < bytes.length - 1) {
    const [first, next] = [bytes[start]!, bytes[start + 1]!];
    if ((first === 0x00 && next < 0x80) || (first === 0xff && next >= 0x80)) start++;
    else break;
  }
  return bytes.length === 0 ? Uint8Array.of(0) : bytes.subarray(start);
}

function twosComplementToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return bytes.length > 0 && bytes[0]! >= 0x80 ? n - (1n << BigInt(bytes.length * 8)) : n;
}

/** Java's BigInteger.toByteArray: the shortest big-endian two's complement of `n`. */
export function bigIntToTwosComplement(n: bigint): Uint8Array {
  const out: number[] = [];
  let rest = n;
  do {
    out.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  } while (!((rest === 0n && out[0]! < 0x80) || (rest === -1n && out[0]! >= 0x80)));
  return Uint8Array.from(out);
}

/**
 * The unscaled value and scale as Java's BigDecimal.toString writes them: plain (`-12.345`, `0.00`) when the scale
 * is not negative and the exponent not below -6, else one digit, the rest after a point, and an exponent
 * (`5E+2` for 5 with scale -2, `1.23E-8` for 123 with scale 10).
 */
export function bigDecimalText(unscaled: bigint, scale: number): string {
  const sign = unscaled < 0n ? '-' : '';
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString();
  const exponent = digits.length - 1 - scale;
  if (scale >= 0 && exponent >= -6) {
    if (scale === 0) return sign + digits;
    const whole = digits.length > scale ? digits.slice(0, -scale) : '0';
    return `${sign}${whole}.${digits.slice(-scale).padStart(scale, '0')}`;
  }
  const mantissa = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  return `${sign}${mantissa}${exponent === 0 ? '' : `E${exponent > 0 ? '+' : ''}${exponent}`}`;
}

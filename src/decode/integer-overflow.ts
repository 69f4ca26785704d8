/**
 * Integers beyond 64 bits in JsonConverter data (a schemaless JSON number, or an int64 field of an envelope). Kafka
 * Connect reads them as a Java long, keeping only the low 64 bits (18446744073709551617 becomes 1): a silent change of
 * the number. We keep the number as it was written (`keep`, the default: a declared departure, see
 * docs/compatibility.md); `wrap` gives Connect's bytes.
 */
export type IntegerOverflow = 'keep' | 'wrap';

/** Java's `BigInteger.longValue()`: the low 64 bits, signed. */
export function wrapToLong(n: bigint): bigint {
  return BigInt.asIntN(64, n);
}

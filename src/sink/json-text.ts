/**
 * Decoded values -> JSON text, with BigInts (int64 values beyond 2^53 from the schema-registry converters) written as
 * bare JSON integers, exactly as Kafka Connect writes them. Values without a BigInt take plain JSON.stringify.
 */
import { randomUUID } from 'node:crypto';

/** A string no decoded value holds: a BigInt becomes `"<mark><digits>"`, and the quotes and mark are then dropped. */
const MARK = `bigint-${randomUUID()}:`;
const MARKED = new RegExp(`"${MARK}(-?\\d+)"`, 'g');

/**
 * JSON.stringify, but a BigInt becomes a JSON integer with all its digits instead of a TypeError.
 *
 * @example
 * jsonText({ n: 2n ** 63n - 1n }) // '{"n":9223372036854775807}'
 */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    // The one TypeError JSON.stringify throws besides a BigInt's is a circular structure, which this rethrows.
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${MARK}${v}` : v)).replace(MARKED, '$1');
  }
}

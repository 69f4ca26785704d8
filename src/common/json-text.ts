/**
 * Decoded values -> JSON text, with BigInts (int64 values beyond 2^53 from the schema-registry converters) written as
 * bare JSON integers and JsonNumbers (exact decimals) as the number text they hold, and escapes as Jackson writes
 * them, exactly as Kafka Connect writes them. Values with none of these take plain JSON.stringify.
 */
import { randomUUID } from 'node:crypto';

/** A string no decoded value holds: a BigInt or JsonNumber becomes `"<mark><number>"`, then quotes and mark are dropped. */
const MARK = `number-${randomUUID()}:`;
const MARKED = new RegExp(`"${MARK}(-?\\d+(?:\\.\\d+)?(?:E[+-]?\\d+)?)"`, 'g');
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:E[+-]?\d+)?$/;

/** Set while jsonText runs: a JsonNumber met then marks itself (and says so), anywhere else it is a plain number. */
let writing = false;
let marked = false;

/**
 * A number given by its exact text, written bare with every digit (e.g. `12.30`, `1234567890.12345678901234567`):
 * what Java's BigDecimal prints for a Connect decimal with `decimal.format=NUMERIC`. Outside jsonText (a log line,
 * a plain JSON.stringify) it is the nearest double.
 */
export class JsonNumber {
  constructor(readonly text: string) {
    if (!NUMBER.test(text)) throw new TypeError(`not a JSON number: ${text}`);
  }

  toJSON(): string | number {
    if (!writing) return Number(this.text);
    marked = true;
    return `${MARK}${this.text}`;
  }

  valueOf(): number {
    return Number(this.text);
  }

  toString(): string {
    return this.text;
  }
}

/**
 * JSON.stringify, but a BigInt becomes a JSON integer with all its digits instead of a TypeError, and a JsonNumber
 * its exact text.
 *
 * @example
 * jsonText({ n: 2n ** 63n - 1n, d: new JsonNumber('12.30') }) // '{"n":9223372036854775807,"d":12.30}'
 */
export function jsonText(value: unknown): string {
  writing = true;
  marked = false;
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    // The one TypeError JSON.stringify throws besides a BigInt's is a circular structure, which this rethrows.
    if (!(error instanceof TypeError)) throw error;
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? ((marked = true), `${MARK}${v}`) : v));
  } finally {
    writing = false;
  }
  const numbers = marked ? text.replace(MARKED, '$1') : text;
  return JAVA_ESCAPES.test(numbers) ? withJacksonEscapes(numbers) : numbers;
}

/** A `\u` escape JSON.stringify wrote (lowercase hex), or a UTF-16 surrogate. */
const JAVA_ESCAPES = /\\u|[\uD800-\uDFFF]/;
/** A `\u` escape preceded by an even number of backslashes (so not an escaped backslash and a `u`), or a surrogate. */
const ESCAPES = /(?<!\\)((?:\\\\)*)\\u([0-9a-f]{4})|[\uD800-\uDFFF]/g;

/**
 * Escapes as Jackson (which Connect's JsonConverter writes with) writes them: control characters with uppercase hex
 * (`\u001F`, where JSON.stringify writes `\u001f`), and every UTF-16 surrogate as its own `\uXXXX`, so an emoji is
 * `\uD83D\uDE00` (JSON.stringify writes it as UTF-8) and a lone surrogate `\uD800` (JSON.stringify: `\ud800`).
 */
function withJacksonEscapes(text: string): string {
  return text.replace(ESCAPES, (match, backslashes: string | undefined, hex: string | undefined) =>
    hex === undefined ? `\\u${match.charCodeAt(0).toString(16).toUpperCase()}` : `${backslashes}\\u${hex.toUpperCase()}`,
  );
}

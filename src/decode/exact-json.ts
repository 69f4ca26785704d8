/**
 * JSON.parse that keeps numbers as Kafka Connect's JsonConverter (Jackson) reads and writes them:
 * - integers beyond 2^53 become BigInts (the request body writes them back as bare integers with every digit), as
 *   Connect keeps an int64 exact; JSON.parse alone would round a 64-bit id to the nearest float64;
 * - with `javaDoubles`, a number written with a decimal point or an exponent is a double, as in Java, and is written
 *   back with Java's text: `21.0` stays `21.0` (not `21`), `1e21` becomes `1.0E21`, `0.0001` becomes `1.0E-4`.
 *   Such a number whose Java text JavaScript would not write becomes a JsonNumber; `14.5` stays a plain number.
 * Only text that may hold such a number (a run of 16 digits, `.0`, an exponent, 8 digits before a point) takes the
 * slower path; other text is one regular-expression test plus JSON.parse.
 */
import { randomUUID } from 'node:crypto';
import { javaDouble } from '../common/java-number.js';
import { JsonNumber } from '../common/json-text.js';
import { type IntegerOverflow, wrapToLong } from './integer-overflow.js';

export interface ExactJsonOptions {
  /** Numbers with a point or an exponent are doubles written with Java's text (schemaless JsonConverter). */
  readonly javaDoubles?: boolean;
  /** Integers beyond 64 bits: kept (default), or wrapped to their low 64 bits as Connect reads them (a Java long). */
  readonly integerOverflow?: IntegerOverflow;
}

const LONG_DIGIT_RUN = /\d{16}/;
/** A digit before `.0`, an exponent, 7 more digits and a point, or 15 more digits: cheap to test, rarely true. */
const MAY_NEED_MARKS = /\d(?:\.0|[eE]|\d{7}\.|\d{15})/;
/**
 * A string prefix no JSON text holds: literals are rewritten to `"<mark>i<digits>"`, `"<mark>d<java text>"` or
 * `"<mark>s<string>"` (the infinities), then revived.
 */
const MARK = `num-${randomUUID()}:`;
const INTEGER = /^-?(?:0|[1-9]\d*)$/;

/**
 * @example
 * parseJsonExact('{"id": 9223372036854775807, "t": 14.5}') // { id: 9223372036854775807n, t: 14.5 }
 * parseJsonExact('{"t": 21.0, "big": 1e21}', { javaDoubles: true }) // { t: JsonNumber('21.0'), big: JsonNumber('1.0E21') }
 */
export function parseJsonExact(text: string, options?: ExactJsonOptions): unknown {
  try {
    return parseExact(text, options);
  } catch (error) {
    // Connect's Jackson reads a number with leading zeros (`007` is 7, `00.5` is 0.5); JSON.parse refuses it.
    const fixed = LEADING_ZERO.test(text) ? withoutLeadingZeros(text) : text;
    if (fixed === text) throw error;
    return parseExact(fixed, options);
  }
}

/** A zero followed by a digit, not inside a longer number: cheap, may match inside a string (then nothing changes). */
const LEADING_ZERO = /(?:^|[^\d.eE+-])-?0\d/;

function parseExact(text: string, options?: ExactJsonOptions): unknown {
  const doubles = options?.javaDoubles === true;
  if (!(doubles ? MAY_NEED_MARKS : LONG_DIGIT_RUN).test(text)) return JSON.parse(text);
  const marked = markNumbers(text, doubles);
  if (marked === text) return JSON.parse(text);
  return revived(JSON.parse(marked), options?.integerOverflow === 'wrap');
}

/** The parsed value with marked strings turned back into numbers (in place; a walk is cheaper than a reviver). */
function revived(value: unknown, wrap: boolean): unknown {
  if (typeof value === 'string') return value.startsWith(MARK) ? revive(value, wrap) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revived(value[i], wrap);
    return value;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const before = object[key];
    const after = revived(before, wrap);
    // defineProperty: a JSON key `__proto__` is an own property, which plain assignment would not set.
    if (after !== before) Object.defineProperty(object, key, { value: after, writable: true, enumerable: true, configurable: true });
  }
  return value;
}

function revive(value: string, wrap: boolean): bigint | number | JsonNumber | string {
  const literal = value.slice(MARK.length + 1);
  const kind = value[MARK.length];
  if (kind === 'i') {
    const n = wrap ? wrapToLong(BigInt(literal)) : BigInt(literal);
    return Number.isSafeInteger(Number(n)) ? Number(n) : n;
  }
  return kind === 'd' ? new JsonNumber(literal) : literal;
}

/** Zero written with a point or exponent (any sign). */
const ZERO = /^-?0(?:\.0*)?(?:[eE].*)?$/;

/**
 * The mark for a number with a point or an exponent, as Connect reads it (a BigDecimal, then its double): `-0.0` is
 * `0.0` (a BigDecimal has no negative zero; `-1e-400` still underflows to `-0.0`), `1e400` is the string `Infinity`
 * (Jackson quotes it); undefined where JSON.parse and JSON.stringify already give Java's text.
 */
function doubleMark(literal: string): string | undefined {
  const value = javaDouble(ZERO.test(literal) ? 0 : Number(literal));
  if (value instanceof JsonNumber) return `d${value.text}`;
  return typeof value === 'string' ? `s${value}` : undefined;
}

/**
 * The text with every number literal outside strings that JSON.parse would not give back as Connect writes it quoted
 * and marked: an integer that is not a safe integer; with `doubles`, a double whose Java text JavaScript would not
 * write.
 */
function markNumbers(text: string, doubles: boolean): string {
  return rewriteNumbers(text, (raw) => {
    const literal = trimmedZeros(raw);
    let mark: string | undefined;
    if (INTEGER.test(literal)) {
      if (!Number.isSafeInteger(Number(literal))) mark = `i${literal}`;
    } else if (doubles) {
      mark = doubleMark(literal);
    }
    return mark === undefined ? literal : `"${MARK}${mark}"`;
  });
}

/** The text with the leading zeros of every number literal outside strings dropped (`-007` is `-7`, `00` is `0`). */
function withoutLeadingZeros(text: string): string {
  return rewriteNumbers(text, trimmedZeros);
}

/** The text with every number literal outside strings replaced by what `rewrite` makes of it (the same text: kept). */
function rewriteNumbers(text: string, rewrite: (literal: string) => string): string {
  let out = '';
  let copiedUpTo = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = endOfString(text, i);
      continue;
    }
    if (c !== 0x2d /* - */ && (c < 0x30 || c > 0x39)) continue;
    let end = i + 1;
    while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
    const literal = text.slice(i, end);
    const rewritten = rewrite(literal);
    if (rewritten !== literal) {
      out += text.slice(copiedUpTo, i) + rewritten;
      copiedUpTo = end;
    }
    i = end - 1;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** A number literal without its leading zeros, as Jackson reads it. */
const trimmedZeros = (literal: string): string => literal.replace(/^(-?)0+(?=\d)/, '$1');

/** Digits, point, exponent and its sign. */
function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

/** Index of the quote that closes the string opening at `start` (or the text's end when it never closes). */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22) return i;
  }
  return text.length;
}

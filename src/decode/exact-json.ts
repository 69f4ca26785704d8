/**
 * JSON.parse that keeps integers beyond 2^53 exact: they become BigInts (the request body writes them back as bare
 * integers with every digit), as Kafka Connect keeps an int64 exact. JSON.parse alone would round a 64-bit id to
 * the nearest float64 and the endpoint would get another number. Only text holding a run of 16 or more digits takes
 * the slower path.
 */
import { randomUUID } from 'node:crypto';

const LONG_DIGIT_RUN = /\d{16}/;
/** A string prefix no JSON text holds: big integer literals are rewritten to `"<mark><digits>"`, then revived. */
const MARK = `int-${randomUUID()}:`;
const INTEGER = /^-?(?:0|[1-9]\d*)$/;

/**
 * @example
 * parseJsonExact('{"id": 9223372036854775807, "t": 14.5}') // { id: 9223372036854775807n, t: 14.5 }
 */
export function parseJsonExact(text: string): unknown {
  if (!LONG_DIGIT_RUN.test(text)) return JSON.parse(text);
  const marked = markBigIntegers(text);
  if (marked === text) return JSON.parse(text);
  return JSON.parse(marked, (_key, value: unknown) => (typeof value === 'string' && value.startsWith(MARK) ? BigInt(value.slice(MARK.length)) : value));
}

/** The text with every integer literal outside strings that is not a safe integer quoted and marked. */
function markBigIntegers(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      i = endOfString(text, i);
      continue;
    }
    if (c !== '-' && (c < '0' || c > '9')) continue;
    let end = i + 1;
    while (end < text.length && /[\d.eE+-]/.test(text[end]!)) end++;
    const literal = text.slice(i, end);
    if (INTEGER.test(literal) && !Number.isSafeInteger(Number(literal))) {
      out += `${text.slice(copiedUpTo, i)}"${MARK}${literal}"`;
      copiedUpTo = end;
    }
    i = end - 1;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** Index of the quote that closes the string opening at `start` (or the text's end when it never closes). */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

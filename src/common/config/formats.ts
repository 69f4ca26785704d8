/**
 * Convict formats for connector-file values. Kafka Connect files often carry numbers and booleans as strings
 * ("500", "true"), so each format coerces a string before it validates, and each failure says what is allowed.
 */
import convict from 'convict';

/**
 * A registered convict format's name, carrying (as a type only) the value a key of this format holds once validated,
 * so a spec's reader knows each key's type: `int()` reads as a number, `oneOf(['a', 'b'])` as `'a' | 'b'`.
 */
export type Format<T> = string & { readonly __value?: T };

const registered = new Set<string>();

function register<T>(name: string, validate: (value: unknown) => void, coerce?: (value: string) => unknown): Format<T> {
  if (!registered.has(name)) {
    convict.addFormat({ name, validate, coerce });
    registered.add(name);
  }
  return name;
}

/** Any string (an empty one included). */
export function str(): Format<string> {
  return register<string>('kc-string', (v) => {
    if (typeof v !== 'string') throw new Error('must be a string');
  });
}

/** A whole number in [min, max]; "500" is read as 500. */
export function int(min: number, max = Number.MAX_SAFE_INTEGER): Format<number> {
  return register<number>(
    `kc-int:${min}:${max}`,
    (v) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
        throw new Error(`must be a whole number from ${min} to ${max}`);
      }
    },
    (s) => (/^\s*-?\d+\s*$/.test(s) ? Number(s) : s),
  );
}

/** A whole number in [min, max] or one of `words` (matched ignoring case); "8" is read as 8. */
export function intOr<const W extends string>(min: number, max: number, words: readonly W[]): Format<number | W> {
  return register<number | W>(
    `kc-int-or:${min}:${max}:${words.join('|')}`,
    (v) => {
      if (typeof v === 'string' && (words as readonly string[]).includes(v)) return;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
        throw new Error(`must be a whole number from ${min} to ${max} or ${words.join(', ')}`);
      }
    },
    (s) => (/^\s*-?\d+\s*$/.test(s) ? Number(s) : (words.find((w) => w.toLowerCase() === s.trim().toLowerCase()) ?? s)),
  );
}

/** true or false; "true"/"false" in any case are read as booleans. */
export function bool(): Format<boolean> {
  return register<boolean>(
    'kc-bool',
    (v) => {
      if (typeof v !== 'boolean') throw new Error('must be true or false');
    },
    (s) => {
      const lower = s.trim().toLowerCase();
      return lower === 'true' ? true : lower === 'false' ? false : s;
    },
  );
}

/** One of a fixed set of values, matched ignoring case (Kafka Connect's enums are case-insensitive). */
export function oneOf<const W extends string>(values: readonly W[]): Format<W> {
  return register<W>(
    `kc-enum:${values.join('|')}`,
    (v) => {
      if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw new Error(`must be one of ${values.join(', ')}`);
    },
    (s) => values.find((allowed) => allowed.toLowerCase() === s.trim().toLowerCase()) ?? s,
  );
}

/** An absolute http:// or https:// URL. */
export function httpUrl(): Format<string> {
  return register<string>('kc-http-url', (v) => {
    if (typeof v !== 'string' || !isHttpUrl(v)) throw new Error('must be an absolute http:// or https:// URL');
  });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The shape every component uses to declare its connector-file keys, next to its own code, and the typed reader of
 * a validated config: the reader's key and value types are inferred from the spec, so a mistyped key, or a key read
 * as the wrong type, does not compile.
 */
import type { Format } from './formats.js';

export interface KeySpec<T = unknown> {
  /** One or two sentences for the README's key table. */
  doc: string;
  /** A format from ./formats.ts; its type parameter is the value's type. */
  format: Format<T>;
  /** Used when the key is absent; null means "no value" (see `required`). */
  default: string | number | boolean | null;
  /** Absent key is an error. */
  required?: boolean;
  /** Value is a secret: wrapped in Secret, never printed. */
  sensitive?: boolean;
}

export type ConfigSpec = Record<string, KeySpec>;

/** The type a key of `S` holds once validated. */
export type ValueOf<S extends KeySpec> = S extends KeySpec<infer T> ? T : never;

/** The keys of `spec` whose value is a `T`; any string for an untyped (`ConfigSpec`) reader. */
export type KeysOf<S extends ConfigSpec, T> = string extends keyof S ? string : { [K in keyof S & string]: ValueOf<S[K]> extends T ? K : never }[keyof S & string];

/**
 * Typed read access to a validated config of `spec`. A reader of a larger spec can be passed where one of a part is
 * wanted. Without a type argument the reader is untyped (any key, loose values): declare the spec instead.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ConfigValues<S extends ConfigSpec = any> {
  /** The key's value (its default when absent); undefined when it has none. */
  get<K extends keyof S & string>(key: K): ValueOf<S[K]> | (S[K]['default'] extends null ? undefined : never);
  string(key: KeysOf<S, string>): string;
  optionalString(key: KeysOf<S, string>): string | undefined;
  number(key: KeysOf<S, number>): number;
  boolean(key: KeysOf<S, boolean>): boolean;
  /** Whether the user wrote the key (as opposed to getting its default). */
  isSet(key: keyof S & string): boolean;
}

/** `spec`'s keys with `prefix` before each, types kept: the per-part keys of `key.converter.*` and `value.converter.*`. */
export function prefixed<const P extends string, S extends ConfigSpec>(prefix: P, spec: S): { [K in keyof S & string as `${P}${K}`]: S[K] } {
  return Object.fromEntries(Object.entries(spec).map(([key, value]) => [`${prefix}${key}`, value])) as { [K in keyof S & string as `${P}${K}`]: S[K] };
}

/** The reader of a validated config: `get` gives a key's value (null when it has none), `given` the keys the file set. */
export function configReader<S extends ConfigSpec>(get: (key: string) => unknown, given: ReadonlySet<string>): ConfigValues<S> {
  const value = (key: string): unknown => get(key) ?? undefined;
  return {
    get: (key) => value(key) as never,
    string: (key) => String(value(key)),
    optionalString: (key) => (value(key) === undefined ? undefined : String(value(key))),
    number: (key) => value(key) as number,
    boolean: (key) => value(key) as boolean,
    isSet: (key) => given.has(key),
  };
}

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/**
 * One reader of several specs at once (a connector file's groups): it can be passed to every component that reads
 * its own group, and reads each key with that group's type.
 */
export type ReaderOf<G extends Record<string, ConfigSpec>> = Intersection<{ [K in keyof G]: ConfigValues<G[K]> }[keyof G]>;

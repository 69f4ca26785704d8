/** The shape every component uses to declare its connector-file keys, next to its own code. */

export interface KeySpec {
  /** One or two sentences for the README's key table. */
  doc: string;
  /** A format name from ./formats.ts. */
  format: string;
  /** Used when the key is absent; null means "no value" (see `required`). */
  default: string | number | boolean | null;
  /** Absent key is an error. */
  required?: boolean;
  /** Value is a secret: wrapped in Secret, never printed. */
  sensitive?: boolean;
}

export type ConfigSpec = Record<string, KeySpec>;

/** Typed read access to a validated connector config. */
export interface ConfigValues {
  string(key: string): string;
  optionalString(key: string): string | undefined;
  number(key: string): number;
  boolean(key: string): boolean;
  /** Whether the user wrote the key (as opposed to getting its default). */
  isSet(key: string): boolean;
}

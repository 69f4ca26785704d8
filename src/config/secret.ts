/** A secret config value: prints as [redacted] everywhere (logs, errors, JSON, util.inspect). */
import { inspect } from 'node:util';

const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The real value, for the one place that sends it (a header, a token request). */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Keys whose values are secrets even when no spec says so (`kafka.sasl.password`, `kafka.ssl.key.pem`, ...). */
export function isSecretKey(key: string): boolean {
  // By suffix, so that e.g. http.authorization.type or oauth2.access.token.url stay visible.
  return /(password|secret|token|authorization|user\.info|jaas\.config|\.pem|\.key|headers\.additional)$|private/i.test(key);
}

/**
 * Makes a plain config object (e.g. librdkafka properties) print with its secret-looking values redacted, in
 * JSON and util.inspect, while code that reads or spreads it still gets the real values.
 */
export function redactedWhenPrinted<T extends Record<string, unknown>>(properties: T): T {
  const printable = (): Record<string, unknown> =>
    Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, isSecretKey(key) ? REDACTED : value]));
  Object.defineProperty(properties, 'toJSON', { value: printable, enumerable: false });
  Object.defineProperty(properties, inspect.custom, { value: () => printable(), enumerable: false });
  return properties;
}

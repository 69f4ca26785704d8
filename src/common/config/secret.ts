/** A secret config value: prints as [redacted] everywhere (logs, errors, JSON, util.inspect). */
import { inspect } from 'node:util';
import { ConfigError } from '../errors.js';

export const REDACTED = '[redacted]';

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

/** A value that only refers to a secret (`${env:X}`, `${file:path:key}`) reveals nothing and may be shown. */
const ONLY_REFERENCES = /^(\$\{(env|file):[^}]*\})+$/;

/** `scheme://user:password@`: the password is what follows the first colon of the user info, up to the last `@`. */
const URL_USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)([^/?#]*)@/i;
/** `scheme://token@` (user info without a colon): an API key or token passed as the user name, hidden whole. */
const URL_TOKEN_ONLY = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@:]+)@/i;

/**
 * A config as it may be shown (logs, REST answers): a sensitive key's value becomes `[redacted]` unless it only
 * refers to a secret, and the password of any URL-valued setting (`https://user:pass@host`) becomes `[redacted]`.
 */
export function redactConfig(config: Readonly<Record<string, unknown>>, sensitive: (key: string) => boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, redactValue(value, sensitive(key))]));
}

function redactValue(value: unknown, sensitive: boolean): unknown {
  if (sensitive) return ONLY_REFERENCES.test(String(value)) ? value : REDACTED;
  return typeof value === 'string' ? value.replace(URL_USER_INFO, `$1${REDACTED}@`).replace(URL_TOKEN_ONLY, `$1${REDACTED}@`) : value;
}

/**
 * Keys that say where a config's secrets are sent: the HTTP endpoint, the OAuth2 token endpoint, the proxy, the
 * schema registries (`key.converter.schema.registry.url`, ...) and the Kafka brokers; under Aiven's names and
 * Confluent's (`http.api.url`, `oauth2.token.url`, `reporter.bootstrap.servers`).
 */
export function isDestinationKey(key: string): boolean {
  return /^(http\.url|http\.api\.url|oauth2\.access\.token\.url|oauth2\.token\.url|http\.proxy\.host|kafka\.bootstrap\.servers|bootstrap\.servers|reporter\.bootstrap\.servers|reporter\.(producer|admin)\.bootstrap\.servers)$|(^|\.)schema\.registry\.url$/.test(key);
}

/**
 * A config sent back after it was shown redacted (a PUT of what a GET answered): where a value is exactly what the
 * stored value is shown as, the stored value is kept, so `[redacted]` and `https://user:[redacted]@host` restore
 * the secret they hide.
 *
 * Unless a destination changed (`isDestinationKey`): a `[redacted]` that would restore a secret while, say,
 * `http.url` points somewhere else would send the stored secret to the new host without its sender ever knowing
 * it. That is a ConfigError naming the key: the secret must be given again. (Kafka Connect itself never
 * restores: its REST API shows and takes configs as they are, so a secret is always sent by whoever moves it.) A
 * destination URL's own password, restored unchanged, still goes only to that same host and does not count.
 */
export function restoreRedacted(
  incoming: Record<string, unknown>,
  stored: Readonly<Record<string, unknown>> | undefined,
  sensitive: (key: string) => boolean,
): Record<string, unknown> {
  if (!stored) return incoming;
  const restoredKeys: string[] = [];
  const restored = Object.fromEntries(
    Object.entries(incoming).map(([key, value]) => {
      const hides = key in stored && typeof value === 'string' && value.includes(REDACTED) && value === String(redactValue(stored[key], sensitive(key)));
      if (hides) restoredKeys.push(key);
      return [key, hides ? stored[key] : value];
    }),
  );
  const secretKey = restoredKeys.find((key) => !isDestinationKey(key));
  if (secretKey === undefined) return restored;
  const asText = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : String(value));
  const destinations = new Set([...Object.keys(incoming), ...Object.keys(stored)].filter(isDestinationKey));
  const changed = [...destinations].find((key) => asText(restored[key]) !== asText(stored[key]));
  if (changed === undefined) return restored;
  throw new ConfigError(
    secretKey,
    `is ${REDACTED} but ${changed} changed: give the secret again, as the destination changed (a stored secret is not sent to a new destination)`,
  );
}

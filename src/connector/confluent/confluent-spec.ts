/** Every key of Confluent's HTTP Sink reference, grouped as the migration guide lists them. */
import { confluentAuthKeys, confluentTlsKeys } from './auth-keys.js';
import { CONFLUENT_KEY_FAMILIES, confluentLicenceKeys, confluentReporterKeys } from './reporter-keys.js';
import { confluentBatchKeys, confluentConnectionKeys, confluentRegexKeys, confluentRetryKeys } from './request-keys.js';
import type { ConfluentSpec } from './key-spec.js';

export const CONFLUENT_KEY_GROUPS = {
  Connection: confluentConnectionKeys,
  Batching: confluentBatchKeys,
  'Regex replacement': confluentRegexKeys,
  Retries: confluentRetryKeys,
  Authorization: confluentAuthKeys,
  TLS: confluentTlsKeys,
  'Reporting topics': confluentReporterKeys,
  Licence: confluentLicenceKeys,
} satisfies Record<string, ConfluentSpec>;

export const CONFLUENT_SPEC: ConfluentSpec = Object.assign({}, ...Object.values(CONFLUENT_KEY_GROUPS)) as ConfluentSpec;

export { CONFLUENT_KEY_FAMILIES };

/** A key of Confluent's reference: declared, or under one of its prefixes. */
export function isConfluentKey(key: string): boolean {
  return key in CONFLUENT_SPEC || CONFLUENT_KEY_FAMILIES.some((family) => key.startsWith(family.prefix));
}

/** Whether a Confluent key holds a secret (never printed). */
export function isConfluentSecret(key: string): boolean {
  return CONFLUENT_SPEC[key]?.sensitive === true || key === 'reporter.producer.sasl.jaas.config';
}

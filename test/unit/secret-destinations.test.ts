/**
 * A PUT of `[redacted]` restores a stored secret only while every key that decides where that secret goes is
 * unchanged (regression: the Kafka SASL password went to `consumer.override.bootstrap.servers` or
 * `kafka.metadata.broker.list`, the proxy and basic-auth passwords through a changed `http.proxy.port`).
 */
import { describe, expect, it } from '@jest/globals';
import { keepRedactedSecrets, redactedConfig } from '../../src/worker/connect-shapes.js';

/** Stored values of every destination key, so that a test changes one and keeps the rest. */
const DESTINATIONS: Record<string, string> = {
  'kafka.bootstrap.servers': 'broker.test:9092',
  'kafka.security.protocol': 'SASL_SSL',
  'kafka.sasl.mechanism': 'SCRAM-SHA-512',
  'http.url': 'https://sink.test:8443/ingest/${topic}',
  'http.proxy.host': 'proxy.test',
  'http.proxy.port': '3128',
  'oauth2.access.token.url': 'https://idp.test/token',
  'value.converter.schema.registry.url': 'https://registry.test:8081',
  'key.converter.schema.registry.url': 'https://registry.test:8081',
};

const KAFKA_SECRETS = ['kafka.sasl.password', 'kafka.ssl.key.password', 'kafka.sasl.oauthbearer.client.secret', 'consumer.override.sasl.jaas.config', 'producer.override.ssl.keystore.password'];
const HTTP_SECRETS = ['http.headers.authorization', 'http.basic.auth.password', 'oauth2.client.secret', 'http.proxy.password', 'http.ssl.key.password', 'http.headers.additional'];
const REGISTRY_SECRETS = ['value.converter.basic.auth.user.info', 'key.converter.schema.registry.basic.auth.user.info', 'value.converter.schema.registry.ssl.keystore.password'];

/** A changed (or added) key that moves where the family's secrets go, with its new value. */
const KAFKA_MOVES: [string, string | undefined][] = [
  ['kafka.bootstrap.servers', '127.0.0.1:19092'],
  ['kafka.bootstrap.servers', undefined],
  ['kafka.metadata.broker.list', '127.0.0.1:19092'],
  ['kafka.metadata.broker.list\u0000', '127.0.0.1:19092'], // librdkafka reads the name up to the NUL
  ['consumer.override.bootstrap.servers', '127.0.0.1:19092'],
  ['consumer.override.metadata.broker.list', '127.0.0.1:19092'],
  ['producer.override.bootstrap.servers', '127.0.0.1:19092'], // the dead-letter and reporter producer
  ['kafka.security.protocol', 'SASL_PLAINTEXT'],
  ['consumer.override.security.protocol', 'SASL_PLAINTEXT'],
  ['kafka.sasl.mechanism', 'PLAIN'],
  ['kafka.sasl.mechanisms', 'PLAIN'],
  ['producer.override.sasl.mechanism', 'PLAIN'],
  ['kafka.sasl.oauthbearer.token.endpoint.url', 'https://idp.attacker.test/token'],
  ['kafka.sasl.oauthbearer.method', 'oidc'],
  ['kafka.sasl.oauthbearer.metadata.authentication.type', 'azure_imds'],
];
const HTTP_MOVES: [string, string | undefined][] = [
  ['http.url', 'http://sink.test:8443/ingest/${topic}'], // scheme
  ['http.url', 'https://attacker.test:8443/ingest/${topic}'], // host
  ['http.url', 'https://sink.test:9443/ingest/${topic}'], // port
  ['http.url', 'https://${key}/ingest/${topic}'], // templated host
  ['http.proxy.host', 'proxy.attacker.test'],
  ['http.proxy.port', '3129'],
  ['http.proxy.port', undefined],
  ['oauth2.access.token.url', 'https://idp.attacker.test/token'],
];
const REGISTRY_MOVES: [string, string | undefined][] = [
  ['value.converter.schema.registry.url', 'https://registry.attacker.test'],
  ['key.converter.schema.registry.url', 'https://registry.attacker.test'],
];

function put(stored: Record<string, string>, key: string, value: string | undefined): Record<string, unknown> {
  const shown: Record<string, unknown> = redactedConfig(stored);
  if (value === undefined) delete shown[key];
  else shown[key] = value;
  return shown;
}

describe('a stored secret is restored only to its own destination', () => {
  const families = [
    ['Kafka', KAFKA_SECRETS, KAFKA_MOVES],
    ['HTTP', HTTP_SECRETS, HTTP_MOVES],
    ['registry', REGISTRY_SECRETS, REGISTRY_MOVES],
  ] as const;

  for (const [family, secrets, moves] of families) {
    it(`refuses every ${family} secret shown [redacted] when any key deciding its destination changed`, () => {
      for (const secret of secrets) {
        const stored = { ...DESTINATIONS, [secret]: 'stored-secret-value' };
        expect(redactedConfig(stored)[secret]).toBe('[redacted]');
        for (const [key, value] of moves) {
          expect(() => keepRedactedSecrets(put(stored, key, value), stored)).toThrow(`${secret}: is [redacted] but ${key} changed`);
        }
        // Unchanged destinations: the secret comes back; given again: taken as sent, wherever it goes.
        expect(keepRedactedSecrets(put(stored, 'topics', 'other'), stored)[secret]).toBe('stored-secret-value');
        for (const [key, value] of moves) {
          expect(keepRedactedSecrets({ ...put(stored, key, value), [secret]: 'given-again' }, stored)[secret]).toBe('given-again');
        }
      }
    });
  }

  it('restores a secret when only another family\'s destination moved', () => {
    const stored = { ...DESTINATIONS, 'kafka.sasl.password': 'k', 'http.headers.authorization': 'Bearer h', 'value.converter.basic.auth.user.info': 'u:r' };
    expect(keepRedactedSecrets({ ...put(stored, 'kafka.bootstrap.servers', 'other:9092'), 'kafka.sasl.password': 'k2' }, stored)).toMatchObject({ 'http.headers.authorization': 'Bearer h', 'value.converter.basic.auth.user.info': 'u:r' });
    expect(keepRedactedSecrets({ ...put(stored, 'http.proxy.port', '1'), 'http.headers.authorization': 'Bearer h2' }, stored)).toMatchObject({ 'kafka.sasl.password': 'k', 'value.converter.basic.auth.user.info': 'u:r' });
  });

  it('binds a URL\'s own password to the proxy in front of it, and a registry URL\'s to the other registry URL', () => {
    const stored = { ...DESTINATIONS, 'http.url': 'https://u:pw@sink.test/', 'value.converter.schema.registry.url': 'https://sr:pw@registry.test' };
    expect(() => keepRedactedSecrets(put(stored, 'http.proxy.port', '3129'), stored)).toThrow('http.url: is [redacted] but http.proxy.port changed');
    expect(() => keepRedactedSecrets(put(stored, 'key.converter.schema.registry.url', 'https://x.test'), stored)).toThrow('value.converter.schema.registry.url: is [redacted] but key.converter.schema.registry.url changed');
    expect(keepRedactedSecrets(put(stored, 'kafka.bootstrap.servers', 'other:9092'), stored)['http.url']).toBe('https://u:pw@sink.test/');
  });
});

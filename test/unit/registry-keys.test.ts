/**
 * The registry keys as Confluent's converters spell them (issue 14): `basic.auth.user.info` and
 * `basic.auth.credentials.source` next to their older `schema.registry.`-prefixed forms, and
 * `schema.registry.ssl.truststore.*` / `keystore.*` stores made with keytool and openssl, against a registry on
 * 127.0.0.1 (https; mutual TLS where a key store is tested).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { parseConnectorConfig } from '../../src/connector/connector-config.js';
import { ConfigError, SchemaRegistryError } from '../../src/common/errors.js';
import { makeTestCerts, type TestCerts } from '../support/certs.js';
import { startTestRegistry, type TestRegistry } from '../support/schema-registry.js';

const USER = 'sr-user';
const PASSWORD = 'pa:ss';
const STORE_PASSWORD = 'store-pass-81c2';
const SCHEMA = { type: 'record', name: 'Reading', namespace: 'iot', fields: [{ name: 'id', type: 'int' }] };
const ref = { topic: 'iot', partition: 0, offset: 0 };
const AVRO = 'io.confluent.connect.avro.AvroConverter';

function tool(command: string, args: string[], cwd: string): void {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
}

describe('registry keys as Confluent spells them', () => {
  let certs: TestCerts;
  let registry: TestRegistry;
  let bytes: Buffer;
  const store = (name: string): string => join(certs.dir, name);

  beforeAll(async () => {
    certs = makeTestCerts();
    // Trust stores with the CA, as keytool writes them; a PKCS12 key store with the client certificate and key.
    for (const type of ['JKS', 'PKCS12']) {
      tool('keytool', ['-importcert', '-noprompt', '-alias', 'ca', '-file', 'ca.pem', '-keystore', `trust.${type}`, '-storepass', STORE_PASSWORD, '-storetype', type], certs.dir);
    }
    tool('openssl', ['pkcs12', '-export', '-in', 'client.pem', '-inkey', 'client.key', '-out', 'client.p12', '-passout', `pass:${STORE_PASSWORD}`, '-name', 'client'], certs.dir);
    const tls = { cert: readFileSync(certs.serverCertFile), key: readFileSync(certs.serverKeyFile), ca: certs.ca, requestCert: true, rejectUnauthorized: true };
    registry = await startTestRegistry({ username: USER, password: PASSWORD, tls });
    const agent = new Agent({ ca: certs.ca, cert: readFileSync(certs.clientCertFile), key: readFileSync(certs.clientKeyFile) });
    const producer = new SchemaRegistry({ host: registry.url, auth: { username: USER, password: PASSWORD }, agent: agent as never });
    const { id } = await producer.register({ type: SchemaType.AVRO, schema: JSON.stringify(SCHEMA) }, { subject: 'iot-value' });
    bytes = await producer.encode(id, { id: 42 });
  }, 60_000);
  afterAll(async () => {
    await registry?.close();
    certs?.remove();
  });

  const connector = (keys: Record<string, string>): Record<string, string> => ({
    name: 'sr_keys',
    topics: 'iot',
    'http.url': 'http://sink.test/ingest',
    'http.authorization.type': 'none',
    'value.converter': AVRO,
    'value.converter.schema.registry.url': registry.url,
    'value.converter.schema.registry.ssl.truststore.location': store('trust.JKS'),
    'value.converter.schema.registry.ssl.truststore.password': STORE_PASSWORD,
    'value.converter.schema.registry.ssl.keystore.location': store('client.p12'),
    'value.converter.schema.registry.ssl.keystore.password': STORE_PASSWORD,
    'value.converter.schema.registry.ssl.keystore.type': 'PKCS12',
    ...keys,
  });

  async function decodeWith(keys: Record<string, string>): Promise<unknown> {
    const config = parseConnectorConfig(connector(keys), {});
    try {
      return await Promise.resolve(config.decode.value(bytes, ref)).catch((error: unknown) => error);
    } finally {
      config.decode.close?.();
    }
  }

  it('takes basic.auth.user.info and basic.auth.credentials.source, a JKS trust store and a PKCS12 key store', async () => {
    const decoded = await decodeWith({ 'value.converter.basic.auth.credentials.source': 'USER_INFO', 'value.converter.basic.auth.user.info': `${USER}:${PASSWORD}` });

    expect(decoded).toEqual({ id: 42 });
  });

  it('takes the older schema.registry.-prefixed spellings, and a PKCS12 trust store', async () => {
    const decoded = await decodeWith({
      'value.converter.schema.registry.basic.auth.credentials.source': 'USER_INFO',
      'value.converter.schema.registry.basic.auth.user.info': `${USER}:${PASSWORD}`,
      'value.converter.schema.registry.ssl.truststore.location': store('trust.PKCS12'),
      'value.converter.schema.registry.ssl.truststore.type': 'PKCS12',
    });

    expect(decoded).toEqual({ id: 42 });
  });

  it('names the key the credentials came from when the registry refuses them, not the password', async () => {
    const refused = await decodeWith({ 'value.converter.basic.auth.credentials.source': 'USER_INFO', 'value.converter.basic.auth.user.info': `${USER}:wrong-secret-7` });

    expect(refused).toBeInstanceOf(SchemaRegistryError);
    expect((refused as Error).message).toContain('the registry refused the credentials; check value.converter.basic.auth.user.info');
    expect((refused as Error).message).not.toContain('wrong-secret-7');
  });

  it('is refused by a registry that asks for a client certificate when no key store is given', async () => {
    const keys = { 'value.converter.basic.auth.credentials.source': 'USER_INFO', 'value.converter.basic.auth.user.info': `${USER}:${PASSWORD}` };
    const withoutKeyStore = Object.fromEntries(Object.entries(connector(keys)).filter(([key]) => !key.includes('.keystore.')));
    const config = parseConnectorConfig(withoutKeyStore, {});
    const error = await Promise.resolve(config.decode.value(bytes, ref)).catch((e: unknown) => e);
    config.decode.close?.();

    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect(error).toMatchObject({ retriable: false, message: expect.stringContaining('set value.converter.schema.registry.ssl.keystore.location') });
  });

  it('refuses a setting given under both names with different values, naming both (and not the values)', () => {
    const both = (a: string, b: string) => () =>
      parseConnectorConfig(connector({ 'value.converter.basic.auth.credentials.source': 'USER_INFO', 'value.converter.basic.auth.user.info': a, 'value.converter.schema.registry.basic.auth.user.info': b }), {});

    expect(both(`${USER}:one-secret`, `${USER}:two-secret`)).toThrow(ConfigError);
    expect(both(`${USER}:one-secret`, `${USER}:two-secret`)).toThrow(
      /value\.converter\.basic\.auth\.user\.info.*value\.converter\.schema\.registry\.basic\.auth\.user\.info/,
    );
    expect(both(`${USER}:one-secret`, `${USER}:two-secret`)).not.toThrow(/secret/);
    expect(both(`${USER}:same`, `${USER}:same`)).not.toThrow();
    expect(() =>
      parseConnectorConfig(connector({ 'value.converter.basic.auth.credentials.source': 'URL', 'value.converter.schema.registry.basic.auth.credentials.source': 'USER_INFO' }), {}),
    ).toThrow(/value\.converter\.basic\.auth\.credentials\.source.*value\.converter\.schema\.registry\.basic\.auth\.credentials\.source/);
  });

  it('refuses a wrong trust store password naming that key', () => {
    expect(() => parseConnectorConfig(connector({ 'value.converter.schema.registry.ssl.truststore.password': 'not-it' }), {})).toThrow(
      /value\.converter\.schema\.registry\.ssl\.truststore\.password/,
    );
  });
});

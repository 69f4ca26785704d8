/**
 * The seed's four schema-registry keys, exactly as it writes them (https URL, USER_INFO, a user:password whose
 * password holds colons, no CA key), for key.converter and value.converter: nothing else is needed. (Where the
 * user:password split falls: registry-options.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { parseConnectorConfig } from '../../src/connector/connector-config.js';
import { SchemaRegistryError } from '../../src/common/errors.js';
import { READING_SCHEMA, reading, readingBody } from '../support/avro-reading.js';
import { makeTestCerts, type TestCerts } from '../support/certs.js';
import { startTestRegistry, type TestRegistry } from '../support/schema-registry.js';
import { runNode } from '../support/spawn-node.js';

const USER = 'USER';
const PASSWORD = 'PASS:WITH:COLONS';
const KEY_SCHEMA = { type: 'record', name: 'Key', namespace: 'iot', fields: [{ name: 'iot_id', type: 'int' }] };

const seedKeys = (part: 'key' | 'value', url: string): Record<string, string> => ({
  [`${part}.converter`]: 'io.confluent.connect.avro.AvroConverter',
  [`${part}.converter.schema.registry.url`]: url,
  [`${part}.converter.basic.auth.credentials.source`]: 'USER_INFO',
  [`${part}.converter.schema.registry.basic.auth.user.info`]: `${USER}:${PASSWORD}`,
});

/** Parses the connector file and decodes one record's key and value, as the sink does; prints both as JSON. */
const DECODE_ONE = `
import { register } from 'tsx/esm/api';
register();
const { parseConnectorConfig } = await import(process.env.CONFIG_MODULE);
const config = parseConnectorConfig(JSON.parse(process.env.CONNECTOR), {});
const ref = { topic: 'iot', partition: 0, offset: 0 };
try {
  const key = await config.decode.key(Buffer.from(process.env.KEY_BYTES, 'base64'), ref);
  const value = await config.decode.value(Buffer.from(process.env.VALUE_BYTES, 'base64'), ref);
  console.log(JSON.stringify({ key, value }));
} finally {
  config.decode.close?.();
}
`;

describe('the seed\'s schema-registry keys', () => {
  let certs: TestCerts;
  let registry: TestRegistry;
  let connector: Record<string, string>;
  let keyBytes: Buffer;
  let valueBytes: Buffer;

  beforeAll(async () => {
    certs = makeTestCerts();
    registry = await startTestRegistry({ username: USER, password: PASSWORD, tls: { cert: readFileSync(certs.serverCertFile), key: readFileSync(certs.serverKeyFile) } });
    const producer = new SchemaRegistry({ host: registry.url, auth: { username: USER, password: PASSWORD }, agent: new Agent({ ca: certs.ca }) as never });
    const keyId = (await producer.register({ type: SchemaType.AVRO, schema: JSON.stringify(KEY_SCHEMA) }, { subject: 'iot-key' })).id;
    const valueId = (await producer.register({ type: SchemaType.AVRO, schema: JSON.stringify(READING_SCHEMA) }, { subject: 'iot-value' })).id;
    keyBytes = await producer.encode(keyId, { iot_id: 7 });
    valueBytes = await producer.encode(valueId, reading(7));
    connector = { name: 'iot_sink', topics: 'iot', 'http.url': 'http://sink.test/ingest', 'http.authorization.type': 'none', ...seedKeys('key', registry.url), ...seedKeys('value', registry.url) };
    registry.log.length = 0;
  });
  afterAll(async () => {
    await registry.close();
    certs.remove();
  });

  it('reach the registry at that URL with those credentials (the registry answers 401 to any others), trusting the default CAs', async () => {
    const run = await runNode(['--input-type=module', '-e', DECODE_ONE], {
      NODE_EXTRA_CA_CERTS: certs.caFile, // the registry's CA among the default ones, as a public CA would be
      CONFIG_MODULE: new URL('../../src/connector/connector-config.ts', import.meta.url).href,
      CONNECTOR: JSON.stringify(connector),
      KEY_BYTES: keyBytes.toString('base64'),
      VALUE_BYTES: valueBytes.toString('base64'),
    });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`{"key":{"iot_id":7},"value":${readingBody(7)}}`);
    expect(registry.log).toEqual(['GET /schemas/ids/1 200', 'GET /schemas/ids/2 200']);
  });

  it('check the certificate against the default CAs only: an unknown CA stops the pipeline before any credential is sent', async () => {
    const config = parseConnectorConfig(connector, {});
    registry.log.length = 0;

    const failure = await Promise.resolve(config.decode.value(valueBytes, { topic: 'iot', partition: 0, offset: 0 })).then(
      () => undefined,
      (error: unknown) => error,
    );
    config.decode.close?.();

    expect(failure).toBeInstanceOf(SchemaRegistryError);
    expect((failure as SchemaRegistryError).message).toMatch(
      new RegExp(`^schema registry ${registry.url}: .*TLS certificate is not trusted .*; set value\\.converter\\.schema\\.registry\\.ssl\\.ca\\.location to the PEM file`),
    );
    expect((failure as SchemaRegistryError).retriable).toBe(false);
    expect(registry.log).toEqual([]);
    expect(JSON.stringify(config.redacted)).not.toContain('WITH:COLONS');
  });
});

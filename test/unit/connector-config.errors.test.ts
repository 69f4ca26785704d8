/** Broken connector files: each is refused with one ConfigError that starts with the offending key and says what is allowed. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConnectorConfig } from '../../src/connector/connector-config.js';
import { ConfigError } from '../../src/common/errors.js';

const TOKEN = 'Bearer sup3r-s3cret-t0ken';
const KAFKA_PASSWORD = 'kafka-pw-s3cret';
const NUMERIC_SECRET = 918273645;
const SECRETS = ['sup3r-s3cret', KAFKA_PASSWORD, String(NUMERIC_SECRET)];

const dir = mkdtempSync(join(tmpdir(), 'connector-config-'));
const propertiesFile = join(dir, 'secrets.properties');
writeFileSync(propertiesFile, 'url=http://sink.test/ingest\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A valid file that carries secrets, so every failure below also shows they stay out of the message. */
const valid: Record<string, unknown> = {
  name: 'iot_sink',
  topics: 'iot_measurements',
  'http.url': 'http://sink.test/ingest',
  'http.authorization.type': 'static',
  'http.headers.authorization': TOKEN,
  'kafka.sasl.password': KAFKA_PASSWORD,
};

/** `valid` with `changes` applied; an undefined value removes the key. */
function broken(changes: Record<string, unknown>): Record<string, unknown> {
  const config = { ...valid, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete config[key];
  return config;
}

/** The error parseConnectorConfig throws; fails the test if it accepts the file. */
function refusal(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    parseConnectorConfig(raw, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected the connector file to be refused');
}

const AVRO = 'io.confluent.connect.avro.AvroConverter';
const PROTOBUF = 'io.confluent.connect.protobuf.ProtobufConverter';

const cases: [string, Record<string, unknown>, string, RegExp][] = [
  ['missing http.url', { 'http.url': undefined }, 'http.url', /is required/],
  ['missing name', { name: undefined }, 'name', /is required/],
  ['http.url that is not a URL', { 'http.url': 'SERVER_URL' }, 'http.url', /must be an absolute http:\/\/ or https:\/\/ URL/],
  ['http.url with another scheme', { 'http.url': 'ftp://sink.test/x' }, 'http.url', /must be an absolute http:\/\/ or https:\/\/ URL/],
  ['unknown authorization type', { 'http.authorization.type': 'kerberos' }, 'http.authorization.type', /must be one of .*none.*static/],
  ['static without a header', { 'http.headers.authorization': undefined }, 'http.headers.authorization', /is required when http\.authorization\.type is static/],
  ['static with an empty header', { 'http.headers.authorization': '' }, 'http.headers.authorization', /is required when http\.authorization\.type is static/],
  ['none with a header', { 'http.authorization.type': 'none' }, 'http.headers.authorization', /must not be set when http\.authorization\.type is none/],
  ['a header that is not a string', { 'http.headers.authorization': NUMERIC_SECRET }, 'http.headers.authorization', /must be a string/],
  ['negative max.retries', { 'max.retries': -1 }, 'max.retries', /must be a whole number from 0 to/],
  ['batch.max.size 0', { 'batch.max.size': 0 }, 'batch.max.size', /must be a whole number from 1 to/],
  ['a fractional http.concurrency', { 'http.concurrency': '1.5' }, 'http.concurrency', /must be a whole number from 1 to/],
  ['batching.enabled "maybe"', { 'batching.enabled': 'maybe' }, 'batching.enabled', /must be true or false/],
  ['unknown ordering', { ordering: 'random' }, 'ordering', /must be one of partition, key, none/],
  ['another connector class', { 'connector.class': 'com.example.OtherSink' }, 'connector.class', /must be one of io\.aiven\.kafka\.connect\.http\.HttpSinkConnector/],
  ['a typo of a known key', { 'http.urll': 'http://sink.test' }, 'http.urll', /unknown key \(did you mean http\.url\?\)/],
  ['an unknown key', { colour: 'blue' }, 'colour', /unknown key; see docs\/reference.md for the supported keys/],
  ['an unknown converter class', { 'value.converter': 'com.example.FancyConverter' }, 'value.converter', /must be one of .*StringConverter.*JsonConverter/],
  ['a schema registry value converter without a registry', { 'value.converter': AVRO }, 'value.converter.schema.registry.url', /is required with io\.confluent\.connect\.avro\.AvroConverter/],
  ['a schema registry key converter without a registry', { 'key.converter': PROTOBUF }, 'key.converter.schema.registry.url', /is required with io\.confluent\.connect\.protobuf\.ProtobufConverter/],
  ['USER_INFO without a user:password', { 'value.converter': AVRO, 'value.converter.schema.registry.url': 'https://registry.test', 'value.converter.basic.auth.credentials.source': 'USER_INFO', 'value.converter.schema.registry.basic.auth.user.info': 'nocolon' }, 'value.converter.schema.registry.basic.auth.user.info', /must be user:password/],
  ['a JKS trust store for the registry', { 'value.converter': AVRO, 'value.converter.schema.registry.url': 'https://registry.test', 'value.converter.schema.registry.ssl.truststore.location': '/x.jks' }, 'value.converter.schema.registry.ssl.truststore.location', /cannot read \/x\.jks \(ENOENT\)/],
  ['two registry URLs', { 'value.converter': AVRO, 'value.converter.schema.registry.url': 'https://a.test,https://b.test' }, 'value.converter.schema.registry.url', /one absolute http/],
  ['both topics and topics.regex', { 'topics.regex': 'iot_.*' }, 'topics', /set exactly one of topics .* and topics\.regex/],
  ['neither topics nor topics.regex', { topics: undefined }, 'topics', /set exactly one of topics .* and topics\.regex/],
  ['topics without a name', { topics: ' , ' }, 'topics', /must name at least one topic/],
  ['an unset ${env:...}', { 'http.url': '${env:UNSET_FOR_THIS_TEST}' }, 'http.url', /\$\{env:UNSET_FOR_THIS_TEST\} is not set; export UNSET_FOR_THIS_TEST/],
  ['a ${file:...} that cannot be read', { 'http.url': '${file:/nonexistent/sink.properties:url}' }, 'http.url', /cannot read \/nonexistent\/sink\.properties \(ENOENT\)/],
  ['a ${file:...} without the key', { 'http.url': `\${file:${propertiesFile}:missingkey}` }, 'http.url', /has no key missingkey/],
  ['a ${file:...} without a key part', { 'http.url': '${file:nocolon}' }, 'http.url', /must name a properties file and a key/],
  ['an object value', { 'batch.linger.ms': { ms: 5 } }, 'batch.linger.ms', /must be a string, number or boolean, not object/],
  ['an array value', { topics: ['a', 'b'] }, 'topics', /must be a string, number or boolean, not an array/],
  ['a null value', { 'batch.prefix': null }, 'batch.prefix', /must be a string, number or boolean, not null/],
  ['a template in the URL host', { 'http.url': 'http://${topic}.sink.test/x' }, 'http.url', /only the path and query/],
  ['an unknown URL template field', { 'http.url': 'http://sink.test/${tpoic}' }, 'http.url', /\$\{tpoic\} is not a template field/],
  ['an unknown header template field', { 'http.headers.additional': 'X-K:${kee}' }, 'http.headers.additional', /is not a template field/],
  ['bad success codes', { 'http.success.status.codes': '2xx' }, 'http.success.status.codes', /"2xx" is not a status code/],
  ['a reversed retry range', { 'retry.on.status.codes': '599-500' }, 'retry.on.status.codes', /is not a status code, a range/],
  ['dlq without a topic', { 'behavior.on.status.error': 'dlq' }, 'behavior.on.status.error', /errors\.deadletterqueue\.topic\.name is not set/],
  ['an unknown backoff policy', { 'retry.backoff.policy': 'random' }, 'retry.backoff.policy', /must be one of fixed, exponential/],
  ['DELETE as http.method', { 'http.method': 'DELETE' }, 'http.method', /must be one of POST, PUT, PATCH/],
  ['an unknown null behavior', { 'behavior.on.null.values': 'skip' }, 'behavior.on.null.values', /must be one of fail, ignore/],
  ['a bad idempotency header name', { 'http.idempotency.key.header': 'Idem Key' }, 'http.idempotency.key.header', /must be a header name/],
  ['headers JSON that is not an object of strings', { 'http.headers.additional': '{"X-A": 1}' }, 'http.headers.additional', /must be a header name with a string value/],
  ['kafka.group.id', { 'kafka.group.id': 'mine' }, 'kafka.group.id', /is managed by the sink.*remove it/],
  ['kafka.enable.auto.commit', { 'kafka.enable.auto.commit': 'true' }, 'kafka.enable.auto.commit', /is managed by the sink/],
  ['a header list entry without a colon', { 'http.headers.additional': 'X-Env:prod,X-Team' }, 'http.headers.additional', /entry 2 is not a Name:value pair/],
  ['a header given twice', { 'http.headers.additional': 'X-Env:prod,x-env:test' }, 'http.headers.additional', /header x-env is given twice/],
  ['a name with a space', { name: 'iot sink' }, 'name', /may only contain letters, digits/],
  ['a blank Content-Type (Aiven refuses it too; issue 20)', { 'http.headers.content.type': ' ' }, 'http.headers.content.type', /must not be blank/],
];

describe('parseConnectorConfig refuses a broken file', () => {
  it.each(cases)('with %s', (_what, changes, key, allowed) => {
    const error = refusal(broken(changes));

    expect(error.key).toBe(key);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.startsWith(`${key}: `)).toBe(true);
    expect(error.message).toMatch(allowed);
    for (const secret of SECRETS) expect(error.message).not.toContain(secret);
  });

  it('with http.authorization.type oauth2 and no oauth2 settings, naming oauth2', () => {
    const error = refusal(broken({ 'http.authorization.type': 'oauth2', 'http.headers.authorization': undefined }));

    expect(error.message).toMatch(/^[\w.]+: .*oauth2/);
    expect(error.message.startsWith(`${error.key!}: `)).toBe(true);
  });

  it('without showing a secret taken from the environment, when another key is broken', () => {
    const config = broken({ 'http.headers.authorization': '${env:TOKEN}', 'batch.max.size': 0 });

    const error = refusal(config, { TOKEN });

    expect(error.key).toBe('batch.max.size');
    expect(error.message).not.toContain('sup3r-s3cret');
  });

  it('showing the reference, not the secret it resolves to, when the broken key itself is a reference', () => {
    // Anyone who may submit a connector (the worker's API) must not read the worker's environment through errors.
    const error = refusal(broken({ 'http.timeout': '${env:TOKEN}' }), { TOKEN });

    expect(error.message).toBe('http.timeout: must be a whole number from 1 to 3600: value was "${env:TOKEN}"');
  });
});

/** Confluent's HTTP Sink connector files: read with Confluent's keys and defaults onto the same settings and requests. */
import { describe, expect, it } from '@jest/globals';
import { connectorSettings } from '../../src/connector/connector-config.js';
import { buildRequests } from '../../src/request/request-builder.js';
import { parsePropertiesFile } from '../../src/connector/properties-file.js';
import { configErrorOf, sinkRecord } from './fakes.js';

const CLASS = 'io.confluent.connect.http.HttpSinkConnector';
const base = { name: 'orders-sink', 'connector.class': CLASS, topics: 'orders', 'http.api.url': 'http://127.0.0.1:8080/api/messages' };
const env = { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092' };
const settingsOf = (extra: Record<string, unknown> = {}) => connectorSettings({ ...base, ...extra }, env);

describe('a Confluent connector file', () => {
  it('gets Confluent\'s defaults: one record per request, 10 retries on 400 and above, reports to <name>-success and <name>-error', () => {
    const s = settingsOf();
    expect(s.batch).toMatchObject({ enabled: true, maxSize: 1, lingerMs: 0 });
    expect(s.request).toMatchObject({ url: base['http.api.url'], method: 'POST', prefix: '', suffix: '', separator: ',', format: 'custom', groupBy: 'someKey', groupByHeaders: true });
    expect(s.post.retry.maxRetries).toBe(10);
    expect([400, 404, 500].map(s.post.policy.retry)).toEqual([true, true, true]);
    expect(s.post.policy.retry(302)).toBe(false);
    expect(s.decode.onNull).toBe('ignore');
    expect(s.post.authorization).toEqual({ type: 'none' });
    expect(s.reporter).toMatchObject({ resultTopic: 'orders-sink-success', errorTopic: 'orders-sink-error', confluent: { errorsAs: 'error_string' } });
    expect(s.http.timeoutMs).toBe(30_000);
  });

  it('reads headers with header.separator, sensitive.headers redacted, and the batch framing keys', () => {
    const s = settingsOf({
      headers: 'Content-Type:application/json|X-Env:prod',
      'sensitive.headers': 'Authorization:Bearer s3cret',
      'batch.max.size': '50',
      'batch.prefix': '{"records":[',
      'batch.suffix': ']}',
    });
    expect(s.request.headers).toEqual({ 'Content-Type': 'application/json', 'X-Env': 'prod', Authorization: 'Bearer s3cret' });
    expect(s.redacted['sensitive.headers']).toBe('[redacted]');
    expect(JSON.stringify(s.redacted)).not.toContain('s3cret');
  });

  it('keeps the Content-Type of `headers` (any case) for a JSON array body', () => {
    const s = settingsOf({ headers: 'content-type:application/vnd.api+json', 'request.body.format': 'json', 'batch.json.as.array': 'true' });
    expect(s.request.headers).toEqual({ 'Content-Type': 'application/vnd.api+json' });
  });

  it('refuses a JSON body batched without an array, as Confluent does', () => {
    const error = configErrorOf(() => settingsOf({ 'request.body.format': 'json', 'batch.max.size': '5' }));
    expect(error.key).toBe('batch.json.as.array');
  });

  it('turns Confluent\'s open status ranges into retried statuses', () => {
    const s = settingsOf({ 'retry.on.status.codes': '429,500-' });
    expect([429, 500, 503, 400, 404].map(s.post.policy.retry)).toEqual([true, true, true, false, false]);
  });

  it('maps BASIC and OAUTH2 (url mode, scope, token property, token-request headers)', () => {
    expect(settingsOf({ 'auth.type': 'basic', 'connection.user': 'u', 'connection.password': 'p' }).post.authorization).toMatchObject({ type: 'basic', username: 'u' });
    const oauth = settingsOf({
      'auth.type': 'OAUTH2',
      'oauth2.token.url': 'http://127.0.0.1:9000/token',
      'oauth2.client.id': 'id',
      'oauth2.client.secret': 'secret',
      'oauth2.client.auth.mode': 'url',
      'oauth2.token.property': 'token',
      'oauth2.client.headers': 'X-Tenant:acme',
    }).post.authorization;
    expect(oauth).toMatchObject({ type: 'oauth2', oauth2: { tokenUrl: 'http://127.0.0.1:9000/token', mode: 'URL', scope: 'any', fields: { token: 'token' }, headers: { 'X-Tenant': 'acme' } } });
  });

  it('names Confluent\'s key when a value is wrong, and refuses Aiven\'s keys and what has no equivalent, by name', () => {
    expect(configErrorOf(() => settingsOf({ 'http.api.url': 'ftp://host/x' })).key).toBe('http.api.url');
    expect(configErrorOf(() => settingsOf({ 'auth.type': 'KERBEROS' })).key).toBe('auth.type');
    expect(configErrorOf(() => settingsOf({ 'auth.type': 'OAUTH2' })).key).toBe('oauth2.token.url');
    const aiven = configErrorOf(() => settingsOf({ 'http.url': 'http://127.0.0.1/' }));
    expect(aiven.key).toBe('http.url');
    expect(aiven.message).toContain('http.api.url');
    const jwt = configErrorOf(() => settingsOf({ 'auth.type': 'OAUTH2', 'oauth2.token.url': 'http://127.0.0.1/t', 'oauth2.client.id': 'a', 'oauth2.client.secret': 'b', 'oauth2.jwt.enabled': 'true' }));
    expect(jwt.key).toBe('oauth2.jwt.enabled');
    expect(configErrorOf(() => settingsOf({ 'https.ssl.cipher.suites': 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'ssl.enabled': 'true' })).key).toBe('https.ssl.cipher.suites');
    const ciphers = settingsOf({ 'https.ssl.cipher.suites': 'TLS_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ssl.enabled': 'true' }).http.transport.tls.ciphers;
    expect(ciphers).toBe('TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256');
    expect(configErrorOf(() => settingsOf({ 'https.ssl.provider': 'BC' })).key).toBe('https.ssl.provider');
    expect(configErrorOf(() => settingsOf({ 'bogus.key': 'x' })).key).toBe('bogus.key');
    expect(configErrorOf(() => settingsOf({ 'http.api.ur': 'x' })).message).toContain('did you mean http.api.url');
  });

  it('resolves config-provider references in Confluent\'s keys once, and never shows the secret', () => {
    const s = connectorSettings({ ...base, 'http.api.url': '${env:SERVER_URL}/in', 'auth.type': 'BASIC', 'connection.user': 'u', 'connection.password': '${env:PW}' }, { ...env, SERVER_URL: 'http://127.0.0.1:1', PW: 'p-${x}' });
    expect(s.request.url).toBe('http://127.0.0.1:1/in');
    expect(s.post.authorization).toMatchObject({ type: 'basic', username: 'u' });
    expect((s.post.authorization as { password: { reveal(): string } }).password.reveal()).toBe('p-${x}');
    expect(JSON.stringify(s.redacted)).not.toContain('p-$');
  });

  it('accepts the licence keys and says once that they are not used', () => {
    const s = settingsOf({ 'confluent.topic.bootstrap.servers': 'broker:9092', 'confluent.topic.replication.factor': '1', 'confluent.license': '' });
    expect(s.notices).toEqual(['confluent.license and confluent.topic.* are accepted and not used: this sink needs no licence']);
  });

  it('fails or drops per behavior.on.error', () => {
    expect(settingsOf().post.policy.otherwise).toBe('fail');
    expect(settingsOf({ 'behavior.on.error': 'log' }).post.policy).toMatchObject({ otherwise: 'drop', onError: 'drop' });
    expect(settingsOf({ 'behavior.on.null.values': 'fail', 'behavior.on.error': 'ignore' }).decode.onNull).toBe('ignore');
    expect(settingsOf({ 'behavior.on.null.values': 'fail' }).decode.onNull).toBe('fail');
  });
});

describe('requests of a Confluent file', () => {
  const headers = (pairs: Record<string, string>) => Object.entries(pairs).map(([key, value]) => ({ key, value: Buffer.from(value) }));

  it('splits a batch by batch.key.pattern and by differing Kafka header values', () => {
    const s = settingsOf({ 'batch.max.size': '10', 'batch.key.pattern': '${key}' });
    const records = [
      sinkRecord({ offset: 0, key: 'a', value: 'x' }),
      sinkRecord({ offset: 1, key: 'b', value: 'y' }),
      sinkRecord({ offset: 2, key: 'a', value: 'z' }),
    ];
    expect(buildRequests(records, s.request).map((r) => r.body)).toEqual(['x,z', 'y']);
    const byHeader = settingsOf({ 'batch.max.size': '10' });
    const tagged = [0, 1, 2].map((offset) => sinkRecord({ offset, value: `v${offset}`, headers: headers({ tenant: offset === 1 ? 'b' : 'a' }) }));
    expect(buildRequests(tagged, byHeader.request).map((r) => r.body)).toEqual(['v0,v2', 'v1']);
  });

  it('renders JSON values as an array and applies the regex replacements to each record', () => {
    const s = settingsOf({
      'batch.max.size': '10',
      'request.body.format': 'json',
      'batch.json.as.array': 'true',
      'regex.patterns': '"ssn":"\\d+"~secret',
      'regex.replacements': '"ssn":"***"~$0-hidden',
    });
    const records = [sinkRecord({ offset: 0, value: { ssn: 123, note: 'secret' } }), sinkRecord({ offset: 1, value: '{"ssn":"456"}' })];
    expect(buildRequests(records, s.request)[0]!.body).toBe('[{"ssn":123,"note":"secret-hidden"},{"ssn":"***"}]');
  });
});

describe('a .properties connector file', () => {
  it('reads Java properties: separators, comments, continuations and escapes', () => {
    const text = ['# Confluent quick start', 'name = HttpSink', 'connector.class:io.confluent.connect.http.HttpSinkConnector', 'headers=Content-Type:application/json|\\', '  X-Env:prod', 'batch.suffix=\\n', '! comment', 'topics http-messages'].join('\n');
    expect(parsePropertiesFile(text)).toEqual({
      name: 'HttpSink',
      'connector.class': CLASS,
      headers: 'Content-Type:application/json|X-Env:prod',
      'batch.suffix': '\n',
      topics: 'http-messages',
    });
  });
});

describe('the rest of a Confluent file', () => {
  it('maps the proxy, and ssl.enabled with an empty endpoint identification to a chain-only check', () => {
    const proxied = settingsOf({ 'http.proxy.host': '127.0.0.1', 'http.proxy.port': '3128', 'http.proxy.user': 'p', 'http.proxy.password': 'pp' });
    expect(proxied.http.transport.proxy).toMatchObject({ host: '127.0.0.1', port: 3128, user: 'p' });
    expect(settingsOf().http.transport.proxy).toBeUndefined();
    const tls = settingsOf({ 'ssl.enabled': 'true', 'https.ssl.endpoint.identification.algorithm': '', 'https.ssl.enabled.protocols': 'TLSv1.2' }).http.transport.tls;
    expect(tls).toMatchObject({ checkHost: false, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', rejectUnauthorized: true });
    expect(settingsOf().http.transport.tls.checkHost).toBeUndefined();
    expect(configErrorOf(() => settingsOf({ 'ssl.enabled': 'true', 'https.ssl.enabled.protocols': 'TLSv1.1' })).key).toBe('https.ssl.enabled.protocols');
  });

  it('warns when a trust store is given but ssl.enabled is false, as Confluent then does not read it', () => {
    expect(settingsOf({ 'https.ssl.truststore.location': '/nowhere.jks' }).warnings).toEqual([expect.stringContaining('ssl.enabled is false')]);
  });

  it('refuses a regex list whose lengths differ, naming regex.replacements', () => {
    expect(configErrorOf(() => settingsOf({ 'regex.patterns': 'a~b', 'regex.replacements': 'x' })).key).toBe('regex.replacements');
    expect(configErrorOf(() => settingsOf({ 'regex.patterns': 'a++', 'regex.replacements': 'x' })).key).toBe('regex.patterns');
  });
});

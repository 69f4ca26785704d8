/**
 * The one gate for what reaches librdkafka (src/source/native-config.ts, client-files.ts): names and values as
 * node-rdkafka hands them over (a NUL ends the C string), the allow/deny decision on that final name, and file keys
 * read in Node so that librdkafka gets PEM text, never a path. What librdkafka was given is read back from its own
 * config dump (`debug=conf`) of a client that only ever dials 127.0.0.1:9.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import rdkafka from 'node-rdkafka';
import type { ProviderPolicy } from '../../src/common/config/providers.js';
import { connectorSettings } from '../../src/connector/connector-config.js';
import { nativeConfig, nativeNames, nativeString } from '../../src/source/native-config.js';
import { makeTestCerts, type TestCerts } from '../support/certs.js';
import { makeStores, STORE_PASSWORD } from '../support/key-stores.js';

const base = { name: 'c', topics: 't', 'http.url': 'https://sink.test/', 'http.authorization.type': 'none' };

function problem(extra: Record<string, string>, policy?: ProviderPolicy): string | undefined {
  try {
    connectorSettings({ ...base, ...extra }, {}, policy);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The properties librdkafka itself lists in its config dump for `config` (a producer that dials 127.0.0.1:9 only). */
async function librdkafkaSees(config: Record<string, string | number | boolean>): Promise<Map<string, string>> {
  const producer = new rdkafka.Producer({ ...config, 'bootstrap.servers': '127.0.0.1:9', debug: 'conf', event_cb: true, log_level: 7 }, {});
  const lines: string[] = [];
  producer.on('event.log', (line: { message: string }) => lines.push(line.message));
  producer.on('event.error', () => {});
  await new Promise<void>((resolve) => producer.connect({ timeout: 1000 }, () => resolve()));
  const deadline = Date.now() + 5000;
  while (!lines.some((l) => l.includes('Client configuration')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 100));
  if (producer.isConnected()) producer.disconnect();
  const dump = lines.filter((l) => / = /.test(l)).map((l) => /^\[[^\]]*\]:\s+(\S+) = (.*)$/.exec(l)).filter((m) => m !== null);
  return new Map(dump.map((m) => [m[1]!, m[2]!]));
}

const API: ProviderPolicy = { providers: new Set(['env']) };

describe('what librdkafka reads', () => {
  it('is the C string node-rdkafka hands over: a NUL ends a name or a value, an alias sets its target (read back from librdkafka)', async () => {
    const seen = await librdkafkaSees({ 'client.id\u0000junk': 'abc\u0000def', 'linger.ms': 7 });
    expect(seen.get('client.id')).toBe('abc');
    expect(seen.get(nativeString('client.id\u0000junk'))).toBe(nativeString('abc\u0000def'));
    expect(seen.get('queue.buffering.max.ms')).toBe('7');
    expect(nativeNames('linger.ms')).toContain('queue.buffering.max.ms');
    expect(nativeNames('ssl.providers\u0000')).toContain('ssl.providers');
    expect(nativeNames('topic.offset.store.path')).toContain('offset.store.path');
  });

  it('every client refuses a key or value with a control character before librdkafka sees it', () => {
    expect(() => nativeConfig({ 'ssl.providers\u0000': '/tmp/x.so' })).toThrow('ssl.providers\\u0000: the name holds a control character');
    expect(() => nativeConfig({ 'client.id': 'a\u0000b' })).toThrow('client.id: the value holds a control character');
    expect(() => nativeConfig({ 'ssl.ca.pem': '-----BEGIN CERTIFICATE-----\r\nAAAA\n-----END CERTIFICATE-----\n' })).not.toThrow();
    expect(() => nativeConfig({ 'ssl.ca.pem': 'PEM\u0000' })).toThrow(/ssl\.ca\.pem: the value holds a control character/);
  });
});

describe('the gate on connector keys', () => {
  it.each([
    ['kafka.ssl.providers\u0000', 'kafka.ssl.providers\\u0000'],
    ['consumer.override.ssl.engine.location\u0000', 'consumer.override.ssl.engine.location\\u0000'],
    ['producer.override.plugin.library.paths\u0000x', 'producer.override.plugin.library.paths\\u0000x'],
    ['kafka.ssl.ca.location\u0000', 'kafka.ssl.ca.location\\u0000'],
    ['kafka.client.id\u001b[2J', 'kafka.client.id\\u001b[2J'],
  ])('refuses %j, naming the key printable, from the API and in the operator\'s own files alike', (key, shown) => {
    for (const policy of [API, undefined]) expect(problem({ [key]: '/tmp/evil.so' }, policy)).toBe(`${shown}: the name holds a control character (${key.includes('\0') ? 'a NUL would end it where librdkafka reads it' : 'librdkafka takes none'}); remove it`);
  });

  it('refuses a value with a control character, naming the key that gave it (a mapped one too)', () => {
    expect(problem({ 'kafka.sasl.password': 'pw\u0000x' })).toMatch(/^kafka\.sasl\.password: the value holds a control character/);
    expect(problem({ 'consumer.override.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u\nx" password="p";' }))
      .toMatch(/^consumer\.override\.sasl\.jaas\.config: the value holds a control character/);
  });

  it.each([
    ['kafka.ssl.providers', 'ssl.providers'],
    ['kafka.SSL.Providers', 'ssl.providers'],
    ['consumer.override.sasl.kerberos.kinit.cmd', 'sasl.kerberos.kinit.cmd'],
    ['kafka.topic.offset.store.path', 'offset.store.path'],
    ['kafka.sasl.oauthbearer.method', 'sasl.oauthbearer.method'],
    ['kafka.sasl.oauthbearer.metadata.authentication.type', 'sasl.oauthbearer.metadata.authentication.type'],
    ['kafka.test.mock.num.brokers', 'test.mock.num.brokers'],
    ['producer.override.ut_handle_ProduceResponse', 'ut_handle_ProduceResponse'],
  ])('a connector from the API may not set %s (librdkafka reads %s)', (key, native) => {
    expect(problem({ [key]: '1' }, API)).toBe(`${key}: the Kafka client property ${native} may not be set by connectors created through the worker's API (it loads code, runs commands, calls out or is librdkafka-internal); put it in a connector file the operator runs`);
  });

  it('refuses a librdkafka file key it does not read itself, and keeps ordinary properties', () => {
    expect(problem({ 'kafka.sasl.oauthbearer.assertion.jwt.template.file': '/x' }, API)).toMatch(/may not be set by connectors created through the worker's API/);
    expect(connectorSettings({ ...base, 'kafka.log_level': '6', 'kafka.linger.ms': '5' }, {}, API).source.producer).toMatchObject({ log_level: '6', 'linger.ms': '5' });
  });
});

describe('file keys', () => {
  let certs: TestCerts;
  let dir: string;
  let allowed: string;
  let policy: ProviderPolicy;
  beforeAll(() => {
    certs = makeTestCerts();
    dir = mkdtempSync(join(tmpdir(), 'native-files-'));
    allowed = join(dir, 'allowed');
    mkdirSync(allowed);
    writeFileSync(join(allowed, 'ca.pem'), certs.ca);
    writeFileSync(join(dir, 'outside.pem'), certs.ca);
    execFileSync('mkfifo', [join(allowed, 'fifo.pem')]);
    symlinkSync(join(dir, 'outside.pem'), join(allowed, 'to-outside.pem'));
    symlinkSync(join(dir, 'missing.pem'), join(allowed, 'to-missing.pem'));
    symlinkSync('/dev/ptmx', join(allowed, 'to-ptmx.pem'));
    policy = { providers: new Set(['file']), allowedPaths: [allowed] };
  });
  afterAll(() => certs.remove());

  it('librdkafka gets the PEM text of ssl.ca.location, ssl.certificate.location and ssl.key.location, never their paths (read back)', async () => {
    const settings = connectorSettings({
      ...base,
      'kafka.security.protocol': 'SSL',
      'kafka.ssl.ca.location': certs.caFile,
      'kafka.ssl.certificate.location': certs.clientCertFile,
      'kafka.ssl.key.location': certs.clientEncryptedKeyFile,
      'kafka.ssl.key.password': certs.clientKeyPassword,
    }, {});
    for (const client of [settings.source.rdkafka, settings.source.producer]) {
      expect(Object.keys(client).filter((k) => /location/.test(k))).toEqual([]);
      expect(client['ssl.ca.pem']).toBe(certs.ca.toString('utf8'));
    }
    const seen = await librdkafkaSees({ ...settings.source.producer });
    expect([...seen.keys()].filter((k) => /location/.test(k))).toEqual([]);
    expect(seen.has('ssl.ca.pem') || seen.has('ssl.key.pem')).toBe(true);
  });

  it('a PKCS12 key store reaches librdkafka as PEM text too', () => {
    const stores = makeStores(certs);
    const settings = connectorSettings({ ...base, 'kafka.ssl.keystore.location': stores.keyP12, 'kafka.ssl.keystore.password': STORE_PASSWORD }, {});
    expect(settings.source.rdkafka['ssl.keystore.location']).toBeUndefined();
    expect(String(settings.source.rdkafka['ssl.certificate.pem'])).toContain('-----BEGIN CERTIFICATE-----');
    expect(String(settings.source.rdkafka['ssl.key.pem'])).toContain('PRIVATE KEY-----');
  });

  it('a FIFO and a device are refused at once (nothing waits on them), from the API and in the operator\'s files', () => {
    for (const p of [policy, undefined]) {
      const started = Date.now();
      expect(problem({ 'kafka.ssl.ca.location': join(allowed, 'fifo.pem') }, p)).toMatch(/^kafka\.ssl\.ca\.location: cannot read .*fifo\.pem: not a regular file/);
      expect(Date.now() - started).toBeLessThan(2000);
    }
    expect(problem({ 'kafka.ssl.certificate.location': '/dev/ptmx' })).toMatch(/^kafka\.ssl\.certificate\.location: cannot read \/dev\/ptmx: not a regular file/);
    expect(problem({ 'kafka.ssl.ca.location': allowed }, policy)).toMatch(/not a regular file/);
  });

  it('follows links: one inside the allowed paths leading out is refused with the same answer whether its target exists or not', () => {
    const answer = (name: string, key = 'kafka.ssl.ca.location'): string | undefined => problem({ [key]: join(allowed, name) }, policy);
    const notInside = (name: string, key = 'kafka.ssl.ca.location') => `${key}: may not read ${join(allowed, name)}: no such file inside the allowed paths ${allowed}`;
    expect(answer('to-outside.pem')).toBe(notInside('to-outside.pem'));
    expect(answer('to-missing.pem')).toBe(notInside('to-missing.pem'));
    expect(answer('absent.pem')).toBe(notInside('absent.pem'));
    expect(answer('to-ptmx.pem')).toBe(notInside('to-ptmx.pem'));
    expect(answer('to-outside.pem', 'http.ssl.ca.location')).toBe(notInside('to-outside.pem', 'http.ssl.ca.location'));
    expect(answer('to-outside.pem', 'consumer.override.ssl.truststore.location')).toBe(notInside('to-outside.pem', 'consumer.override.ssl.truststore.location'));
    expect(connectorSettings({ ...base, 'kafka.ssl.ca.location': join(allowed, 'ca.pem') }, {}, policy).source.rdkafka['ssl.ca.pem']).toBe(certs.ca.toString('utf8'));
  });
});

describe('error texts', () => {
  it('name the key and the reference, never the value it resolved to', () => {
    const env = { SINK_CA: '/secret-dir-4711/ca.pem', SINK_ASSIGNOR: 'secret-assignor-4711' };
    const policy: ProviderPolicy = { providers: new Set(['env', 'file']) };
    const message = (extra: Record<string, string>): string => {
      try {
        connectorSettings({ ...base, ...extra }, env, policy);
        return '';
      } catch (error) {
        return (error as Error).message + String((error as Error).stack);
      }
    };
    const ca = message({ 'http.ssl.ca.location': '${env:SINK_CA}' });
    expect(ca).toMatch(/^http\.ssl\.ca\.location: cannot read \$\{env:SINK_CA\} \(ENOENT\)/);
    expect(ca).not.toContain('secret-dir');
    const assignor = message({ 'consumer.override.partition.assignment.strategy': 'range,${env:SINK_ASSIGNOR}' });
    expect(assignor).toContain('${env:SINK_ASSIGNOR}');
    expect(assignor).not.toContain('secret-assignor');
  });
});

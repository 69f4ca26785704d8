import { describe, expect, it } from '@jest/globals';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { parseConnectorConfig } from '../../src/connector/connector-config.js';
import { ConfigError } from '../../src/common/errors.js';

const base = { name: 'n', topics: 't', 'http.url': 'https://example.com/in', 'http.authorization.type': 'none' };
const parse = (extra: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => parseConnectorConfig({ ...base, ...extra }, env);
const errorOf = (extra: Record<string, unknown>): ConfigError => {
  try {
    parse(extra);
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
};

describe('authorization, TLS and proxy keys', () => {
  it.each([
    [{ 'http.authorization.type': 'static' }, 'http.headers.authorization: is required when http.authorization.type is static'],
    [{ 'http.authorization.type': 'basic', 'http.basic.auth.password': 'p' }, 'http.basic.auth.username: is required when http.authorization.type is basic'],
    [{ 'http.authorization.type': 'basic', 'http.basic.auth.username': 'u' }, 'http.basic.auth.password: is required when http.authorization.type is basic'],
    [{ 'http.authorization.type': 'oauth2', 'oauth2.client.id': 'i', 'oauth2.client.secret': 's' }, 'oauth2.access.token.url: is required when http.authorization.type is oauth2'],
    [
      { 'http.authorization.type': 'OAuth2', 'oauth2.access.token.url': 'https://a/t', 'oauth2.client.id': 'i', 'oauth2.client.secret': 's', 'oauth2.token.renew.on.status.codes': '401,abc' },
      'oauth2.token.renew.on.status.codes: must be comma-separated HTTP statuses (100-599), not "abc"',
    ],
    [{ 'http.authorization.type': 'basic', 'http.headers.authorization': 'x', 'http.basic.auth.username': 'u', 'http.basic.auth.password': 'p' }, 'http.headers.authorization: must not be set when http.authorization.type is basic'],
    [{ 'http.proxy.host': 'proxy' }, 'http.proxy.port: http.proxy.host and http.proxy.port must be set together'],
    [{ 'http.proxy.port': 3128 }, 'http.proxy.host: http.proxy.host and http.proxy.port must be set together'],
    [{ 'http.proxy.host': 'proxy', 'http.proxy.port': 3128, 'http.proxy.password': 'p' }, 'http.proxy.user: is required when http.proxy.password is set'],
    [{ 'http.ssl.certificate.location': '/nonexistent/client.pem' }, 'http.ssl.certificate.location: cannot read /nonexistent/client.pem (ENOENT)'],
  ])('%j -> %s', (extra, message) => {
    const error = errorOf(extra);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(message);
  });

  it('reads Aiven\'s trust store keys: a store that is not there names the location key (stores: key-stores.test.ts)', () => {
    const error = errorOf({ 'http.ssl.truststore.location': '/etc/no-such-truststore.jks', 'http.ssl.truststore.password': 'changeit' });
    expect(error.key).toBe('http.ssl.truststore.location');
    expect(error.message).toBe('http.ssl.truststore.location: cannot read /etc/no-such-truststore.jks (ENOENT)');
    expect(errorOf({ 'http.ssl.truststore.password': 'changeit' }).message).toBe('http.ssl.truststore.location: is required when http.ssl.truststore.password is set');
  });

  it('needs both halves of a client certificate, and PEM files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sec-config-'));
    const pem = join(dir, 'c.pem');
    const der = join(dir, 'c.der');
    writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    writeFileSync(der, Buffer.from([0x30, 0x82, 0x01]));
    expect(errorOf({ 'http.ssl.certificate.location': pem }).message).toBe('http.ssl.key.location: mutual TLS needs both http.ssl.certificate.location and http.ssl.key.location');
    expect(errorOf({ 'http.ssl.ca.location': der }).message).toBe(`http.ssl.ca.location: ${der} is not a PEM file (no -----BEGIN line)`);
  });

  it('accepts Aiven\'s "no proxy" port, warns about trust-all, and keeps secrets out of the config dump', () => {
    const config = parse(
      {
        'http.proxy.port': -1,
        'http.ssl.trust.all.certs': 'TRUE',
        'http.authorization.type': 'basic',
        'http.basic.auth.username': 'u',
        'http.basic.auth.password': '${env:PW}',
        'kafka.sasl.password': 'kafka-pw-1',
        'kafka.ssl.key.pem': 'PEM-KEY-TEXT',
      },
      { PW: 'http-pw-1' },
    );
    expect(config.warnings).toEqual(["http.ssl.trust.all.certs is true: the endpoint's certificate and host name are NOT verified"]);
    expect(config.http.transport.proxy).toBeUndefined();
    const dump = `${JSON.stringify(config)} ${inspect(config, { depth: 10 })}`;
    for (const secret of ['http-pw-1', 'kafka-pw-1', 'PEM-KEY-TEXT']) expect(dump.includes(secret)).toBe(false);
    expect(config.source.rdkafka['sasl.password']).toBe('kafka-pw-1');
    expect({ ...config.source.rdkafka }).toMatchObject({ 'sasl.password': 'kafka-pw-1', 'ssl.key.pem': 'PEM-KEY-TEXT' });
  });
});

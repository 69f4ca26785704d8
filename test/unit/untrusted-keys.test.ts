/**
 * Connectors created through the worker's API (or read from its config topic) may not make the process load code,
 * run commands or read local files the worker owner did not allow; the operator's own files may.
 */
import { describe, expect, it } from '@jest/globals';
import { NO_PROVIDERS, type ProviderPolicy } from '../../src/common/config/providers.js';
import { connectorSettings } from '../../src/connector/connector-config.js';

const base = { name: 'c', topics: 't', 'http.url': 'https://sink.test/', 'http.authorization.type': 'none' };
const problem = (extra: Record<string, string>, policy: ProviderPolicy = NO_PROVIDERS): string | undefined => {
  try {
    connectorSettings({ ...base, ...extra }, {}, policy);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('keys a connector from the API may not set', () => {
  it.each([
    ['kafka.plugin.library.paths', '/tmp/evil.so'],
    ['consumer.override.ssl.engine.location', '/tmp/engine.so'],
    ['producer.override.sasl.kerberos.kinit.cmd', 'touch /tmp/pwned'],
    ['kafka.sasl.oauthbearer.token.endpoint.url', 'http://169.254.169.254/'],
    ['kafka.debug', 'all'],
  ])('%s is refused, naming the key, before anything is read or loaded', (key, value) => {
    expect(problem({ [key]: value })).toMatch(new RegExp(`^${key.replaceAll('.', '\\.')}: the Kafka client property .* may not be set by connectors created through the worker's API`));
  });

  it.each([['http.ssl.ca.location'], ['http.ssl.truststore.location'], ['kafka.ssl.ca.location'], ['consumer.override.ssl.keystore.location']])(
    '%s naming a local file needs the file provider',
    (key) => {
      expect(problem({ [key]: '/etc/passwd' })).toMatch(new RegExp(`^${key.replaceAll('.', '\\.')}: names a local file`));
    },
  );

  it('a path under the allowed paths passes the rule (and is then read as usual); one outside is refused', () => {
    const policy: ProviderPolicy = { providers: new Set(['file']), allowedPaths: ['/srv/certs'] };
    expect(problem({ 'http.ssl.ca.location': '/etc/passwd' }, policy)).toMatch(/^http\.ssl\.ca\.location: may not read \/etc\/passwd: it is outside the allowed paths \/srv\/certs/);
    expect(problem({ 'http.ssl.ca.location': '/srv/certs/../../etc/passwd' }, policy)).toMatch(/may contain|may not contain/);
    expect(problem({ 'http.ssl.ca.location': '/srv/certs/absent.pem' }, policy)).toMatch(/^http\.ssl\.ca\.location: may not read \/srv\/certs\/absent\.pem: no such file inside the allowed paths/);
  });

  it('the operator\'s own files (no policy) keep every key', () => {
    expect(connectorSettings({ ...base, 'kafka.debug': 'all' }, {}).source.rdkafka).toMatchObject({ debug: 'all' });
  });
});

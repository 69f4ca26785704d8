/** `validate` and the REST validate endpoint answer a Confluent file with Confluent's key list and Confluent's key names. */
import { describe, expect, it } from '@jest/globals';
import { configProblems } from '../../src/connector/config-problems.js';
import { NO_PROVIDERS, TRUSTED_PROVIDERS } from '../../src/common/config/providers.js';
import { restoreRedacted } from '../../src/common/config/secret.js';
import { connectorSettings, isSensitiveKey } from '../../src/connector/connector-config.js';
import { ConfigError } from '../../src/common/errors.js';
import { validateResponse } from '../../src/worker/validate-response.js';

const CLASS = 'io.confluent.connect.http.HttpSinkConnector';
const env = { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092' };

describe('a Confluent file created through the worker\'s API', () => {
  const config = { name: 'n', 'connector.class': CLASS, topics: 't', 'http.api.url': 'http://127.0.0.1/x', 'auth.type': 'BASIC', 'connection.user': 'u', 'connection.password': 'pw' };

  it('never sends a stored secret to a new http.api.url, token URL or reporter cluster', () => {
    for (const [key, value] of [['http.api.url', 'http://attacker.test/'], ['oauth2.token.url', 'http://attacker.test/token']] as const) {
      const put = { ...config, 'connection.password': '[redacted]', [key]: value };
      expect(() => restoreRedacted(put, config, isSensitiveKey)).toThrow(ConfigError);
    }
    expect(restoreRedacted({ ...config, 'connection.password': '[redacted]' }, config, isSensitiveKey)['connection.password']).toBe('pw');
    // The reporter's Kafka password follows the reporter's brokers, not the HTTP endpoint.
    const reporting = { ...config, 'reporter.bootstrap.servers': '127.0.0.1:9092', 'reporter.producer.sasl.password': 'kpw' };
    const moved = { ...reporting, 'reporter.producer.sasl.password': '[redacted]', 'reporter.bootstrap.servers': 'attacker.test:9092' };
    expect(() => restoreRedacted(moved, reporting, isSensitiveKey)).toThrow(ConfigError);
    expect(restoreRedacted({ ...reporting, 'reporter.producer.sasl.password': '[redacted]' }, reporting, isSensitiveKey)['reporter.producer.sasl.password']).toBe('kpw');
  });

  it('may not set reporter client properties that run commands, nor read local files', () => {
    expect(() => connectorSettings({ ...config, 'reporter.producer.sasl.kerberos.kinit.cmd': 'touch /tmp/x' }, env, NO_PROVIDERS)).toThrow(/may not be set by connectors created through the worker's API/);
    expect(() => connectorSettings({ ...config, 'ssl.enabled': 'true', 'https.ssl.truststore.location': '/etc/passwd' }, env, NO_PROVIDERS)).toThrow(/names a local file/);
  });
});

describe('validating a Confluent file', () => {
  it('lists every problem under its Confluent key', () => {
    const problems = configProblems({ name: 'n', 'connector.class': CLASS, topics: 't', 'request.method': 'GET', 'auth.type': 'DIGEST', 'max.retries': -1 }, env);
    expect(problems.map((p) => p.key).sort()).toEqual(['auth.type', 'http.api.url', 'max.retries', 'request.method']);
  });

  it('answers with Confluent\'s class, its key groups and defaults, secrets redacted', () => {
    const body = validateResponse(
      { name: 'n', 'connector.class': CLASS, topics: 't', 'http.api.url': 'http://127.0.0.1/x', 'auth.type': 'BASIC', 'connection.user': 'u', 'connection.password': 'pw-123', 'batch.max.size': 'ten' },
      env,
      TRUSTED_PROVIDERS,
    ) as { name: string; error_count: number; groups: string[]; configs: { definition: { name: string; group: string; default_value: string | null; type: string }; value: { value: string | null; errors: string[] } }[] };
    expect(body.name).toBe(CLASS);
    expect(body.groups).toEqual(expect.arrayContaining(['Connection', 'Batching', 'Retries', 'Authorization', 'Reporting topics', 'Licence']));
    const config = (key: string) => body.configs.find((c) => c.definition.name === key)!;
    expect(config('batch.max.size').value.errors).toHaveLength(1);
    expect(body.error_count).toBe(1);
    expect(config('max.retries').definition).toMatchObject({ group: 'Retries', default_value: '10' });
    expect(config('connection.password')).toMatchObject({ definition: { type: 'PASSWORD' }, value: { value: '[redacted]' } });
    expect(body.configs.some((c) => c.definition.name === 'http.url')).toBe(false);
  });
});

describe('kafka-http-sink validate on a .properties file', () => {
  it('lists each problem under its Confluent key', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { validateCommand } = await import('../../src/cli/validate-command.js');
    const file = join(mkdtempSync(join(tmpdir(), 'cf-validate-')), 'http-sink.properties');
    writeFileSync(file, `name=HttpSink\nconnector.class=${CLASS}\ntopics=t\nhttp.api.url=http://127.0.0.1/x\nrequest.method=GET\nbatch.max.size=0\n`);
    const lines: string[] = [];
    expect(await validateCommand(file, env, (line) => lines.push(line))).toBe(2);
    expect(lines.slice(0, -1).map((line) => line.slice(file.length + 2).split(':')[0]).sort()).toEqual(['batch.max.size', 'request.method']);
  });
});

import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { parseConnectorConfig } from '../../src/connector/connector-config.js';
import { ConfigError } from '../../src/common/errors.js';
import { readConnectorFile } from '../../src/connector/loadPipeline.js';
import { sinkRecord } from './fakes.js';

const seedFile = fileURLToPath(new URL('../../pipelines/iot_measurements_sink.json', import.meta.url));
const env = { SERVER_URL: 'http://127.0.0.1:8080/ingest' };
const minimal = { name: 'iot_sink', topics: 'iot_measurements', 'http.url': 'http://sink.test/ingest', 'http.authorization.type': 'none' };

describe('parseConnectorConfig', () => {
  it('parses the seed connector file, taking http.url from SERVER_URL', async () => {
    const config = parseConnectorConfig(readConnectorFile(seedFile), env);

    expect(config.name).toBe('iot_measurements_sink');
    expect(config.source).toMatchObject({ groupId: 'connect-iot_measurements_sink', topics: ['iot_measurements'] });
    expect(config.request).toMatchObject({ url: env.SERVER_URL, batching: false });
    expect(config.batch.enabled).toBe(false);
    expect(await config.post.authorizer.headers()).toEqual({});
    const ref = { topic: 'iot_measurements', partition: 0, offset: 0 };
    expect(config.decode.value(Buffer.from('{"iot_id":1}'), ref)).toBe('{"iot_id":1}');
    expect(config.decode.key(Buffer.from('1'), ref)).toBe('1');
  });

  it('refuses the seed file when SERVER_URL is not set', () => {
    expect(() => parseConnectorConfig(readConnectorFile(seedFile), {})).toThrow(/^http\.url: \$\{env:SERVER_URL\} is not set/);
  });

  it.each([
    [{}, 'fail', 'fail'],
    [{ 'errors.tolerance': 'all' }, 'drop', 'drop'],
    [{ 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq' }, 'dlq', 'dlq'],
    [{ 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq', 'behavior.on.status.error': 'fail' }, 'dlq', 'fail'],
    [{ 'behavior.on.status.error': 'drop' }, 'fail', 'drop'],
  ])('derives what happens to failed records from %j: errors %s, other statuses %s', (keys, onError, otherwise) => {
    const config = parseConnectorConfig({ ...minimal, ...keys }, {});

    expect(config.post.policy).toMatchObject({ onError, otherwise });
    expect(config.decode.onError).toBe(onError);
  });

  it('reads the status codes, the Aiven-compatible <400 included', () => {
    const { policy } = parseConnectorConfig({ ...minimal, 'http.success.status.codes': '<400', 'retry.on.status.codes': '400-599' }, {}).post;

    expect([200, 302, 404, 503].map((s) => [policy.success(s), policy.retry(s)])).toEqual([
      [true, false],
      [true, false],
      [false, true],
      [false, true],
    ]);
  });

  it('keeps a record template in http.url as text (no colon, so no config provider)', () => {
    expect(parseConnectorConfig({ ...minimal, 'http.url': 'http://sink.test/${topic}/${value.id}' }, {}).request.url).toBe('http://sink.test/${topic}/${value.id}');
  });

  it("uses Aiven's defaults for what the file leaves out", () => {
    const config = parseConnectorConfig(minimal, {});

    expect(config.post.retry.maxRetries).toBe(1);
    expect(retryDelay(config, 1)).toBe(3000);
    expect(config.batch).toMatchObject({ enabled: false, maxSize: 500 });
    expect(config.request).toMatchObject({ prefix: '', separator: '\n', suffix: '\n', headers: {} });
    expect(config.ordering).toBe('partition');
  });

  it('reads numbers and booleans written as strings, as Kafka Connect files often have them', () => {
    const config = parseConnectorConfig(
      {
        ...minimal,
        'batching.enabled': 'true',
        'batch.max.size': '500',
        'batch.linger.ms': ' 250 ',
        'max.retries': '3',
        'retry.backoff.ms': '10',
        'http.timeout': '5',
        'http.concurrency': '2',
        'key.converter.schemas.enable': 'FALSE',
      },
      {},
    );

    expect(config.batch).toMatchObject({ enabled: true, maxSize: 500, lingerMs: 250 });
    expect(config.request.batching).toBe(true);
    expect(config.post.retry.maxRetries).toBe(3);
    expect(retryDelay(config, 1)).toBe(10);
    expect(config.post.concurrency).toBe(2);
    expect(config.http.timeoutMs).toBe(5000);
  });

  it('takes real numbers and booleans too, and enum values in any case', () => {
    const config = parseConnectorConfig({ ...minimal, 'batching.enabled': true, 'batch.max.size': 20, ordering: 'KEY', 'http.authorization.type': 'None' }, {});

    expect(config.batch).toMatchObject({ enabled: true, maxSize: 20 });
    expect(config.ordering).toBe('key');
  });

  it('chooses the converters the file names', () => {
    const config = parseConnectorConfig(
      { ...minimal, 'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': 'false' },
      {},
    );

    expect(config.decode.value(Buffer.from('{"metric":"Humidity"}'), { topic: 't', partition: 0, offset: 0 })).toEqual({ metric: 'Humidity' });
  });

  it('splits topics on commas, and anchors a topics.regex', () => {
    expect(parseConnectorConfig({ ...minimal, topics: 'a, b ,c' }, {}).source.topics).toEqual(['a', 'b', 'c']);
    const withoutTopics: Record<string, unknown> = { ...minimal };
    delete withoutTopics.topics;
    expect(parseConnectorConfig({ ...withoutTopics, 'topics.regex': 'iot_.*' }, {}).source.topics).toEqual(['^iot_.*']);
  });

  it('passes kafka.* keys to the consumer without the prefix', () => {
    const config = parseConnectorConfig({ ...minimal, 'kafka.security.protocol': 'SASL_SSL', 'kafka.fetch.wait.max.ms': 50 }, {});

    expect(config.source.rdkafka).toMatchObject({ 'security.protocol': 'SASL_SSL', 'fetch.wait.max.ms': '50' });
  });

  it('keys requests by partition with ordering=partition', () => {
    const { post } = parseConnectorConfig(minimal, {});
    const requestFor = (partition: number, offset: number) => ({
      method: 'POST' as const,
      url: 'http://sink.test/ingest',
      headers: {},
      body: '',
      records: [sinkRecord({ partition, offset })],
    });

    expect(post.keyOf(requestFor(0, 1))).toBe(post.keyOf(requestFor(0, 2)));
    expect(post.keyOf(requestFor(0, 1))).not.toBe(post.keyOf(requestFor(1, 1)));
  });

  it('sends the static authorization header, but never shows it in the redacted config', async () => {
    const token = 'Bearer 7c1e-very-secret';
    const config = parseConnectorConfig(
      { ...minimal, 'http.authorization.type': 'static', 'http.headers.authorization': token, 'kafka.sasl.password': 'kafka-pw' },
      {},
    );

    expect(await config.post.authorizer.headers()).toEqual({ Authorization: token });
    expect(config.redacted['http.headers.authorization']).toBe('[redacted]');
    expect(config.redacted['http.url']).toBe('http://sink.test/ingest');
    expect(config.redacted['http.authorization.type']).toBe('static');
    expect(config.redacted['kafka.sasl.password']).toBe('[redacted]');
    for (const shown of [JSON.stringify(config.redacted), inspect(config.redacted)]) {
      expect(shown).not.toContain('very-secret');
      expect(shown).not.toContain('kafka-pw');
    }
    expect(inspect(config, { depth: null })).not.toContain('very-secret');
  });

  it('shows references, not the secrets they resolve to, in the redacted config', async () => {
    const config = parseConnectorConfig({ ...minimal, 'http.authorization.type': 'static', 'http.headers.authorization': '${env:TOKEN}' }, { TOKEN: 'Bearer from-env' });

    expect(await config.post.authorizer.headers()).toEqual({ Authorization: 'Bearer from-env' });
    expect(JSON.stringify(config.redacted)).not.toContain('from-env');
  });

  it('rejects anything but a JSON object', () => {
    for (const raw of ['name=x', null, [minimal], 42]) {
      expect(() => parseConnectorConfig(raw, {})).toThrow(ConfigError);
      expect(() => parseConnectorConfig(raw, {})).toThrow(/must be a JSON object/);
    }
  });
});

/** The wait before retry `n` for a plain failure (no Retry-After). */
function retryDelay(config: ReturnType<typeof parseConnectorConfig>, n: number): number {
  const { delayMs } = config.post.retry;
  return typeof delayMs === 'number' ? delayMs : delayMs(n, new Error('failed'));
}

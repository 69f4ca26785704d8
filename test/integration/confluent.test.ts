/**
 * Confluent HTTP Sink connector files, written as Confluent's documentation and quick starts write them (JSON and
 * .properties), run unchanged against a real broker, real local endpoints and a real token endpoint.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { readConnectorFile } from '../../src/connector/loadPipeline.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { endOffsets, produce, readTopic } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { startTokenServer, type TokenServer } from '../support/token-server.js';
import { bootstrap, captureLog, committedIs, eventually, freshTopic, runConnector } from '../support/harness.js';
import { CONFLUENT_CLASS as CLASS, confluentConfig } from '../support/confluent.js';

/** A named connector as Confluent's quick start writes it. */
function confluentConnector(name: string, topic: string, url: string, extra: Record<string, string> = {}): Record<string, string> {
  return { name, ...confluentConfig(topic, url, extra) };
}

describe('Confluent connector files', () => {
  let receiver: Receiver | undefined;
  let tokens: TokenServer | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    await receiver?.close();
    await tokens?.close();
    running = receiver = tokens = undefined;
  });

  it('batches JSON values as an array with the headers of `headers`, and says once that the licence keys are not used', async () => {
    const topic = await freshTopic('cf_json', 1);
    await produce(bootstrap(), topic, [1, 2, 3, 4, 5].map((n) => ({ key: `k${n}`, value: JSON.stringify({ n }) })));
    receiver = await startReceiver();
    const name = `cf_json_${topic}`;
    const captured = captureLog();
    running = await runConnector(
      confluentConnector(name, topic, `${receiver.url}/api/\${topic}`, {
        'request.body.format': 'json',
        'batch.json.as.array': 'true',
        'batch.max.size': '10',
        headers: 'Content-Type:application/json|X-Source:kafka',
      }),
      { log: captured.log },
    );
    await eventually(() => committedIs(name, topic, 5), 30_000, 'five records committed');
    const values = receiver.accepted.flatMap((r) => JSON.parse(r.body.toString()) as unknown[]);
    expect(values).toEqual([1, 2, 3, 4, 5].map((n) => ({ n })));
    expect(receiver.accepted.every((r) => r.path === `/api/${topic}` && r.headers['content-type'] === 'application/json' && r.headers['x-source'] === 'kafka')).toBe(true);
    expect(captured.lines.filter((l) => l.includes('confluent.license'))).toHaveLength(1);
  });

  it('never batches records whose batch.key.pattern differs, and rewrites each record with regex.patterns', async () => {
    const topic = await freshTopic('cf_key', 1);
    await produce(bootstrap(), topic, ['a', 'b', 'a', 'b', 'a'].map((key, i) => ({ key, value: `card=4111-${i} user=${key}` })));
    receiver = await startReceiver();
    const name = `cf_key_${topic}`;
    running = await runConnector(
      confluentConnector(name, topic, receiver.url, {
        'batch.max.size': '10',
        'batch.key.pattern': '${key}',
        'batch.separator': '\n',
        'regex.patterns': 'card=\\d{4}-(\\d)~user=',
        'regex.replacements': 'card=****-$1~u=',
      }),
    );
    await eventually(() => committedIs(name, topic, 5), 30_000, 'five records committed');
    const bodies = receiver.accepted.map((r) => r.body.toString().split('\n'));
    for (const lines of bodies) expect(new Set(lines.map((line) => line.slice(-1))).size).toBe(1); // one key per request
    expect(bodies.flat().sort()).toEqual(['card=****-0 u=a', 'card=****-1 u=b', 'card=****-2 u=a', 'card=****-3 u=b', 'card=****-4 u=a']);
    expect(bodies.length).toBeGreaterThanOrEqual(2);
  });

  it('OAUTH2 in url mode (id and secret as form fields) and in header mode (Basic), scope `any` by default', async () => {
    for (const mode of ['url', 'header'] as const) {
      const topic = await freshTopic(`cf_oauth_${mode}`, 1);
      await produce(bootstrap(), topic, [{ key: 'k', value: 'v1' }, { key: 'k', value: 'v2' }]);
      tokens = await startTokenServer();
      receiver = await startReceiver({ respond: (r) => (r.headers.authorization === 'Bearer token-1' ? { status: 200 } : { status: 401 }) });
      const name = `cf_oauth_${mode}_${topic}`;
      running = await runConnector(
        confluentConnector(name, topic, receiver.url, {
          'auth.type': 'OAUTH2',
          'oauth2.token.url': tokens.url,
          'oauth2.client.id': 'kc-client',
          'oauth2.client.secret': 'kc-secret',
          'oauth2.client.auth.mode': mode,
        }),
      );
      await eventually(() => committedIs(name, topic, 2), 30_000, `${mode}: both records committed`);
      const [request] = tokens.requests;
      expect(request!.form.get('scope')).toBe('any');
      expect(request!.form.get('grant_type')).toBe('client_credentials');
      if (mode === 'url') {
        expect([request!.form.get('client_id'), request!.form.get('client_secret'), request!.headers.authorization]).toEqual(['kc-client', 'kc-secret', undefined]);
      } else {
        expect(request!.headers.authorization).toBe(`Basic ${Buffer.from('kc-client:kc-secret').toString('base64')}`);
        expect(request!.form.get('client_secret')).toBeNull();
      }
      await running.stop();
      await receiver.close();
      await tokens.close();
      running = receiver = tokens = undefined;
    }
  });

  it('BASIC from a .properties file as Confluent\'s quick start writes it', async () => {
    const topic = await freshTopic('cf_basic', 1);
    await produce(bootstrap(), topic, [{ key: 'k', value: 'hello' }]);
    receiver = await startReceiver();
    const name = `cf_basic_${topic}`;
    const dir = mkdtempSync(join(tmpdir(), 'cf-'));
    const file = join(dir, 'http-sink.properties');
    writeFileSync(file, [
      `name=${name}`,
      `connector.class=${CLASS}`,
      'tasks.max=1',
      `topics=${topic}`,
      `http.api.url=${receiver.url}/api/messages`,
      'key.converter=org.apache.kafka.connect.storage.StringConverter',
      'value.converter=org.apache.kafka.connect.storage.StringConverter',
      `confluent.topic.bootstrap.servers=${bootstrap()}`,
      'confluent.topic.replication.factor=1',
      'reporter.result.topic.name=',
      'reporter.error.topic.name=',
      'auth.type=BASIC',
      'connection.user=admin',
      'connection.password=password',
      '',
    ].join('\n'));
    running = await runConnector(readConnectorFile(file));
    await eventually(() => committedIs(name, topic, 1), 30_000, 'the record committed');
    expect(receiver.accepted.map((r) => [r.path, r.headers.authorization, r.body.toString()])).toEqual([['/api/messages', `Basic ${Buffer.from('admin:password').toString('base64')}`, 'hello']]);
  });

  it('sends DELETE for tombstones with behavior.on.null.values=delete, to the URL of the record\'s key', async () => {
    const topic = await freshTopic('cf_delete', 1);
    await produce(bootstrap(), topic, [{ key: 'user-1', value: 'created' }, { key: 'user-1', value: null }]);
    receiver = await startReceiver();
    const name = `cf_delete_${topic}`;
    running = await runConnector(confluentConnector(name, topic, `${receiver.url}/users/\${key}`, { 'behavior.on.null.values': 'delete', 'request.method': 'put' }));
    await eventually(() => committedIs(name, topic, 2), 30_000, 'both records committed');
    expect(receiver.accepted.map((r) => [r.method, r.path, r.body.toString()])).toEqual([['PUT', '/users/user-1', 'created'], ['DELETE', '/users/user-1', '']]);
  });

  it('retries only the listed statuses, and reports results and errors in Confluent\'s format to the reporter topics', async () => {
    const topic = await freshTopic('cf_report', 1);
    const success = `cf_success_${topic}`; // created by the connector, with 2 partitions
    const errors = await freshTopic('cf_error', 1);
    await produce(bootstrap(), topic, [{ key: 'a', value: 'flaky' }, { key: 'b', value: 'bad' }, { key: 'c', value: 'good' }]);
    let flaky = 0;
    receiver = await startReceiver({
      respond: (r) => {
        const body = r.body.toString();
        if (body === 'flaky') return ++flaky <= 2 ? { status: 503, body: 'busy' } : { status: 201, body: 'made' };
        if (body === 'bad') return { status: 422, body: 'no such field' };
        return { status: 200, body: 'fine' };
      },
    });
    const name = `cf_report_${topic}`;
    running = await runConnector(
      confluentConnector(name, topic, receiver.url, {
        'retry.on.status.codes': '503',
        'max.retries': '3',
        'retry.backoff.ms': '10',
        'behavior.on.error': 'log',
        'reporter.bootstrap.servers': bootstrap(),
        'reporter.result.topic.name': success,
        'reporter.result.topic.partitions': '2',
        'reporter.result.topic.replication.factor': '1',
        'reporter.result.topic.value.format': 'string',
        'reporter.error.topic.name': errors,
      }),
    );
    await eventually(() => committedIs(name, topic, 3), 30_000, 'all three committed');
    expect(receiver.requests.map((r) => r.body.toString())).toEqual(['flaky', 'flaky', 'flaky', 'bad', 'good']);
    expect((await endOffsets(bootstrap(), success, 2)).reduce((a, b) => a + b, 0)).toBe(2);
    const results = (await readTopic(bootstrap(), success, 2)).sort((x, y) => Number(x.headers.input_record_offset) - Number(y.headers.input_record_offset));
    expect(results.map((r) => [r.key?.toString(), r.value?.toString(), r.headers.input_record_offset, r.headers.input_record_topic])).toEqual([
      ['"a"', 'made', '0', topic],
      ['"c"', 'fine', '2', topic],
    ]);
    const [failed] = await readTopic(bootstrap(), errors, 1);
    expect(failed!.headers).toMatchObject({ input_record_offset: '1', input_record_partition: '0', status_code: '422', reason_phrase: 'Unprocessable Entity', response_content: 'no such field', payload: 'bad' });
    expect(JSON.parse(failed!.value!.toString())).toContain('422');
  });
});

/** The seed's iot_measurements example, end to end on the real broker. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { readConnectorFile } from '../../src/connector/loadPipeline.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { baseConnector, bootstrap, captureLog, committed, freshTopic, runConnector } from '../support/harness.js';

const SEED = [
  { key: '1', value: '{"iot_id":1, "metric":"Temperature", "measurement":14}' },
  { key: '2', value: '{"iot_id":2, "metric":"Humidity", "measurement":60}' },
  { key: '1', value: '{"iot_id":1, "metric":"Temperature", "measurement":16}' },
];

describe('the seed example', () => {
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    await receiver?.close();
  });

  it('POSTs the three values verbatim, in order, and commits offset 3', async () => {
    const topic = await freshTopic('iot_measurements', 1);
    await produce(bootstrap(), topic, SEED);
    receiver = await startReceiver();
    const name = `seed_${topic}`;
    const connector = { ...readConnectorFile('pipelines/iot_measurements_sink.json'), name, topics: topic, 'http.url': `${receiver.url}/ingest` };
    running = await runConnector(connector);

    await receiver.waitForAccepted(3, 30_000);
    await running.stop();
    await running.done;

    expect(receiver.requests.map((r) => r.body.toString())).toEqual(SEED.map((r) => r.value));
    expect(receiver.requests.every((r) => r.method === 'POST' && r.path === '/ingest')).toBe(true);
    expect(receiver.requests[0]!.headers['content-type']).toBeUndefined();
    expect(await committed(name, topic, 1)).toEqual([3]);
  });

  it('sends the configured static authorization, content type and additional headers', async () => {
    const topic = await freshTopic('iot_headers', 1);
    await produce(bootstrap(), topic, SEED.slice(0, 1));
    receiver = await startReceiver();
    const { log, lines } = captureLog('debug');
    running = await runConnector({
      ...baseConnector(`headers_${topic}`, topic, receiver.url),
      'http.authorization.type': 'static',
      'http.headers.authorization': 'Bearer s3cr3t-token',
      'http.headers.content.type': 'application/json',
      'http.headers.additional': 'X-Env:test,X-Path:a:b',
    }, { log });
    await receiver.waitForAccepted(1, 30_000);
    const headers = receiver.requests[0]!.headers;
    expect(headers.authorization).toBe('Bearer s3cr3t-token');
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-env']).toBe('test');
    expect(headers['x-path']).toBe('a:b');
    await running.stop();
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.join('\n')).not.toContain('s3cr3t-token');
    expect(JSON.stringify(running.config.redacted)).not.toContain('s3cr3t-token');
  });
});

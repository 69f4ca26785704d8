/** Request shaping against a real endpoint: templated URL and headers, methods, tombstones, idempotency key, gzip, formats, rate. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { gunzipSync } from 'node:zlib';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { baseConnector, bootstrap, committedIs, eventually, freshTopic, runConnector } from '../support/harness.js';

describe('request shaping', () => {
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    await receiver?.close();
  });

  it('PUTs to a URL templated from the record, with a key holding / and ? encoded, templated and forwarded headers', async () => {
    const topic = await freshTopic('template', 1);
    await produce(bootstrap(), topic, [{ key: 'dir/file?x=1&y', value: 'v0', headers: [{ 'X-Trace-Id': 'abc' }, { internal: 'no' }] }]);
    receiver = await startReceiver();
    running = await runConnector({
      ...baseConnector(`template_${topic}`, topic, `${receiver.url}/items/\${key}?topic=\${topic}&at=\${partition}-\${offset}`),
      'http.method': 'PUT',
      'http.headers.additional': '{"X-Source": "${topic}/${partition}", "X-Tags": "a,b:c"}',
      'http.headers.forward.prefix': 'x-trace',
    });

    await receiver.waitForAccepted(1, 30_000);
    const [request] = receiver.accepted;
    expect(request!.method).toBe('PUT');
    expect(request!.path).toBe(`/items/dir%2Ffile%3Fx%3D1%26y?topic=${topic}&at=0-0`);
    expect(request!.headers).toMatchObject({ 'x-source': `${topic}/0`, 'x-tags': 'a,b:c', 'x-trace-id': 'abc' });
    expect(request!.headers.internal).toBeUndefined();
  });

  it('groups a batch by rendered URL and sends each group as a gzipped JSON array', async () => {
    const topic = await freshTopic('grouped', 1);
    const values = ['a', 'b', 'a', 'b', 'a'].map((device, n) => ({ value: JSON.stringify({ device, n }) }));
    await produce(bootstrap(), topic, values);
    receiver = await startReceiver();
    const name = `grouped_${topic}`;
    running = await runConnector({
      ...baseConnector(name, topic, `${receiver.url}/devices/\${value.device}`),
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': false,
      'batching.enabled': true,
      'batch.linger.ms': 200,
      'batch.format': 'json_array',
      'http.compression': 'gzip',
    });

    await eventually(() => committedIs(name, topic, 5), 30_000, 'all five committed');
    const byDevice = new Map<string, number[]>();
    for (const r of receiver.accepted) {
      expect(r.headers).toMatchObject({ 'content-encoding': 'gzip', 'content-type': 'application/json' });
      const ns = (JSON.parse(gunzipSync(r.body).toString()) as { n: number }[]).map((v) => v.n);
      byDevice.set(r.path, [...(byDevice.get(r.path) ?? []), ...ns]);
    }
    expect(Object.fromEntries(byDevice)).toEqual({ '/devices/a': [0, 2, 4], '/devices/b': [1, 3] });
  });

  it('sends a tombstone as DELETE to its templated URL with behavior.on.null.values=delete, in order', async () => {
    const topic = await freshTopic('tombstone', 1);
    await produce(bootstrap(), topic, [
      { key: 'k1', value: '{"v":1}' },
      { key: 'k1', value: null },
      { key: 'k2', value: '{"v":2}' },
    ]);
    receiver = await startReceiver();
    const name = `tombstone_${topic}`;
    running = await runConnector({ ...baseConnector(name, topic, `${receiver.url}/items/\${key}`), 'behavior.on.null.values': 'delete' });

    await eventually(() => committedIs(name, topic, 3), 30_000, 'all three committed');
    expect(receiver.accepted.map((r) => [r.method, r.path, r.body.toString()])).toEqual([
      ['POST', '/items/k1', '{"v":1}'],
      ['DELETE', '/items/k1', ''],
      ['POST', '/items/k2', '{"v":2}'],
    ]);
  });

  it('skips and commits a tombstone with behavior.on.null.values=ignore', async () => {
    const topic = await freshTopic('ignore_null', 1);
    await produce(bootstrap(), topic, [{ value: 'a' }, { value: null }, { value: 'c' }]);
    receiver = await startReceiver();
    const name = `ignore_null_${topic}`;
    running = await runConnector({ ...baseConnector(name, topic, receiver.url), 'behavior.on.null.values': 'ignore' });

    await eventually(() => committedIs(name, topic, 3), 30_000, 'all three committed');
    expect(receiver.accepted.map((r) => r.body.toString())).toEqual(['a', 'c']);
  });

  it('keeps the idempotency key the same across a retry and a restart', async () => {
    const topic = await freshTopic('idempotent', 1);
    await produce(bootstrap(), topic, [{ value: 'once' }]);
    // a 503 (retried), then a 400 (the pipeline stops, nothing committed), then after the restart a 200
    receiver = await startReceiver({ respond: (_r, i) => (i === 0 ? { status: 503 } : i === 1 ? { status: 400 } : { status: 200 }) });
    const name = `idempotent_${topic}`;
    const connector = { ...baseConnector(name, topic, receiver.url), 'http.idempotency.key.header': 'Idempotency-Key', 'retry.backoff.ms': 10 };
    running = await runConnector(connector);
    await expect(running.done).rejects.toThrow(/HTTP 400/);

    running = await runConnector(connector);
    await receiver.waitForAccepted(1, 30_000);

    expect(receiver.requests.map((r) => r.headers['idempotency-key'])).toEqual([`${topic}/0/0-0`, `${topic}/0/0-0`, `${topic}/0/0-0`]);
    await eventually(() => committedIs(name, topic, 1), 15_000, 'the commit');
  });

  it('writes NDJSON batches', async () => {
    const topic = await freshTopic('ndjson', 1);
    await produce(bootstrap(), topic, ['{"a":1}', 'text'].map((value) => ({ value })));
    receiver = await startReceiver();
    running = await runConnector({ ...baseConnector(`ndjson_${topic}`, topic, receiver.url), 'batching.enabled': true, 'batch.linger.ms': 200, 'batch.format': 'ndjson' });

    await receiver.waitForAccepted(1, 30_000);
    expect(receiver.accepted[0]!.body.toString()).toBe('{"a":1}\n"text"\n');
    expect(receiver.accepted[0]!.headers['content-type']).toBe('application/x-ndjson');
  });

  it('holds the request rate to http.rate.limit', async () => {
    const topic = await freshTopic('rate', 1);
    await produce(bootstrap(), topic, Array.from({ length: 10 }, (_, i) => ({ value: `r${i}` })));
    receiver = await startReceiver();
    running = await runConnector({ ...baseConnector(`rate_${topic}`, topic, receiver.url), 'http.rate.limit': 5 });

    await receiver.waitForAccepted(10, 30_000);
    // a burst of 5, then 5 more at 5 per second: about a second
    const spread = receiver.accepted[9]!.at - receiver.accepted[0]!.at;
    expect(spread).toBeGreaterThanOrEqual(800);
    expect(spread).toBeLessThan(10_000);
  });
});

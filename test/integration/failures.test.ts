/** Endpoint failures: retried until delivered, or the pipeline stops without committing past the failed records. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { DeliveryError } from '../../src/common/errors.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { baseConnector, bootstrap, captureLog, committed, freshTopic, runConnector } from '../support/harness.js';

const values = (n: number, tag: string): string[] => Array.from({ length: n }, (_, i) => `${tag}-${i}`);

describe('endpoint failures', () => {
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    await receiver?.close();
  });

  it('retries the first failed requests, logs each retry, and loses nothing', async () => {
    const topic = await freshTopic('retry', 1);
    const produced = values(50, 'r');
    await produce(bootstrap(), topic, produced.map((value) => ({ value })));
    receiver = await startReceiver({ respond: (_request, i) => (i < 6 ? { status: i % 2 ? 503 : 500 } : { status: 200 }) });
    const name = `retry_${topic}`;
    const { log, lines } = captureLog();
    running = await runConnector({ ...baseConnector(name, topic, receiver.url), 'max.retries': 10, 'retry.backoff.ms': 20 }, { log });
    await receiver.waitForAccepted(50, 60_000);
    await running.stop();

    expect(receiver.accepted.map((r) => r.body.toString())).toEqual(produced);
    expect(receiver.requests.length).toBe(56);
    expect(await committed(name, topic, 1)).toEqual([50]);
    const retries = lines.filter((l) => l.includes('request failed; retrying'));
    expect(retries).toHaveLength(6);
    expect(retries[0]).toContain(`topic ${topic} partition 0 offset 0`);
    expect(retries[0]).toContain('500');
  });

  it('stops with an error naming the records and the status, commits nothing past them, and a restart delivers them', async () => {
    const topic = await freshTopic('fail', 1);
    const produced = values(20, 'f');
    await produce(bootstrap(), topic, produced.map((value) => ({ value })));
    receiver = await startReceiver({ respond: (_request, i) => (i < 2 ? { status: 200 } : { status: 503, body: 'maintenance' }) });
    const name = `fail_${topic}`;
    const connector = {
      ...baseConnector(name, topic, receiver.url),
      'batching.enabled': true,
      'batch.max.size': 5,
      'batch.linger.ms': 50,
      'max.retries': 2,
      'retry.backoff.ms': 20,
    };
    const { log, lines } = captureLog();
    running = await runConnector(connector, { log });

    const error = await running.done.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).code).toBe('DELIVERY_FAILED');
    expect((error as DeliveryError).message).toBe(`delivery failed for topic ${topic} partition 0 offsets 10-14 after 3 attempt(s): HTTP 503: maintenance`);
    expect(lines.some((l) => l.includes('pipeline stopped') && l.includes('offsets 10-14') && l.includes('raise max.retries'))).toBe(true);
    expect(receiver.requests).toHaveLength(5);
    expect(await committed(name, topic, 1)).toEqual([10]);

    receiver.respondWith(() => ({ status: 200 }));
    const before = receiver.accepted.length;
    running = await runConnector(connector);
    await receiver.waitForAccepted(before + 2, 30_000);
    await running.stop();
    const redelivered = receiver.accepted.slice(before).flatMap((r) => r.body.toString().trimEnd().split('\n'));
    expect(redelivered).toEqual(produced.slice(10));
    expect(await committed(name, topic, 1)).toEqual([20]);
  });

  it('does not retry a 400 and reports it at once', async () => {
    const topic = await freshTopic('bad_request', 1);
    await produce(bootstrap(), topic, [{ value: 'x' }]);
    receiver = await startReceiver({ respond: () => ({ status: 400, body: 'no such field' }) });
    running = await runConnector({ ...baseConnector(`bad_${topic}`, topic, receiver.url), 'max.retries': 5, 'retry.backoff.ms': 10 });
    await expect(running.done).rejects.toThrow(`delivery failed for topic ${topic} partition 0 offset 0 after 1 attempt(s): HTTP 400: no such field`);
    expect(receiver.requests).toHaveLength(1);
  });
});

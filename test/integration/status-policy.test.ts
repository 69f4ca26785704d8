/** Status policy and retries against a real endpoint: Retry-After, custom success and retry codes, dropped statuses. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { baseConnector, bootstrap, captureLog, committedIs, eventually, freshTopic, runConnector } from '../support/harness.js';

describe('status policy', () => {
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    await receiver?.close();
  });

  it('waits what a 429 asks with Retry-After: 2 (not the 10 ms backoff), then delivers', async () => {
    const topic = await freshTopic('retry_after', 1);
    await produce(bootstrap(), topic, [{ value: 'slow-down' }]);
    receiver = await startReceiver({ respond: (_r, i) => (i === 0 ? { status: 429, headers: { 'Retry-After': '2' } } : { status: 200 }) });
    const name = `retry_after_${topic}`;
    running = await runConnector({ ...baseConnector(name, topic, receiver.url), 'max.retries': 3, 'retry.backoff.ms': 10 });

    await receiver.waitForAccepted(1, 30_000);

    const waited = receiver.requests[1]!.at - receiver.requests[0]!.at;
    expect(waited).toBeGreaterThanOrEqual(1800);
    expect(waited).toBeLessThan(10_000);
    await eventually(() => committedIs(name, topic, 1), 15_000, 'the commit');
  });

  it('caps Retry-After at retry.after.max.ms', async () => {
    const topic = await freshTopic('retry_after_cap', 1);
    await produce(bootstrap(), topic, [{ value: 'x' }]);
    receiver = await startReceiver({ respond: (_r, i) => (i === 0 ? { status: 503, headers: { 'Retry-After': '3600' } } : { status: 200 }) });
    running = await runConnector({ ...baseConnector(`cap_${topic}`, topic, receiver.url), 'retry.backoff.ms': 10, 'retry.after.max.ms': 200 });

    await receiver.waitForAccepted(1, 30_000);

    expect(receiver.requests[1]!.at - receiver.requests[0]!.at).toBeLessThan(5000);
  });

  it('counts what http.success.status.codes says as delivered (Aiven-style <400) and retries retry.on.status.codes', async () => {
    const topic = await freshTopic('codes', 1);
    await produce(bootstrap(), topic, [{ value: 'a' }, { value: 'b' }]);
    // a: 409 (retried by the custom list) then 302 (success under <400); b: 302
    receiver = await startReceiver({ respond: (_r, i) => (i === 0 ? { status: 409 } : { status: 302 }) });
    const name = `codes_${topic}`;
    running = await runConnector({
      ...baseConnector(name, topic, receiver.url),
      'http.success.status.codes': '<400',
      'retry.on.status.codes': '409,500-599',
      'retry.backoff.ms': 10,
    });

    await eventually(() => committedIs(name, topic, 2), 30_000, 'both records committed');
    expect(receiver.requests.map((r) => r.body.toString())).toEqual(['a', 'a', 'b']);
  });

  it('drops a record whose status behavior.on.status.error says to drop, with a warning, and goes on', async () => {
    const topic = await freshTopic('drop', 1);
    await produce(bootstrap(), topic, ['ok-0', 'bad', 'ok-2'].map((value) => ({ value })));
    receiver = await startReceiver({ respond: (r) => (r.body.toString() === 'bad' ? { status: 422, body: 'unprocessable' } : { status: 200 }) });
    const name = `drop_${topic}`;
    const { log, lines } = captureLog();
    running = await runConnector({ ...baseConnector(name, topic, receiver.url), 'behavior.on.status.error': 'drop', 'max.retries': 5 }, { log });

    await eventually(() => committedIs(name, topic, 3), 30_000, 'all three committed');
    expect(receiver.requests.map((r) => r.body.toString())).toEqual(['ok-0', 'bad', 'ok-2']);
    expect(lines.some((l) => l.includes('records dropped') && l.includes(`topic ${topic} partition 0 offset 1`) && l.includes('HTTP 422'))).toBe(true);
  });

  it('gives up retrying after retry.max.duration.ms even with retries left', async () => {
    const topic = await freshTopic('duration', 1);
    await produce(bootstrap(), topic, [{ value: 'x' }]);
    receiver = await startReceiver({ respond: () => ({ status: 503 }) });
    running = await runConnector({
      ...baseConnector(`duration_${topic}`, topic, receiver.url),
      'max.retries': 1000,
      'retry.backoff.ms': 200,
      'retry.backoff.policy': 'exponential',
      'retry.max.duration.ms': 2200,
    });

    await expect(running.done).rejects.toThrow(/after \d attempt\(s\): HTTP 503/);
    // waits 200, 400, 800 fit in 2200 ms, with 800 ms to spare for the four requests on a loaded machine (the limit
    // counts time passed, not waits); 1600 more would not
    expect(receiver.requests).toHaveLength(4);
  });
});

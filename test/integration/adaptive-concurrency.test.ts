/** `http.concurrency=adaptive` end to end: an endpoint that takes 4 requests at once and answers 503 beyond. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { baseConnector, bootstrap, committed, freshTopic, runConnector } from '../support/harness.js';

describe('adaptive concurrency', () => {
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    await receiver?.close();
  });

  it('delivers everything through an endpoint that rejects past 4 concurrent requests, keeping rejections rare', async () => {
    const partitions = 4;
    const total = 2000;
    const capacity = 4;
    const topic = await freshTopic('adaptive', partitions);
    await produce(bootstrap(), topic, Array.from({ length: total }, (_, seq) => ({ value: String(seq), partition: seq % partitions })));
    let busy = 0;
    // What the sink did: how many of its requests were open (sent, not yet answered) as each one arrived, whatever
    // the endpoint then answered. The endpoint's own cap cannot limit this count; only the sink's concurrency does.
    let open = 0;
    const openAtArrival: number[] = [];
    receiver = await startReceiver({
      respond: () => {
        open += 1;
        openAtArrival.push(open);
        if (busy >= capacity) {
          setImmediate(() => (open -= 1)); // answered at once
          return { status: 503, body: 'busy' };
        }
        busy += 1;
        setTimeout(() => ((busy -= 1), (open -= 1)), 10);
        return { status: 200, delayMs: 10 };
      },
    });
    const name = `adaptive_${topic}`;
    running = await runConnector({
      ...baseConnector(name, topic, receiver.url),
      'batching.enabled': true,
      'batch.max.size': 10,
      'batch.linger.ms': 5,
      ordering: 'none',
      'http.concurrency': 'adaptive',
      'http.concurrency.max': 64,
      'max.retries': 100,
      'retry.backoff.ms': 20,
    });

    const arrived = (): Set<string> => new Set(receiver!.accepted.flatMap((r) => r.body.toString().split('\n').filter(Boolean)));
    for (let i = 0; i < 600 && arrived().size < total; i++) await new Promise((r) => setTimeout(r, 100));
    expect(arrived().size).toBe(total);
    // AIMD grows to the capacity, probes past it now and then and backs off: it never nears its own maximum (64),
    // and most requests arrive while no more than the capacity are open.
    const most = Math.max(...openAtArrival);
    expect(most).toBeGreaterThanOrEqual(capacity);
    expect(most).toBeLessThanOrEqual(4 * capacity);
    expect(openAtArrival.filter((n) => n > capacity).length / openAtArrival.length).toBeLessThan(0.25);
    const rejected = receiver.requests.length - receiver.accepted.length;
    expect(rejected / receiver.requests.length).toBeLessThan(0.25);
    await running.stop();
    running = undefined;
    expect(await committed(name, topic, partitions)).toEqual([500, 500, 500, 500]);
  });
});

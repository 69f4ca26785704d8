/** Batching: every record arrives exactly as produced, framed by prefix/separator/suffix, in partition order. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { baseConnector, bootstrap, committed, freshTopic, runConnector } from '../support/harness.js';

describe('batching', () => {
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    await receiver?.close();
  });

  it('delivers 10,000 records over 3 partitions as JSON-array batches, each partition in order', async () => {
    const partitions = 3;
    const perPartition = 3334;
    const topic = await freshTopic('batch', partitions);
    const produced = Array.from({ length: partitions }, (_, p) =>
      Array.from({ length: perPartition }, (_, seq) => JSON.stringify({ p, seq, metric: 'Temperature', measurement: seq % 40 })),
    );
    await produce(bootstrap(), topic, produced.flatMap((values, p) => values.map((value, seq) => ({ key: String(seq % 7), value, partition: p }))));
    receiver = await startReceiver();
    const name = `batch_${topic}`;
    running = await runConnector({
      ...baseConnector(name, topic, receiver.url),
      'batching.enabled': 'true',
      'batch.max.size': '500',
      'batch.prefix': '[',
      'batch.separator': ',',
      'batch.suffix': ']',
      'http.headers.content.type': 'application/json',
    });

    const total = partitions * perPartition;
    const arrived = (): number => receiver!.accepted.reduce((n, r) => n + (JSON.parse(r.body.toString()) as unknown[]).length, 0);
    await receiver.waitForAccepted(Math.ceil(total / 500), 60_000);
    for (let i = 0; i < 200 && arrived() < total; i++) await new Promise((r) => setTimeout(r, 100));
    await running.stop();

    const bodies = receiver.requests.map((r) => r.body.toString());
    expect(bodies.every((b) => b.startsWith('[{') && b.endsWith('}]'))).toBe(true);
    const items = bodies.flatMap((b) => JSON.parse(b) as { p: number; seq: number }[]);
    expect(items).toHaveLength(total);
    expect(Math.max(...bodies.map((b) => (JSON.parse(b) as unknown[]).length))).toBeLessThanOrEqual(500);
    for (let p = 0; p < partitions; p++) {
      const received = items.filter((item) => item.p === p).map((item) => JSON.stringify(item));
      expect(received).toEqual(produced[p]);
    }
    expect(await committed(name, topic, partitions)).toEqual([perPartition, perPartition, perPartition]);
  });

  it('sends a half-full batch after the linger and frames it with the default suffix and separator', async () => {
    const topic = await freshTopic('linger', 1);
    await produce(bootstrap(), topic, ['a', 'b', 'c'].map((value) => ({ value })));
    receiver = await startReceiver();
    running = await runConnector({ ...baseConnector(`linger_${topic}`, topic, receiver.url), 'batching.enabled': true, 'batch.linger.ms': 200 });
    await receiver.waitForAccepted(1, 30_000);
    expect(receiver.requests[0]!.body.toString()).toBe('a\nb\nc\n');
  });
});

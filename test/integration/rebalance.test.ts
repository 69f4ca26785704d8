/** Two sink processes' worth of pipelines in one consumer group: partitions move while requests are in flight. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { baseConnector, bootstrap, captureLog, committed, eventually, freshTopic, runConnector } from '../support/harness.js';

describe('consumer group rebalance', () => {
  let receiver: Receiver | undefined;
  const pipelines: RunningPipeline[] = [];
  afterEach(async () => {
    await Promise.all(pipelines.map((p) => p.stop()));
    await receiver?.close();
  });

  it('loses nothing when a second member joins and the first leaves mid-stream', async () => {
    const partitions = 4;
    const topic = await freshTopic('rebalance', partitions);
    const produced = Array.from({ length: 4000 }, (_, i) => `r${i}`);
    // half now, half once the second member holds partitions: the first member could otherwise deliver everything
    // before a join that takes seconds on a loaded machine, and the second would never read a record
    const half = produced.length / 2;
    await produce(bootstrap(), topic, produced.slice(0, half).map((value, i) => ({ value, partition: i % partitions })));
    receiver = await startReceiver({ respond: () => ({ status: 200, delayMs: 20 }) });
    const name = `rebalance_${topic}`;
    const connector = {
      ...baseConnector(name, topic, receiver.url),
      'batching.enabled': true,
      'batch.max.size': 20,
      'batch.linger.ms': 10,
      'max.in.flight.records': 400,
      'offset.flush.interval.ms': 100,
    };
    const delivered = (): string[] => receiver!.accepted.flatMap((r) => r.body.toString().trimEnd().split('\n'));

    const first = await runConnector(connector);
    pipelines.push(first);
    await eventually(() => delivered().length >= 400, 30_000, 'the first member delivering');
    const secondLog = captureLog();
    const second = await runConnector(connector, { log: secondLog.log });
    pipelines.push(second);
    const assigned = (line: string): boolean => (JSON.parse(line) as { message: string; partitions?: string[] }).message === 'partitions assigned' && (JSON.parse(line) as { partitions: string[] }).partitions.length > 0;
    await eventually(() => secondLog.lines.some(assigned), 30_000, 'the second member getting partitions');
    await produce(bootstrap(), topic, produced.slice(half).map((value, i) => ({ value, partition: i % partitions })));
    await eventually(() => second.stats().consumed > 0, 30_000, 'the second member reading');
    await first.stop();
    await first.done;

    await eventually(() => new Set(delivered()).size === produced.length, 60_000, 'every record delivered');
    expect(new Set(delivered())).toEqual(new Set(produced));
    const duplicates = delivered().length - produced.length;
    expect(duplicates).toBeLessThanOrEqual(2 * 400);
    await eventually(async () => (await committed(name, topic, partitions)).every((o) => o === 1000), 10_000, 'all offsets committed');
  });
});

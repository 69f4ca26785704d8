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
    await Promise.all(pipelines.splice(0).map((p) => p.stop()));
    await receiver?.close();
    receiver = undefined;
  });

  /** The partitions of each 'partitions assigned' line of a member's log, in order. */
  const assignments = (lines: readonly string[]): string[][] =>
    lines.map((l) => JSON.parse(l) as { message: string; partitions?: string[] }).filter((l) => l.message === 'partitions assigned').map((l) => l.partitions ?? []);

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
    await eventually(() => assignments(secondLog.lines).some((a) => a.length > 0), 30_000, 'the second member getting partitions');
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

  // A worker's pause meeting a rebalance: librdkafka starts fetching a partition as it is assigned, so a paused member
  // pauses the partitions it is given before it takes them (test/unit/kafka-source.test.ts shows the window).
  it('keeps paused members paused through a rebalance: the partitions they are given deliver nothing until they resume', async () => {
    const partitions = 4;
    const topic = await freshTopic('rebalance_held', partitions);
    receiver = await startReceiver();
    const name = `held_${topic}`;
    const connector = { ...baseConnector(name, topic, receiver.url), 'offset.flush.interval.ms': 100 };
    const firstLog = captureLog();
    const first = await runConnector(connector, { log: firstLog.log });
    pipelines.push(first);
    await eventually(() => assignments(firstLog.lines).some((a) => a.length === partitions), 30_000, 'the first member holding every partition');
    first.hold(true);
    expect(first.stats().paused).toBe(true);
    await produce(bootstrap(), topic, Array.from({ length: 40 }, (_, i) => ({ value: `h${i}`, partition: i % partitions })));
    // a second member, paused from its start (as the worker holds a task that starts while its connector is paused),
    // joins: the group rebalances, and both are given partitions while paused
    const secondLog = captureLog();
    const second = await runConnector(connector, { log: secondLog.log });
    pipelines.push(second);
    second.hold(true);
    await eventually(() => assignments(secondLog.lines).some((a) => a.length > 0) && assignments(firstLog.lines).length >= 2, 30_000, 'both members given partitions');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // what a fetch of the new assignments would take, many times
    expect({ consumed: [first.stats().consumed, second.stats().consumed], requests: receiver.requests.length }).toEqual({ consumed: [0, 0], requests: 0 });

    first.hold(false);
    second.hold(false);
    await eventually(() => new Set(receiver!.accepted.map((r) => r.body.toString())).size === 40, 30_000, 'all forty delivered once resumed');
    await eventually(async () => (await committed(name, topic, partitions)).every((o) => o === 10), 15_000, 'every partition committed');
    expect(second.stats().consumed).toBeGreaterThan(0); // the partitions paused before their assignment resumed too
  });
});

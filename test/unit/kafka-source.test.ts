/**
 * KafkaSource's own wiring, driven through a fake consumer (fake-consumer.ts): records become acked offsets and
 * commits; a failed commit is retried at the commit interval, not in a loop; a pause that throws is not taken as
 * done, is warned of, and is tried again; re-delivered offsets are skipped (PollRecords); a held source's new
 * partitions are paused before they are assigned.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Subscription } from 'rxjs';
import type { KafkaRecord } from '../../src/records/record.js';
import type { KafkaSourceOptions } from '../../src/source/kafka-config.js';
import { KafkaSource } from '../../src/source/kafka-source.js';
import { captureLog, eventually } from '../support/harness.js';
import { FakeConsumer, messages } from './fake-consumer.js';

const options = (extra: Partial<KafkaSourceOptions> = {}): KafkaSourceOptions => ({
  rdkafka: {},
  producer: {},
  groupId: 'connect-test',
  topics: ['t'],
  maxInFlightRecords: 10,
  commitIntervalMs: 200,
  ...extra,
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let running: { source: KafkaSource; subscription: Subscription } | undefined;
afterEach(async () => {
  running?.subscription.unsubscribe();
  await running?.source.close();
  running = undefined;
});

/** A source on a fake consumer of partition t/0, every record acked as it arrives (unless `ack` is false). */
async function start(consumer: FakeConsumer, extra: Partial<KafkaSourceOptions> = {}, ack = true) {
  const captured = captureLog('debug');
  const source = new KafkaSource(options(extra), captured.log, consumer.factory());
  await source.connect();
  const received: KafkaRecord[] = [];
  const subscription = source.records$.subscribe((records) => {
    received.push(...records);
    if (ack) for (const r of records) r.handle.ack(r.offset);
  });
  running = { source, subscription };
  return { source, received, lines: captured.lines };
}

describe('KafkaSource', () => {
  it('commits the acked offsets at the interval', async () => {
    const consumer = new FakeConsumer([{ topic: 't', partition: 0 }]);
    consumer.queue.push(...messages('t', 0, 0, 5));
    const { source, received } = await start(consumer, { maxInFlightRecords: 1000 });
    await eventually(() => source.stats().committed.get('t/0') === 5, 2000, 'offset 5 committed');
    expect(received.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
    expect(source.stats()).toMatchObject({ consumed: 5, inFlight: 0, paused: false });
  });

  it('retries a failed commit at the commit interval, not at once in a loop, and resumes once one succeeds', async () => {
    const consumer = new FakeConsumer([{ topic: 't', partition: 0 }]);
    consumer.failCommits = 'Broker: Not coordinator';
    consumer.queue.push(...messages('t', 0, 0, 10)); // the bound: the source pauses, and only a commit frees it
    const { source, lines } = await start(consumer);
    await eventually(() => consumer.commits.length > 0, 2000, 'a first commit');
    await sleep(600); // three intervals
    // the first (early) commit, one per interval, and a spare for timer jitter; the loop sent thousands here
    expect(consumer.commits.length).toBeLessThanOrEqual(5);
    expect(source.stats()).toMatchObject({ inFlight: 10, paused: true });
    expect(lines.some((l) => l.includes('offset commit failed') && l.includes('Not coordinator'))).toBe(true);

    consumer.failCommits = undefined;
    await eventually(() => source.stats().committed.get('t/0') === 10, 2000, 'offset 10 committed once the broker takes it');
    await eventually(() => !source.stats().paused, 2000, 'the partitions resumed');
  });

  it('does not take a pause that threw as done: warns once, tries again at each poll, pauses once it works', async () => {
    const consumer = new FakeConsumer([{ topic: 't', partition: 0 }]);
    const { source, lines } = await start(consumer, { maxInFlightRecords: 1000 });
    await eventually(() => lines.some((l) => l.includes('partitions assigned')), 2000, 'the assignment');
    consumer.failPause = 'Local: Erroneous state';
    source.hold(true);
    await sleep(100);
    expect(source.stats().paused).toBe(false);
    expect(consumer.paused.size).toBe(0);
    const warned = lines.filter((l) => l.includes('"level":"warn"') && l.includes('pausing or resuming the partitions failed'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('Erroneous state');

    consumer.failPause = undefined;
    await eventually(() => source.stats().paused, 2000, 'paused once pause() works');
    expect([...consumer.paused]).toEqual(['t/0']);
    consumer.queue.push(...messages('t', 0, 0, 3));
    await sleep(50);
    expect(source.stats().consumed).toBe(0); // held: nothing read
  });

  it('skips offsets it handed out already when the consumer delivers them again (PollRecords)', async () => {
    const consumer = new FakeConsumer([{ topic: 't', partition: 0 }]);
    consumer.queue.push(...messages('t', 0, 0, 3));
    const { source, received } = await start(consumer, { maxInFlightRecords: 1000 }, false);
    await eventually(() => received.length === 3, 2000, 'three records');
    consumer.queue.push(...messages('t', 0, 1, 4)); // librdkafka rewound to 1 (after a pause): 1 and 2 again, then 3 and 4
    await eventually(() => received.length === 5, 2000, 'two new records');
    expect(received.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
    expect(source.stats().inFlight).toBe(5);
    for (const r of received.slice(0, 2)) r.handle.ack(r.offset); // 0 and 1: the watermark moves to 2
    await eventually(() => source.stats().committed.get('t/0') === 2, 2000, 'offset 2 committed, not past the unacked 2');
  });

  // A worker pause meeting a group rebalance: librdkafka starts fetching a partition once it is assigned, so a pause
  // that comes after the assign (a GC or a loaded machine between the two calls) could let records through.
  it('held: partitions a rebalance assigns are paused before they are assigned, so none of their records is read', async () => {
    const consumer = new FakeConsumer([{ topic: 't', partition: 0 }]);
    const { source, lines } = await start(consumer, { maxInFlightRecords: 1000 });
    await eventually(() => lines.some((l) => l.includes('partitions assigned')), 2000, 'the assignment');
    source.hold(true);
    expect(source.stats().paused).toBe(true);
    consumer.queue.push(...messages('t', 0, 0, 2), ...messages('t', 1, 0, 2)); // produced after the pause
    consumer.reassign([{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }]);
    await eventually(() => lines.filter((l) => l.includes('partitions assigned')).length === 2, 2000, 'the new assignment');
    await sleep(50);
    expect({ consumed: source.stats().consumed, paused: [...consumer.paused].sort() }).toEqual({ consumed: 0, paused: ['t/0', 't/1'] });
    source.hold(false);
    await eventually(() => source.stats().consumed === 4, 2000, 'the four records once released');
  });
});

/**
 * Early commits (issue 16's commit storm): under pressure the source commits before the interval, but one commit at
 * a time, spaced, only when it carries enough records or ends a pause, and not right after a failed one. The pacer
 * alone with an explicit clock; then KafkaSource itself on a fake consumer (one ack a millisecond, commits answered
 * after 3 ms), so the rules are tested as the source wires them.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Subscription } from 'rxjs';
import type { KafkaRecord } from '../../src/records/record.js';
import { CommitPacer } from '../../src/source/commit-pacer.js';
import { KafkaSource } from '../../src/source/kafka-source.js';
import { captureLog, eventually } from '../support/harness.js';
import { FakeConsumer, messages } from './fake-consumer.js';

const pacer = (): CommitPacer => new CommitPacer({ maxInFlight: 1000, minSpacingMs: 100 });

describe('CommitPacer', () => {
  it('does not commit early below half the window', () => {
    expect(pacer().due({ inFlight: 499, uncommitted: 400, committing: false, paused: false }, 0)).toBeUndefined();
  });

  it('commits early past half the window once enough records settled, not for a handful', () => {
    const p = pacer();
    expect(p.due({ inFlight: 800, uncommitted: 61, committing: false, paused: false }, 0)).toBeUndefined(); // < 1000/16
    expect(p.due({ inFlight: 800, uncommitted: 62, committing: false, paused: false }, 0)).toBe(0);
  });

  it('never starts one while another commit awaits the broker', () => {
    expect(pacer().due({ inFlight: 1000, uncommitted: 900, committing: true, paused: true }, 0)).toBeUndefined();
  });

  it('keeps the minimum spacing after any commit: asks to wait the rest of it', () => {
    const p = pacer();
    p.started(1000);
    expect(p.due({ inFlight: 800, uncommitted: 200, committing: false, paused: false }, 1030)).toBe(70);
    expect(p.due({ inFlight: 800, uncommitted: 200, committing: false, paused: false }, 1100)).toBe(0);
  });

  it('commits a few records, without waiting for the spacing, when that ends a pause (the window falls to half once the commit lands)', () => {
    const p = pacer();
    p.started(0);
    expect(p.due({ inFlight: 505, uncommitted: 5, committing: false, paused: true }, 0)).toBe(0);
    expect(p.due({ inFlight: 505, uncommitted: 4, committing: false, paused: true }, 0)).toBeUndefined(); // 501 left: still paused
    expect(p.due({ inFlight: 505, uncommitted: 0, committing: false, paused: true }, 0)).toBeUndefined();
  });
});

describe('CommitPacer after a failed commit', () => {
  it('holds early commits back until the interval retried, even to end a pause; a success lifts it', () => {
    const p = new CommitPacer({ maxInFlight: 1000, minSpacingMs: 100, retryAfterFailureMs: 1000 });
    const paused = { inFlight: 1000, uncommitted: 900, committing: false, paused: true };
    p.started(0);
    p.answered(false, 5);
    expect(p.due(paused, 6)).toBeUndefined();
    expect(p.due(paused, 1004)).toBeUndefined();
    expect(p.due(paused, 1005)).toBe(0);
    p.answered(false, 1010);
    p.answered(true, 1020);
    expect(p.due(paused, 1021)).toBe(0);
  });
});

describe('early commits, driven through KafkaSource on a fake consumer (per-record acknowledgements)', () => {
  let source: KafkaSource | undefined;
  let subscription: Subscription | undefined;
  let acking: NodeJS.Timeout | undefined;
  afterEach(async () => {
    clearInterval(acking);
    subscription?.unsubscribe();
    await source?.close();
    source = subscription = acking = undefined;
  });

  /** A source reading `count` records of t/0; its records are acked one per millisecond (or all at once, `ackAtOnce`). */
  async function run(count: number, maxInFlightRecords: number, commitIntervalMs: number, ackAtOnce = false) {
    const consumer = new FakeConsumer([{ topic: 't', partition: 0 }]);
    consumer.commitRoundTripMs = 3;
    consumer.queue.push(...messages('t', 0, 0, count));
    source = new KafkaSource({ rdkafka: {}, producer: {}, groupId: 'g', topics: ['t'], maxInFlightRecords, commitIntervalMs }, captureLog().log, consumer.factory());
    await source.connect();
    const unacked: KafkaRecord[] = [];
    let acked = 0;
    subscription = source.records$.subscribe((records) => {
      if (!ackAtOnce) return void unacked.push(...records);
      for (const r of records) r.handle.ack(r.offset);
      acked += records.length;
    });
    acking = setInterval(() => {
      const record = unacked.shift();
      if (!record) return;
      record.handle.ack(record.offset);
      acked += 1;
    }, 1);
    return { consumer, acked: () => acked, running: source };
  }

  it('commits once per maxInFlight/16 acknowledgements at most (plus the interval), not after every one', async () => {
    const { consumer, acked, running } = await run(3000, 2000, 1000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const acks = acked();
    expect(acks).toBeGreaterThan(200); // acknowledgements flowed: the window never held delivery back
    expect(consumer.commits.length).toBeGreaterThanOrEqual(1);
    // one early commit per 2000/16 = 125 acks, one per interval (1 s), a spare for timer jitter
    expect(consumer.commits.length).toBeLessThanOrEqual(Math.ceil(acks / 125) + 2 + 2);
    expect(running.stats().inFlight).toBeLessThanOrEqual(2 * 2000);
  });

  it('releases a paused window by early commits alone (the interval out of reach): every record goes through', async () => {
    const { consumer, acked, running } = await run(1000, 50, 60_000, true); // a bound under 100 pauses at once
    await eventually(() => running.stats().committed.get('t/0') === 1000, 10_000, 'every record committed');
    expect(acked()).toBe(1000);
    expect(consumer.pauses).toBeGreaterThan(0); // the window filled and paused the partition
    expect(running.stats().paused).toBe(false);
  });
});

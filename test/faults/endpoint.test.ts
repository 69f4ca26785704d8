/** Endpoint faults: errors, 429s, resets, timeouts, an outage, and an endpoint slower than the poll interval allows. */
import { describe, expect, it } from '@jest/globals';
import { bootstrap, captureLog, committed, eventually, freshTopic, runConnector } from '../support/harness.js';
import { FULL, produceIds, report, sleep, startIdReceiver, verdict } from './support/fault-kit.js';

const PARTITIONS = 6;

describe('faults: the endpoint misbehaves', () => {
  it('30% errors, 429s with Retry-After, resets and timeouts: everything arrives, in partition order', async () => {
    const startedAt = Date.now();
    const count = FULL ? 50_000 : 6_000;
    const topic = await freshTopic('endpoint', PARTITIONS);
    const produced = await produceIds(bootstrap(), topic, count, PARTITIONS);
    let seed = 7;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const outcomes = { ok: 0, error: 0, throttled: 0, reset: 0, slow: 0 };
    const sink = await startIdReceiver(() => {
      const roll = random();
      if (roll < 0.15) return (outcomes.error++, { status: 500 });
      if (roll < 0.25) return (outcomes.error++, { status: 503 });
      if (roll < 0.3) return (outcomes.throttled++, { status: 429, headers: { 'retry-after': '0' } });
      if (roll < 0.33) return (outcomes.reset++, 'reset');
      if (roll < 0.35) return (outcomes.slow++, { status: 200, delayMs: 1500 });
      return (outcomes.ok++, { status: 200 });
    });
    const name = `endpoint_${topic}`;
    const running = await runConnector({
      name,
      topics: topic,
      'http.url': sink.receiver.url,
      'http.authorization.type': 'none',
      'batching.enabled': true,
      'batch.max.size': 100,
      'batch.linger.ms': 20,
      'http.timeout': 1,
      'max.retries': 50,
      'retry.backoff.ms': 10,
    });
    await eventually(() => sink.uniqueCount() === count, 120_000, 'every id accepted');
    await running.stop();
    await sink.receiver.close();

    const v = verdict(produced, sink.ids);
    report('endpoint-faults', v, startedAt, `responses=${JSON.stringify(outcomes)}`);
    expect(v.lost).toBe(0);
    expect(v.outOfOrder).toBe(0);
    expect(outcomes.error + outcomes.throttled + outcomes.reset + outcomes.slow).toBeGreaterThan(0);
    expect((await committed(name, topic, PARTITIONS)).reduce((a, b) => a + b, 0)).toBe(count);
  });

  it('endpoint down, then back: the pipeline waits it out and loses nothing', async () => {
    const startedAt = Date.now();
    const downMs = FULL ? 20_000 : 3_000;
    const count = 3_000;
    const topic = await freshTopic('outage', PARTITIONS);
    const produced = await produceIds(bootstrap(), topic, count, PARTITIONS);
    let down = true;
    const sink = await startIdReceiver(() => (down ? 'reset' : { status: 200 }));
    const running = await runConnector({
      name: `outage_${topic}`,
      topics: topic,
      'http.url': sink.receiver.url,
      'http.authorization.type': 'none',
      'batching.enabled': true,
      'batch.max.size': 100,
      'max.retries': 1000,
      'retry.backoff.ms': 200,
    });
    await sleep(downMs);
    expect(sink.uniqueCount()).toBe(0);
    down = false;
    await eventually(() => sink.uniqueCount() === count, 60_000, 'every id accepted after the outage');
    await running.stop();
    await sink.receiver.close();
    const v = verdict(produced, sink.ids);
    report('endpoint-outage', v, startedAt, `down=${downMs / 1000}s`);
    expect(v.lost).toBe(0);
    expect(v.duplicates).toBe(0);
  });

  it('an endpoint slower than max.poll.interval.ms causes no rebalance and no duplicates (polling goes on)', async () => {
    const startedAt = Date.now();
    const topic = await freshTopic('slowpoll', 2);
    const produced = await produceIds(bootstrap(), topic, 6, 2);
    const sink = await startIdReceiver(() => ({ status: 200, delayMs: 4000 }));
    const { log, lines } = captureLog();
    const running = await runConnector(
      {
        name: `slowpoll_${topic}`,
        topics: topic,
        'http.url': sink.receiver.url,
        'http.authorization.type': 'none',
        'kafka.max.poll.interval.ms': 6000,
        'kafka.session.timeout.ms': 6000,
        'http.timeout': 10,
      },
      { log },
    );
    await eventually(() => sink.uniqueCount() === 6, 60_000, 'all six accepted');
    await running.stop();
    await sink.receiver.close();
    const v = verdict(produced, sink.ids);
    report('slow-vs-poll-interval', v, startedAt);
    expect(v.lost).toBe(0);
    expect(v.duplicates).toBe(0);
    expect(lines.filter((l) => l.includes('partitions revoked')).length).toBe(1); // only the one at shutdown
    expect(lines.filter((l) => l.includes('partitions assigned')).length).toBe(1);
  });
});

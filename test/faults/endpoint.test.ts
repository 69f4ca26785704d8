/** Endpoint faults: errors, 429s, resets, timeouts, an outage, and an endpoint slower than the poll interval allows. */
import { describe, expect, it } from '@jest/globals';
import type { ReceivedRequest } from '../support/receiver.js';
import { baseConnector, bootstrap, captureLog, freshTopic, runConnector } from '../support/harness.js';
import { expectDelivered, FULL, type IdReceiver, produceIds, sleep, startIdReceiver, verdict, waitForDelivery } from './support/fault-kit.js';

const PARTITIONS = 6;

/** A deterministic stream of numbers in [0, 1) (Park-Miller), so a run's mix of answers can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

/** For each 429'd request, the ms until the next attempt with the same body (a cut attempt: a prefix of it); NaN when there was none. */
function retryGaps(requests: readonly ReceivedRequest[], throttled: readonly number[]): number[] {
  return throttled.map((index) => {
    const body = requests[index]!.body;
    const retry = requests.slice(index + 1).find((r) => (r.bodyCut ? r.body.length > 0 && body.subarray(0, r.body.length).equals(r.body) : r.body.equals(body)));
    return retry ? retry.at - requests[index]!.at : Number.NaN;
  });
}

describe('faults: the endpoint misbehaves', () => {
  it('errors, 429s with Retry-After: 1, resets (after, during the body, mid-answer) and timeouts: everything arrives, in order', async () => {
    const startedAt = Date.now();
    const count = FULL ? 50_000 : 6_000;
    const batch = 100;
    const topic = await freshTopic('endpoint', PARTITIONS);
    // ~1.5 kB values: a 100-record body (~150 kB) spans several reads, so 'reset-mid-body' cuts it halfway for real.
    const produced = await produceIds(bootstrap(), topic, count, PARTITIONS, 1500);
    const random = seeded(7);
    const early = seeded(11);
    const outcomes = { ok: 0, error: 0, throttled: 0, reset: 0, resetMidBody: 0, resetMidAnswer: 0, slow: 0 };
    const throttled: number[] = [];
    const sink: IdReceiver = await startIdReceiver(
      (_request, index) => {
        const roll = random();
        if (roll < 0.15) return (outcomes.error++, { status: 500 });
        if (roll < 0.25) return (outcomes.error++, { status: 503 });
        if (roll < 0.3) return (outcomes.throttled++, throttled.push(index), { status: 429, headers: { 'retry-after': '1' } });
        if (roll < 0.33) return (outcomes.reset++, 'reset');
        if (roll < 0.35) return (outcomes.slow++, { status: 200, delayMs: 1500 }); // past http.timeout: processed, then re-sent
        if (roll < 0.37) return (outcomes.resetMidAnswer++, { status: 200, body: 'accepted, but this answer is cut', resetMidResponse: true });
        return (outcomes.ok++, { status: 200 });
      },
      () => (early() < 0.04 ? (outcomes.resetMidBody++, 'reset-mid-body') : undefined),
    );
    const name = `endpoint_${topic}`;
    const running = await runConnector({
      ...baseConnector(name, topic, sink.receiver.url),
      'batching.enabled': true,
      'batch.max.size': batch,
      'batch.linger.ms': 20,
      'http.timeout': 1,
      'max.retries': 50,
      'retry.backoff.ms': 10,
    });
    const committed = { name, topic, partitions: PARTITIONS, count };
    await waitForDelivery(sink, count, committed, FULL ? 600_000 : 100_000);
    await running.stop();
    await sink.receiver.close();

    const gaps = retryGaps(sink.receiver.requests, throttled);
    // What the requests cut by 'reset-mid-body' had sent of their body when they were cut (the receiver only cuts
    // a body that did not arrive in one read).
    const cutAt = sink.receiver.requests.filter((r) => r.bodyCut).map((r) => `${Math.round(r.body.length / 1024)}/${Math.round(Number(r.headers['content-length']) / 1024)}kB`);
    // The endpoint processed the ids of a slow answer (the sink gave up at http.timeout) and of an answer cut halfway
    // (the sink saw no complete response): the sink re-sends those batches, at most batch.max.size records each. Any
    // other failure was not processed, and nothing else re-sends (one pipeline, no rebalance, stopped once committed)
    // but the requests in flight (one per partition, ordering=partition) if a stall ever pushed a prompt answer past
    // the 1 s http.timeout.
    await expectDelivered(verdict(produced, sink.ids), {
      scenario: 'endpoint-faults',
      startedAt,
      maxDuplicates: (outcomes.slow + outcomes.resetMidAnswer + PARTITIONS) * batch,
      committed,
      extra: `responses=${JSON.stringify(outcomes)} retryAfterGapMs=${Math.min(...gaps)}..${Math.max(...gaps)} cutAt=${cutAt.join(',')}`,
    });
    expect(Object.entries(outcomes).filter(([, n]) => n === 0)).toEqual([]); // every kind of answer happened
    // Retry-After: 1 is honoured: each 429'd body comes back no sooner than ~1 s later (retry.backoff.ms is 10).
    expect(gaps.filter((gap) => !(gap >= 900))).toEqual([]);
  });

  it('endpoint down (connection refused) mid-flow, then back on the same port: the pipeline waits it out and loses nothing', async () => {
    const startedAt = Date.now();
    const downMs = FULL ? 20_000 : 3_000;
    const count = 3_000;
    const batch = 20;
    const topic = await freshTopic('outage', PARTITIONS);
    const produced = await produceIds(bootstrap(), topic, count, PARTITIONS);
    let wentDown: Promise<void> | undefined;
    // Goes down from within the request that sees a third of the ids arrived: its answer and those of the other
    // requests in flight are cut, idle keep-alive connections are closed, and new connections are refused.
    const sink: IdReceiver = await startIdReceiver(() => {
      if (!wentDown && sink.uniqueCount() >= count / 3) wentDown = new Promise((resolve) => setImmediate(() => void sink.receiver.down().then(resolve)));
      return { status: 200, delayMs: 20 };
    });
    const name = `outage_${topic}`;
    const { log, lines } = captureLog();
    const running = await runConnector(
      {
        ...baseConnector(name, topic, sink.receiver.url),
        'batching.enabled': true,
        'batch.max.size': batch,
        'max.retries': 1000,
        'retry.backoff.ms': 200,
      },
      { log },
    );
    for (let i = 0; i < 1200 && !wentDown; i++) await sleep(50);
    await wentDown;
    const atDown = { requests: sink.receiver.requests.length, ids: sink.uniqueCount() };
    await sleep(downMs);
    const duringDown = { requests: sink.receiver.requests.length - atDown.requests, ids: sink.uniqueCount() - atDown.ids };
    await sink.receiver.up();
    const committed = { name, topic, partitions: PARTITIONS, count };
    await waitForDelivery(sink, count, committed, 60_000);
    await running.stop();
    await sink.receiver.close();

    // Only the requests in flight when it went down can have been processed without their answer arriving: with
    // ordering=partition at most one per partition, of batch.max.size records each.
    await expectDelivered(verdict(produced, sink.ids), {
      scenario: 'endpoint-outage',
      startedAt,
      maxDuplicates: PARTITIONS * batch,
      committed,
      extra: `down=${downMs / 1000}s after=${atDown.ids}`,
    });
    expect({ wentDown: wentDown !== undefined, duringDown }).toEqual({ wentDown: true, duringDown: { requests: 0, ids: 0 } });
    expect(atDown.ids).toBeLessThan(count);
    expect(lines.some((l) => l.includes('request failed; retrying') && l.includes('ECONNREFUSED'))).toBe(true);
  });

  it('an endpoint slower than max.poll.interval.ms causes no rebalance and no duplicates (polling goes on)', async () => {
    const startedAt = Date.now();
    const topic = await freshTopic('slowpoll', 2);
    const produced = await produceIds(bootstrap(), topic, 6, 2);
    const sink = await startIdReceiver(() => ({ status: 200, delayMs: 4000 }));
    const { log, lines } = captureLog();
    const name = `slowpoll_${topic}`;
    const running = await runConnector(
      {
        name,
        topics: topic,
        'http.url': sink.receiver.url,
        'http.authorization.type': 'none',
        'kafka.max.poll.interval.ms': 6000,
        'kafka.session.timeout.ms': 6000,
        'http.timeout': 10,
      },
      { log },
    );
    const committed = { name, topic, partitions: 2, count: 6 };
    await waitForDelivery(sink, 6, committed, 60_000);
    await running.stop();
    await sink.receiver.close();
    // Every answer comes within http.timeout and no rebalance happens (checked below): nothing is ever re-sent.
    await expectDelivered(verdict(produced, sink.ids), { scenario: 'slow-vs-poll-interval', startedAt, maxDuplicates: 0, committed });
    expect(lines.filter((l) => l.includes('partitions revoked')).length).toBe(1); // only the one at shutdown
    expect(lines.filter((l) => l.includes('partitions assigned')).length).toBe(1);
  });
});

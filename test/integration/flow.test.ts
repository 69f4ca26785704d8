/** Flow control: out-of-order completion, backpressure under a stalled endpoint, stop and restart mid-stream. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { baseConnector, bootstrap, captureLog, committed, eventually, freshTopic, runConnector } from '../support/harness.js';

describe('flow control', () => {
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    await receiver?.close();
  });

  it('never commits past a slow request that later ones overtook', async () => {
    const topic = await freshTopic('overtake', 2);
    await produce(bootstrap(), topic, Array.from({ length: 8 }, (_, i) => ({ value: `v${i}`, partition: 0 })));
    let releaseSlow!: () => void;
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    receiver = await startReceiver({ respond: async (request) => (request.body.toString() === 'v0' ? (await slow, { status: 200 }) : { status: 200 }) });
    const name = `overtake_${topic}`;
    running = await runConnector({ ...baseConnector(name, topic, receiver.url), ordering: 'none', 'http.concurrency': 4, 'offset.flush.interval.ms': 50 });

    await receiver.waitForAccepted(7, 30_000);
    expect(receiver.accepted.map((r) => r.body.toString())).not.toContain('v0');
    // A record of the other partition, read after v1..v7 were acknowledged: once its commit is confirmed, a commit
    // cycle ran that saw their acknowledgements, and partition 0's watermark must still be held at v0.
    await produce(bootstrap(), topic, [{ value: 'w0', partition: 1 }]);
    await eventually(() => running!.stats().committed.get(`${topic}/1`) === 1, 30_000, 'the other partition committed');
    expect(running.stats().committed.get(`${topic}/0`)).toBeUndefined();
    expect((await committed(name, topic, 2))[0]).toBe(-1001);

    releaseSlow();
    await eventually(async () => (await committed(name, topic, 2))[0] === 8, 10_000, 'offset 8 committed');
  });

  /**
   * Runs the connector (with `keys`) on `produced` against an endpoint that stalls, until the source paused and a
   * stalled request timed out (http.timeout, 2 s) and was sent again: the pipeline goes on while paused. Returns the
   * source's figures then, and `recover`, which lets the endpoint answer and checks that every record arrived.
   */
  async function stalledUntilPaused(prefix: string, partitions: number, produced: string[], keys: Record<string, unknown>) {
    const topic = await freshTopic(prefix, partitions);
    await produce(bootstrap(), topic, produced.map((value, i) => ({ value, partition: i % partitions })));
    let stalled = true;
    receiver = await startReceiver({ respond: () => (stalled ? 'stall' : { status: 200 }) });
    running = await runConnector({ ...baseConnector(`${prefix}_${topic}`, topic, receiver.url), 'http.timeout': 2, 'max.retries': 20, 'retry.backoff.ms': 100, ...keys });
    await eventually(() => running!.stats().paused, 20_000, 'the source to pause');
    const sentWhenPaused = receiver.requests.length;
    await eventually(() => receiver!.requests.length > sentWhenPaused, 20_000, 'a stalled request sent again');
    const recover = async (): Promise<void> => {
      stalled = false;
      await eventually(() => new Set(receiver!.accepted.map((r) => r.body.toString())).size === produced.length, 60_000, 'all records accepted');
      expect(new Set(receiver!.accepted.map((r) => r.body.toString()))).toEqual(new Set(produced));
    };
    return { stats: running.stats(), recover };
  }

  it('pauses consumption while the endpoint stalls, keeps in-flight records under the bound, then delivers everything', async () => {
    const bound = 100;
    const { stats, recover } = await stalledUntilPaused('stall', 2, Array.from({ length: 2000 }, (_, i) => `s${i}`), { 'max.in.flight.records': bound });
    expect(stats.paused).toBe(true);
    expect(stats.inFlight).toBeLessThanOrEqual(2 * bound);
    expect(stats.consumed).toBeLessThanOrEqual(2 * bound);
    await recover();
  });

  it('pauses on max.in.flight.bytes when records are large, long before the record count, then delivers everything', async () => {
    const produced = Array.from({ length: 500 }, (_, i) => `${String(i).padStart(4, '0')}${'x'.repeat(2044)}`); // 2 KB each
    const { stats, recover } = await stalledUntilPaused('stall_bytes', 1, produced, {
      'max.in.flight.bytes': 20_480, // ten records; the record bound stays at its default
      'consumer.override.max.poll.records': 10,
    });
    expect(stats.paused).toBe(true);
    // Under twice the bound (20 records) plus one poll (10): of 500 records waiting.
    expect(stats.consumed).toBeLessThanOrEqual(30);
    expect(stats.inFlightBytes).toBeLessThanOrEqual(30 * 2048);
    await recover();
  });

  it('abandons a request still running at shutdown.timeout.ms, commits only what was delivered, and re-sends it after a restart', async () => {
    const topic = await freshTopic('abandon', 1);
    await produce(bootstrap(), topic, ['a', 'b', 'c'].map((value) => ({ value })));
    receiver = await startReceiver({ respond: (request) => (request.body.toString() === 'a' ? { status: 200 } : 'stall') });
    const name = `abandon_${topic}`;
    const connector = { ...baseConnector(name, topic, receiver.url), 'shutdown.timeout.ms': 1000, 'offset.flush.interval.ms': 50 };
    const { log, lines } = captureLog();
    running = await runConnector(connector, { log });
    await eventually(() => receiver!.requests.some((r) => r.body.toString() === 'b'), 30_000, "b's request stalled at the endpoint");

    const started = Date.now();
    await running.stop();
    const tookMs = Date.now() - started;
    expect(tookMs).toBeGreaterThanOrEqual(900);
    expect(tookMs).toBeLessThan(10_000);
    expect(lines.some((l) => l.includes('shutdown timeout: abandoning in-flight requests'))).toBe(true);
    expect(await committed(name, topic, 1)).toEqual([1]); // a only: b was abandoned, c never sent

    receiver.respondWith(() => ({ status: 200 }));
    const before = receiver.accepted.length;
    running = await runConnector(connector);
    await receiver.waitForAccepted(before + 2, 30_000);
    await running.stop();
    expect(receiver.accepted.slice(before).map((r) => r.body.toString())).toEqual(['b', 'c']); // the abandoned window, once
    expect(await committed(name, topic, 1)).toEqual([3]);
  });

  it('stops gracefully mid-stream and resumes after a restart with nothing lost and nothing sent twice', async () => {
    const partitions = 3;
    const topic = await freshTopic('restart', partitions);
    const produced = Array.from({ length: 3000 }, (_, i) => `m${i}`);
    await produce(bootstrap(), topic, produced.map((value, i) => ({ value, partition: i % partitions })));
    receiver = await startReceiver({ respond: () => ({ status: 200, delayMs: 5 }) });
    const name = `restart_${topic}`;
    const connector = {
      ...baseConnector(name, topic, receiver.url),
      'batching.enabled': true,
      'batch.max.size': 50,
      'batch.linger.ms': 20,
      'max.in.flight.records': 300,
    };
    running = await runConnector(connector);
    await receiver.waitForAccepted(10, 30_000);
    await running.stop();
    await running.done;
    const firstRun = receiver.accepted.length;
    const offsets = await committed(name, topic, partitions);
    const bodies = (): string[] => receiver!.accepted.flatMap((r) => r.body.toString().trimEnd().split('\n'));
    expect(offsets.reduce((a, b) => a + Math.max(b, 0), 0)).toBe(bodies().length);
    expect(bodies().length).toBeLessThan(produced.length);

    running = await runConnector(connector);
    await eventually(() => bodies().length >= produced.length, 60_000, 'the rest delivered after restart');
    await running.stop();
    expect(receiver.accepted.length).toBeGreaterThan(firstRun);
    expect(bodies().sort()).toEqual([...produced].sort());
    expect(await committed(name, topic, partitions)).toEqual([1000, 1000, 1000]);
  });
});

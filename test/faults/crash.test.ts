/** Crash and graceful stop of the sink process: every produced id arrives, first arrivals in partition order. */
import { describe, expect, it } from '@jest/globals';
import { bootstrap, committed, freshTopic } from '../support/harness.js';
import { connectorFile, expectDelivered, FULL, occurrences, produceIds, sleep, spawnSink, startIdReceiver, verdict, waitForDelivery } from './support/fault-kit.js';

const PARTITIONS = 6;
const MAX_IN_FLIGHT = 5000;

function connector(name: string, topic: string, url: string): Record<string, unknown> {
  return {
    name,
    topics: topic,
    'http.url': url,
    'http.authorization.type': 'none',
    'batching.enabled': true,
    'batch.max.size': 50,
    'batch.linger.ms': 20,
    'max.in.flight.records': MAX_IN_FLIGHT,
    'offset.flush.interval.ms': 200,
    // A killed member holds its partitions until its session times out: keep that short (the broker's minimum).
    'kafka.session.timeout.ms': 6000,
    'kafka.heartbeat.interval.ms': 1000,
  };
}

describe('faults: the sink process dies or is stopped', () => {
  it('crash: SIGKILL at random moments, restarted each time, loses nothing', async () => {
    const startedAt = Date.now();
    const count = FULL ? 200_000 : 20_000;
    const kills = FULL ? 10 : 3;
    const topic = await freshTopic('crash', PARTITIONS);
    const produced = await produceIds(bootstrap(), topic, count, PARTITIONS);
    // Slow enough that every planned kill lands before the records run out (a run delivers for at most ~0.75 s).
    const sink = await startIdReceiver(() => ({ status: 200, delayMs: 20 }));
    const file = connectorFile(connector(`crash_${topic}`, topic, sink.receiver.url));
    const env = { KAFKA_BOOTSTRAP_SERVERS: bootstrap() };

    let killed = 0;
    for (let run = 0; run < 3 * kills && killed < kills && sink.uniqueCount() < count; run++) {
      const proc = spawnSink(file, env);
      const before = sink.ids.length;
      // Kill at a random moment once this run delivered something (or after 15 s at most).
      for (let i = 0; i < 300 && sink.ids.length === before; i++) await sleep(50);
      await sleep(Math.random() * 750);
      proc.child.kill('SIGKILL');
      const { signal } = await proc.exited;
      if (signal === 'SIGKILL') killed += 1;
    }
    const last = spawnSink(file, env);
    await last.logged('partitions assigned', 60_000); // a SIGTERM before the handlers exist would end it by signal
    // Every id may have arrived before this process re-sent what a killed one delivered without committing:
    // stop it only once the group's committed offsets cover every record (what a user checks: lag 0).
    const spec = { name: `crash_${topic}`, topic, partitions: PARTITIONS, count };
    await waitForDelivery(sink, count, spec, 120_000);
    last.child.kill('SIGTERM');
    const exit = await last.exited;
    await sink.receiver.close();

    // A kill re-sends what the killed process had read and not yet committed. At max.in.flight.records it reads one
    // record per poll up to 1.5 x bound, then pauses; the poll that crossed the bound adds up to min(1000, bound): < 2 x bound.
    // One process runs at a time, so no live member re-sends anything on a rebalance.
    await expectDelivered(verdict(produced, sink.ids), { scenario: 'crash', startedAt, maxDuplicates: killed * 2 * MAX_IN_FLIGHT, committed: spec, extra: `kills=${killed}` });
    expect({ killed, exit: exit.code }).toEqual({ killed: kills, exit: 0 });
    expect(exit.stderr).toContain('pipeline stopped cleanly');
  });

  it('crash with tasks.max=3: random tasks SIGKILLed mid-flow, restarted by run, lose nothing', async () => {
    const startedAt = Date.now();
    const count = FULL ? 200_000 : 20_000;
    const kills = FULL ? 10 : 3;
    const topic = await freshTopic('crash3', PARTITIONS);
    const produced = await produceIds(bootstrap(), topic, count, PARTITIONS);
    const sink = await startIdReceiver(() => ({ status: 200, delayMs: 10 }));
    const spec = { name: `crash3_${topic}`, topic, partitions: PARTITIONS, count };
    const file = connectorFile({ ...connector(spec.name, topic, sink.receiver.url), 'tasks.max': 3 });
    const run = spawnSink(file, { KAFKA_BOOTSTRAP_SERVERS: bootstrap(), LOG_FORMAT: 'json' });
    const taskPids = (): number[] => [...run.output().matchAll(/"message":"task started".*?"pid":(\d+)/g)].map((m) => Number(m[1]));

    let killed = 0;
    for (let round = 0; round < 3 * kills && killed < kills && sink.uniqueCount() < count; round++) {
      const before = sink.ids.length;
      for (let i = 0; i < 300 && sink.ids.length === before; i++) await sleep(50);
      await sleep(Math.random() * 1500);
      const pids = taskPids();
      const started = pids.length;
      try {
        process.kill(pids[Math.floor(Math.random() * 3) + Math.max(0, started - 3)]!, 'SIGKILL'); // one of the live three
        killed += 1;
      } catch {
        continue; // that task had ended already
      }
      for (let i = 0; i < 200 && taskPids().length === started; i++) await sleep(50); // restarted after its backoff
    }
    await waitForDelivery(sink, count, spec, 120_000);
    run.child.kill('SIGTERM');
    const exit = await run.exited;
    await sink.receiver.close();

    // Each kill re-sends what that task had read and not committed (< 2 x bound, as above); the others re-send nothing.
    await expectDelivered(verdict(produced, sink.ids), { scenario: 'crash tasks.max=3', startedAt, maxDuplicates: killed * 2 * MAX_IN_FLIGHT, committed: spec, extra: `kills=${killed}` });
    expect(exit.code).toBe(0);
    expect(killed).toBeGreaterThanOrEqual(1); // three tasks may deliver everything before every planned kill
    expect(occurrences(exit.stderr, 'task died')).toBe(killed);
  });

  it('graceful stop: SIGTERM mid-flow commits what was delivered, exits 0, and the restart re-sends nothing', async () => {
    const startedAt = Date.now();
    const count = FULL ? 50_000 : 10_000;
    const topic = await freshTopic('sigterm', PARTITIONS);
    const produced = await produceIds(bootstrap(), topic, count, PARTITIONS);
    const sink = await startIdReceiver(() => ({ status: 200, delayMs: 10 }));
    const file = connectorFile(connector(`sigterm_${topic}`, topic, sink.receiver.url));
    const env = { KAFKA_BOOTSTRAP_SERVERS: bootstrap() };

    const first = spawnSink(file, env);
    for (let i = 0; i < 300 && sink.ids.length < count / 5; i++) await sleep(50);
    first.child.kill('SIGTERM');
    const stopped = await first.exited;
    const deliveredBeforeStop = sink.ids.length;
    const committedAtStop = (await committed(`sigterm_${topic}`, topic, PARTITIONS)).reduce((a, b) => a + Math.max(0, b), 0);

    const second = spawnSink(file, env);
    await second.logged('partitions assigned', 60_000);
    await waitForDelivery(sink, count, { name: `sigterm_${topic}`, topic, partitions: PARTITIONS, count }, 60_000);
    second.child.kill('SIGTERM');
    await second.exited;
    await sink.receiver.close();

    // A graceful stop drains and commits what it delivered: the restart re-sends nothing, so no duplicate at all.
    await expectDelivered(verdict(produced, sink.ids), {
      scenario: 'graceful-stop',
      startedAt,
      maxDuplicates: 0,
      committed: { name: `sigterm_${topic}`, topic, partitions: PARTITIONS, count },
      extra: `deliveredBeforeStop=${deliveredBeforeStop} committedAtStop=${committedAtStop}`,
    });
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain('pipeline stopped cleanly');
    expect(deliveredBeforeStop).toBeLessThan(count);
    expect(committedAtStop).toBe(deliveredBeforeStop);
  });
});

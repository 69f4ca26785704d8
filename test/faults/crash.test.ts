/** Crash and graceful stop of the sink process: every produced id arrives, first arrivals in partition order. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { bootstrap, committed, freshTopic } from '../support/harness.js';
import { connectorFile, expectDelivered, FULL, occurrences, produceIds, sleep, spawnSink, startIdReceiver, verdict, waitForDelivery } from './support/fault-kit.js';

const PARTITIONS = 6;
/** Small against the records, so that the duplicates a kill may cause by design (< 2 x this) bound something. */
const MAX_IN_FLIGHT = 300;
/** Task processes of the tasks.max test. */
const TASKS = 3;

/** The parent pid of a live process (from /proc), or undefined when there is none by that pid. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * The task processes `run` (pid `parent`) started and has not reported dead, by its JSON log lines ("task started"
 * with task and pid, "task died" with task), each checked to be a live child of `parent` now: a pid that ended (and
 * might be reused by another process) is never a victim.
 */
function liveTasks(output: string, parent: number): number[] {
  const alive = new Map<number, number>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { message?: string; task?: number; pid?: number };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (entry.message === 'task started' && entry.task !== undefined && entry.pid !== undefined) alive.set(entry.task, entry.pid);
    else if (entry.message?.startsWith('task died') && entry.task !== undefined) alive.delete(entry.task);
  }
  return [...alive.values()].filter((pid) => parentOf(pid) === parent);
}

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
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL'); // only the live process it started
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
    expect(killed).toBeGreaterThanOrEqual(1); // the scenario happened (records may run out before every planned kill)
    await expectDelivered(verdict(produced, sink.ids), { scenario: 'crash', startedAt, maxDuplicates: killed * 2 * MAX_IN_FLIGHT, committed: spec, extra: `kills=${killed}` });
    expect(exit.code).toBe(0);
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
    const file = connectorFile({ ...connector(spec.name, topic, sink.receiver.url), 'tasks.max': TASKS });
    const run = spawnSink(file, { KAFKA_BOOTSTRAP_SERVERS: bootstrap(), LOG_FORMAT: 'json' });
    const live = (): number[] => liveTasks(run.output(), run.child.pid!);

    let killed = 0;
    for (let round = 0; round < 3 * kills && killed < kills && sink.uniqueCount() < count; round++) {
      const before = sink.ids.length;
      for (let i = 0; i < 300 && sink.ids.length === before; i++) await sleep(50);
      await sleep(Math.random() * 1500);
      const victims = live();
      if (victims.length === 0) continue;
      const victim = victims[Math.floor(Math.random() * victims.length)]!;
      process.kill(victim, 'SIGKILL'); // a live child of run that it tracks as running
      killed += 1;
      // its death reported and the task restarted (after its backoff): TASKS live tasks again, the victim not among them
      for (let i = 0; i < 200 && (live().length < TASKS || live().includes(victim)); i++) await sleep(50);
    }
    await waitForDelivery(sink, count, spec, 120_000);
    run.child.kill('SIGTERM');
    const exit = await run.exited;
    await sink.receiver.close();

    // Each kill re-sends what the killed task had read and not committed (< 2 x bound, as above). It also causes two
    // rebalances (its partitions move away, then back once it restarted); at each, every task's records read but not
    // yet delivered from partitions it loses are read again by their new owner: < 2 x bound per task and rebalance.
    expect(killed).toBeGreaterThanOrEqual(1); // three tasks may deliver everything before every planned kill
    const perKill = (1 + 2 * TASKS) * 2 * MAX_IN_FLIGHT;
    await expectDelivered(verdict(produced, sink.ids), { scenario: 'crash tasks.max=3', startedAt, maxDuplicates: killed * perKill, committed: spec, extra: `kills=${killed}` });
    expect(exit.code).toBe(0);
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

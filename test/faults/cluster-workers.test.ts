/**
 * Three worker processes share one `group.id` on a broker of their own. Two creates of one connector name reach two
 * workers at once; records flow; one worker is SIGKILLed, another SIGSTOPped for longer than the group's session
 * timeout and then continued (a zombie that must not run the tasks it no longer owns); the broker restarts; the
 * connector is paused and resumed. Asserted: one 201 and one 409; every record delivered (lost 0), first arrivals
 * in partition order, duplicates within the members' in-flight windows; at every sampled moment each task has at
 * most one worker that says it runs it (each worker asked for its own tasks), and after each fault every task
 * runs again on a live worker; the config topic never holds the secret the config references.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { freePort, type LocalBroker, startLocalBroker } from '../../src/cli/local-broker.js';
import { connectProducer, createTopic, readTopic } from '../support/kafka-tools.js';
import { eventually } from '../support/harness.js';
import { call } from '../support/worker-client.js';
import { clusterKeys } from '../support/worker-cluster.js';
import { children, doubleOwners, sampleOwnership, spawnWorker, tasksRunning, type WorkerProcess } from './support/cluster-kit.js';
import { expectDelivered, FULL, sleep, startIdReceiver, verdict, waitForDelivery } from './support/fault-kit.js';

const PARTITIONS = 6;
const TASKS = 3;
const COUNT = FULL ? 60_000 : 20_000;
const MAX_IN_FLIGHT = 300;
/** The workers' group: the broker's smallest session (group.min.session.timeout.ms), a third of it between heartbeats. */
const SESSION_TIMEOUT_MS = 6000;
const LIMIT_MS = FULL ? 900_000 : 400_000;
const SECRET = `token-${randomBytes(6).toString('hex')}`;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Appends `count` id records over the partitions (ids continue `produced`'s sequences). */
async function produceMore(bootstrap: string, produced: { byPartition: string[][]; total: number }, topic: string, count: number): Promise<void> {
  const producer = await connectProducer(bootstrap);
  try {
    const records = [];
    for (let i = 0; i < count; i++) {
      const partition = (produced.total + i) % PARTITIONS;
      const id = `${partition}-${produced.byPartition[partition]!.length}`;
      produced.byPartition[partition]!.push(id);
      records.push({ key: String(i % 97), value: JSON.stringify({ id, metric: 'Temperature', measurement: i % 40 }), partition });
    }
    await producer.send(topic, records);
    produced.total += count;
  } finally {
    await producer.close();
  }
}

/** The tasks each worker says it runs itself (its metrics); a worker that does not answer runs none as far as we know. */
async function ownTasks(workers: readonly WorkerProcess[], name: string): Promise<number[][]> {
  return Promise.all(
    workers.map(async (w) => {
      try {
        return tasksRunning((await call(w.url, 'GET', '/metrics')).text, name);
      } catch {
        return [];
      }
    }),
  );
}

/** Every task PAUSED on the worker that runs it (once), and none of them with records in flight (read, not yet committed). */
async function heldAndDrained(workers: readonly WorkerProcess[], name: string): Promise<boolean> {
  const texts = await Promise.all(workers.map((w) => call(w.url, 'GET', '/metrics').then((a) => a.text, () => '')));
  const held: number[] = [];
  for (const text of texts) {
    const own = [...text.matchAll(new RegExp(`^kafka_http_sink_task_state\\{connector="${name}",task="(\\d+)",state="PAUSED"\\} 1$`, 'gm'))].map((m) => m[1]!);
    const inFlight = (task: string): number => Number(new RegExp(`^kafka_http_sink_records_in_flight\\{connector="${name}",task="${task}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
    if (!own.every((task) => inFlight(task) === 0)) return false;
    held.push(...own.map(Number));
  }
  return held.sort().join() === Array.from({ length: TASKS }, (_, t) => t).join();
}

/** Waits until the live workers run every task of the connector exactly once between them; returns how long it took. */
async function everyTaskRuns(workers: readonly WorkerProcess[], name: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let last: number[][] = [];
  try {
    await eventually(
      async () => {
        last = await ownTasks(workers, name);
        return last.flat().sort().join() === Array.from({ length: TASKS }, (_, t) => t).join();
      },
      timeoutMs,
      `the live workers to run tasks 0..${TASKS - 1} once each`,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last: ${JSON.stringify(last)}`);
  }
  return Date.now() - started;
}

describe('faults: a cluster of worker processes', () => {
  it('two creates at once, SIGKILL, SIGSTOP past the session, a broker restart: one owner per task, nothing lost', async () => {
    const startedAt = Date.now();
    const id = randomBytes(4).toString('hex');
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'cluster-broker-'));
    let broker: LocalBroker = await startLocalBroker({ port, dataDir });
    const bootstrap = broker.bootstrap;
    const topic = `cluster_workers_${id}`;
    const name = `cluster_workers_${id}`;
    await createTopic(bootstrap, topic, PARTITIONS);
    const sink = await startIdReceiver(() => ({ status: 200, delayMs: 10 }));
    const properties = clusterKeys(id, {
      'bootstrap.servers': bootstrap,
      'session.timeout.ms': String(SESSION_TIMEOUT_MS),
      'rebalance.timeout.ms': '20000',
      'task.slots': '6',
    });
    const env = { KAFKA_BOOTSTRAP_SERVERS: bootstrap, SERVER_URL: sink.receiver.url, API_TOKEN: SECRET, WORKER_CONFIG_PROVIDERS: 'env', WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN: 'SERVER_URL|API_TOKEN' };
    const seed = JSON.parse(readFileSync('pipelines/iot_measurements_sink.json', 'utf8')) as Record<string, unknown>;
    const connector = {
      ...seed,
      name,
      topics: topic,
      'tasks.max': String(TASKS),
      'http.headers.additional': 'X-Api-Token:${env:API_TOKEN}',
      'batching.enabled': 'true',
      'batch.max.size': '50',
      'max.in.flight.records': String(MAX_IN_FLIGHT),
      'offset.flush.interval.ms': '200',
      // a killed or stopped worker's task consumers hold their partitions until their own session times out
      'kafka.session.timeout.ms': '6000',
      'kafka.heartbeat.interval.ms': '1000',
    };
    const produced: { byPartition: string[][]; total: number } = { byPartition: Array.from({ length: PARTITIONS }, () => []), total: 0 };
    const settled: Record<string, number> = {};

    const workers = await Promise.all([spawnWorker(properties, env, LIMIT_MS), spawnWorker(properties, env, LIMIT_MS), spawnWorker(properties, env, LIMIT_MS)]);
    const [w1, w2, w3] = workers as [WorkerProcess, WorkerProcess, WorkerProcess];
    for (const w of workers) await eventually(async () => (await call(w.url, 'GET', '/ready')).status === 200, 30_000, `${w.url} ready`);
    const sampler = sampleOwnership(() => workers, name);

    // two creates of one name at once, on two workers: one wins, the other is told it exists
    const creates = await Promise.all([w1, w3].map((w, i) => call(w.url, 'POST', '/connectors', { ...connector, 'batch.max.size': String(50 + i) })));
    expect(creates.map((a) => a.status).sort()).toEqual([201, 409]);
    settled.created = await everyTaskRuns(workers, name, 30_000);

    const step = Math.floor(COUNT / 4);
    await produceMore(bootstrap, produced, topic, step);
    await eventually(() => sink.uniqueCount() >= step / 10, 60_000, 'the first records');
    // SIGKILL a worker that runs a task, mid-flow
    const [victim] = (await ownTasks(workers, name)).flatMap((tasks, i) => (tasks.length > 0 && workers[i] !== w1 ? [workers[i]!] : []));
    const killed = victim ?? w2;
    const deliveredAtKill = sink.uniqueCount();
    killed.child.kill('SIGKILL');
    const alive = workers.filter((w) => w !== killed);
    await produceMore(bootstrap, produced, topic, step);
    settled.afterKill = await everyTaskRuns(alive, name, SESSION_TIMEOUT_MS + 30_000);

    // SIGSTOP a live worker that runs a task for longer than the session; its tasks move; then it wakes up
    const owners = await ownTasks(alive, name);
    const sleeper = alive.find((_, i) => owners[i]!.length > 0) ?? alive[0]!;
    const awake = alive.filter((w) => w !== sleeper);
    sleeper.child.kill('SIGSTOP');
    const stoppedAt = Date.now();
    await produceMore(bootstrap, produced, topic, step);
    settled.afterStop = await everyTaskRuns(awake, name, SESSION_TIMEOUT_MS + 30_000);
    await sleep(Math.max(0, stoppedAt + SESSION_TIMEOUT_MS + 4000 - Date.now()));
    sleeper.child.kill('SIGCONT');
    settled.afterWake = await everyTaskRuns(alive, name, 30_000);

    // the broker restarts under the cluster
    await broker.stop();
    await sleep(3000);
    broker = await startLocalBroker({ port, dataDir });
    await produceMore(bootstrap, produced, topic, COUNT - produced.total);
    settled.afterBrokerRestart = await everyTaskRuns(alive, name, 90_000);

    // pause and resume through the worker that slept: nothing is delivered while paused
    expect((await call(sleeper.url, 'PUT', `/connectors/${name}/pause`)).status).toBe(202);
    // paused once every task holds its partitions (its worker reads the config topic: late on a loaded machine) and
    // what it had read is delivered and committed (nothing in flight): a fixed wait could end before either
    await eventually(async () => (await heldAndDrained(alive, name)) && (await call(w1.url, 'GET', `/connectors/${name}/status`)).text.includes('"PAUSED"'), 30_000, 'every task paused, nothing in flight');
    // A task that lost partitions in a rebalance as the pause spread (the broker had just restarted) forgets their
    // records (in flight 0) but still delivers what it had read before: wait for a quiet second (bounded), then
    // nothing may arrive. A source that kept reading while paused never goes quiet, or fails the check after.
    let seen = sink.uniqueCount();
    let quietSince = Date.now();
    await eventually(() => {
      if (sink.uniqueCount() !== seen) [seen, quietSince] = [sink.uniqueCount(), Date.now()];
      return Date.now() - quietSince >= 1000;
    }, 30_000, 'records read before the pause delivered');
    const paused = sink.uniqueCount();
    await sleep(1500);
    expect(sink.uniqueCount() - paused).toBe(0);
    expect((await call(awake[0]!.url, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);

    const committed = { name, topic, partitions: PARTITIONS, count: COUNT, bootstrap };
    await waitForDelivery(sink, COUNT, committed, FULL ? 600_000 : 180_000);
    const samples = (await sampler.stop()).filter((s) => !(s.worker === sleeper.url && s.sentAt < stoppedAt && s.receivedAt > stoppedAt)); // asked before the stop: its claim may date from then
    const sleeperAfterWake = samples.filter((s) => s.worker === sleeper.url && s.sentAt > stoppedAt);

    // The config topic, read with a plain consumer: the reference is there, the secret it resolves to never.
    const configText = (await readTopic(bootstrap, `connect-configs-${id}`, 1)).map((r) => `${r.key?.toString()}=${r.value?.toString()}`).join('\n');
    expect(configText).toContain('${env:API_TOKEN}');
    expect(configText).not.toContain(SECRET);
    expect(sink.receiver.accepted.some((r) => r.headers['x-api-token'] === SECRET)).toBe(true);

    for (const w of alive) w.child.kill('SIGTERM');
    await Promise.all(alive.map((w) => new Promise((resolve) => (w.child.exitCode !== null ? resolve(undefined) : w.child.once('exit', resolve)))));
    // Each fault (kill, stop, wake, broker restart) can make every task that loses its partitions re-send its
    // uncommitted window (< 2 x max.in.flight.records, see test/faults/cluster.test.ts).
    const maxDuplicates = 4 * TASKS * 2 * MAX_IN_FLIGHT;
    await expectDelivered(verdict(produced, sink.ids), {
      scenario: 'cluster-workers',
      startedAt,
      maxDuplicates,
      committed,
      extra: `samples=${samples.length} sleeperSamplesAfterWake=${sleeperAfterWake.length} settledMs=${JSON.stringify(settled)} deliveredAtKill=${deliveredAtKill}`,
    });
    expect(doubleOwners(samples)).toEqual([]);
    expect(sleeperAfterWake.length).toBeGreaterThan(0); // the zombie was asked, and answered
    await sink.receiver.close();
    await broker.stop();
  }, LIMIT_MS);
});

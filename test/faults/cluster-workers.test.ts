/**
 * Three worker processes share one `group.id` (cluster mode: config and status topics on the broker). A connector
 * created on worker 1 runs on the cluster while records flow; worker 2 is SIGKILLed, worker 4 joins, the connector
 * is paused and resumed through worker 3, deleted and re-created through worker 1. Nothing may be lost, first
 * arrivals keep partition order, duplicates stay within the members' in-flight windows, every worker reports the
 * same task states within the session timeout, and the config topic never holds the secret the config references.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { connectProducer, createTopic, readTopic } from '../support/kafka-tools.js';
import { bootstrap, eventually } from '../support/harness.js';
import { call } from '../support/worker-client.js';
import { expectDelivered, FULL, sleep, startIdReceiver, verdict, waitForDelivery } from './support/fault-kit.js';

const PARTITIONS = 6;
const COUNT = FULL ? 60_000 : 20_000;
const MAX_IN_FLIGHT = 300;
const SESSION_TIMEOUT_MS = 3000;
const SECRET = `token-${randomBytes(6).toString('hex')}`;

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
}

const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** `kafka-http-sink worker <file>` as a child process; resolves with its REST URL once it listens. */
async function spawnWorker(properties: Record<string, string>, env: Record<string, string>): Promise<WorkerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-worker-'));
  const file = join(dir, 'worker.properties');
  writeFileSync(file, Object.entries({ ...properties, 'rest.port': '0' }).map(([k, v]) => `${k}=${v}`).join('\n'));
  const child = spawn(process.execPath, ['bin/kafka-http-sink.mjs', 'worker', file, '--no-pipelines', '--state-dir', join(dir, 'state')], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const limit = setTimeout(() => child.kill('SIGKILL'), FULL ? 900_000 : 300_000);
  child.on('exit', () => clearTimeout(limit));
  let stdout = '';
  let stderr = '';
  const logFile = process.env.FAULT_LOG_DIR ? join(process.env.FAULT_LOG_DIR, `worker-${child.pid}.log`) : undefined;
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (logFile) appendFileSync(logFile, chunk);
  });
  for (let waited = 0; ; waited += 50) {
    const url = /worker listening on (http:\/\/\S+) /.exec(stdout)?.[1];
    if (url) return { child, url, output: () => stderr };
    if (waited > 60_000 || child.exitCode !== null) throw new Error(`the worker did not start; it said:\n${stderr}`);
    await sleep(50);
  }
}

/** Appends `count` id records over the partitions (ids continue `produced`'s sequences). */
async function produceMore(produced: { byPartition: string[][]; total: number }, topic: string, count: number): Promise<void> {
  const producer = await connectProducer(bootstrap());
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

interface Status {
  connector: { state: string };
  tasks: { id: number; state: string; worker_id: string }[];
}

async function statusOn(url: string, name: string): Promise<Status | undefined> {
  try {
    const answer = await call(url, 'GET', `/connectors/${name}/status`);
    return answer.status === 200 ? (answer.body as Status) : undefined;
  } catch {
    return undefined;
  }
}

/** `kafka_http_sink_records_in_flight` of `connector` on one worker, by its `task` label (empty when it runs none). */
async function inFlightOn(url: string, connector: string): Promise<Map<string, number>> {
  const text = (await call(url, 'GET', '/metrics')).text;
  const pattern = new RegExp(`^kafka_http_sink_records_in_flight\\{connector="${connector}",task="(\\d+)"\\} (\\d+)$`, 'gm');
  return new Map([...text.matchAll(pattern)].map((m) => [m[1]!, Number(m[2])]));
}

/**
 * Waits until every worker answers the same task list, in which the live workers hold `tasks` tasks, all `state`,
 * and a dead worker's task (if still listed) is UNASSIGNED, never RUNNING; returns how long that took (ms).
 */
async function statusAgrees(workers: readonly WorkerProcess[], name: string, state: string, tasks: number): Promise<number> {
  const started = Date.now();
  const live = new Set(workers.map((w) => new URL(w.url).host));
  let last = '';
  try {
    await eventually(
      async () => {
        const views = await Promise.all(workers.map(async (w) => JSON.stringify((await statusOn(w.url, name))?.tasks ?? null)));
        last = views.join('\n');
        const seen = JSON.parse(views[0]!) as Status['tasks'] | null;
        if (seen === null || !views.every((v) => v === views[0])) return false;
        const held = seen.filter((t) => live.has(t.worker_id));
        return held.length === tasks && held.every((t) => t.state === state) && seen.every((t) => live.has(t.worker_id) || t.state === 'UNASSIGNED');
      },
      SESSION_TIMEOUT_MS + 12_000,
      `every worker to show ${tasks} task(s) ${state} on live workers`,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last views:\n${last}`);
  }
  return Date.now() - started;
}

describe('faults: a cluster of worker processes', () => {
  it('kill, join, pause/resume and delete/re-create across workers: nothing lost, order kept, status agrees', async () => {
    const startedAt = Date.now();
    const id = randomBytes(4).toString('hex');
    const topic = `cluster_workers_${id}`;
    const name = `cluster_workers_${id}`;
    await createTopic(bootstrap(), topic, PARTITIONS);
    const sink = await startIdReceiver(() => ({ status: 200, delayMs: 10 }));
    const properties = {
      'group.id': `workers-${id}`,
      'bootstrap.servers': bootstrap(),
      'config.storage.topic': `connect-configs-${id}`,
      'status.storage.topic': `connect-status-${id}`,
      'offset.storage.topic': `connect-offsets-${id}`,
      'config.storage.replication.factor': '1',
      'status.storage.replication.factor': '1',
      'heartbeat.interval.ms': '300',
      'session.timeout.ms': String(SESSION_TIMEOUT_MS),
    };
    const env = { KAFKA_BOOTSTRAP_SERVERS: bootstrap(), SERVER_URL: sink.receiver.url, API_TOKEN: SECRET, WORKER_CONFIG_PROVIDERS: 'env', WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN: 'SERVER_URL|API_TOKEN' };
    const seed = JSON.parse(readFileSync('pipelines/iot_measurements_sink.json', 'utf8')) as Record<string, unknown>;
    const connector = {
      ...seed,
      name,
      topics: topic,
      'tasks.max': '3',
      'http.headers.additional': 'X-Api-Token:${env:API_TOKEN}',
      'batching.enabled': 'true',
      'batch.max.size': '50',
      'max.in.flight.records': String(MAX_IN_FLIGHT),
      'offset.flush.interval.ms': '200',
      // the killed worker's consumer holds its partitions until its group session times out: the broker's minimum
      'kafka.session.timeout.ms': '6000',
      'kafka.heartbeat.interval.ms': '1000',
    };
    const produced: { byPartition: string[][]; total: number } = { byPartition: Array.from({ length: PARTITIONS }, () => []), total: 0 };
    const agreement: number[] = [];

    const [w1, w2, w3] = await Promise.all([spawnWorker(properties, env), spawnWorker(properties, env), spawnWorker(properties, env)]);
    expect((await call(w1.url, 'POST', '/connectors', connector)).status).toBe(201);
    agreement.push(await statusAgrees([w1, w2, w3], name, 'RUNNING', 3));

    const step = Math.floor(COUNT / 4);
    await produceMore(produced, topic, step);
    await eventually(() => sink.uniqueCount() >= step / 10, 60_000, 'the first records');
    // mid-flow for worker 2: it holds records read and not yet committed when it dies
    await eventually(async () => [...(await inFlightOn(w2.url, name)).values()].some((n) => n > 0), 30_000, 'records in flight on worker 2');
    // its metrics carry its task id: its rank among the workers running the connector, as the status shows it
    const w2Task = (await statusOn(w2.url, name))?.tasks.find((t) => t.worker_id === new URL(w2.url).host)?.id;
    expect([...(await inFlightOn(w2.url, name)).keys()]).toEqual([String(w2Task)]);
    const deliveredAtKill = sink.uniqueCount();
    w2.child.kill('SIGKILL');
    expect(deliveredAtKill).toBeLessThan(produced.total);
    await produceMore(produced, topic, step);
    // worker 2's heartbeat stops: its task goes UNASSIGNED, then only the live workers' tasks remain RUNNING
    agreement.push(await statusAgrees([w1, w3], name, 'RUNNING', 2));

    const w4 = await spawnWorker(properties, env);
    agreement.push(await statusAgrees([w1, w3, w4], name, 'RUNNING', 3));
    await produceMore(produced, topic, step);

    expect((await call(w3.url, 'PUT', `/connectors/${name}/pause`)).status).toBe(202);
    agreement.push(await statusAgrees([w1, w3, w4], name, 'PAUSED', 3));
    await sleep(500); // requests already sent finish
    const paused = sink.uniqueCount();
    await sleep(1500);
    expect({ deliveredWhilePaused: sink.uniqueCount() - paused, left: produced.total - paused > 0 }).toEqual({ deliveredWhilePaused: 0, left: true });
    expect((await call(w3.url, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    agreement.push(await statusAgrees([w1, w3, w4], name, 'RUNNING', 3));

    expect((await call(w1.url, 'DELETE', `/connectors/${name}`)).status).toBe(204);
    await eventually(async () => (await Promise.all([w1, w3, w4].map((w) => call(w.url, 'GET', `/connectors/${name}`)))).every((a) => a.status === 404), 15_000, 'deleted on every worker');
    await produceMore(produced, topic, COUNT - produced.total);
    expect((await call(w1.url, 'POST', '/connectors', connector)).status).toBe(201);
    agreement.push(await statusAgrees([w1, w3, w4], name, 'RUNNING', 3));

    const committed = { name, topic, partitions: PARTITIONS, count: COUNT };
    await waitForDelivery(sink, COUNT, committed, FULL ? 600_000 : 120_000);

    // The config topic, read with a plain consumer: the reference is there, the secret it resolves to never.
    const configRecords = await readTopic(bootstrap(), `connect-configs-${id}`, 1);
    const configText = configRecords.map((r) => `${r.key?.toString()}=${r.value?.toString()}`).join('\n');
    expect(configText).toContain('${env:API_TOKEN}');
    expect(configText).not.toContain(SECRET);
    expect(sink.receiver.accepted.some((r) => r.headers['x-api-token'] === SECRET)).toBe(true);

    // Each membership change (the kill, the join, the delete's graceful stop) can make every member that loses
    // partitions re-send its uncommitted window (< 2 x max.in.flight.records, see test/faults/cluster.test.ts).
    const maxDuplicates = 3 * 3 * 2 * MAX_IN_FLIGHT;
    for (const w of [w1, w3, w4]) w.child.kill('SIGTERM');
    await Promise.all([w1, w3, w4].map((w) => new Promise((resolve) => (w.child.exitCode !== null ? resolve(undefined) : w.child.once('exit', resolve)))));
    await expectDelivered(verdict(produced, sink.ids), {
      scenario: 'cluster-workers',
      startedAt,
      maxDuplicates,
      committed,
      extra: `statusAgreedWithinMs=${Math.max(...agreement)} deliveredAtKill=${deliveredAtKill}`,
    });
    expect(Math.max(...agreement)).toBeLessThanOrEqual(SESSION_TIMEOUT_MS + 12_000);
    await sink.receiver.close();
  }, FULL ? 900_000 : 300_000);
});

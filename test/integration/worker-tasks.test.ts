/**
 * `tasks.max=2` in a standalone worker: two task processes in the connector's group share a 4-partition topic; one
 * is SIGKILLed and restarted with backoff (FAILED meanwhile, nothing lost); pause, resume and a task restart reach
 * the processes; DELETE stops both and leaves no process behind. The metrics carry each task's label.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { TRUSTED_PROVIDERS } from '../../src/common/config/providers.js';
import { connectorSettings } from '../../src/connector/connector-config.js';
import type { PipelineObserver } from '../../src/connector/observe.js';
import { startTaskProcesses } from '../../src/worker/task-processes.js';
import { baseConnector, bootstrap, captureLog, committed, eventually, freshTopic } from '../support/harness.js';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { call, closeAfterEach, startTestWorker } from '../support/worker-client.js';
import type { Worker } from '../../src/worker/worker.js';

const PARTITIONS = 4;
const PER_PARTITION = 50;
/**
 * When a killed task comes back. Long enough for its session to expire (6 s), the group to give task 0 its partitions
 * and task 0 to deliver what was produced meanwhile on a loaded machine: every check of "task 1 FAILED, task 0 alone"
 * ends before it (see `beforeRestart`).
 */
const RESTART_BACKOFF_MS = 30_000;

interface Status {
  connector: { state: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
}

/** `p<partition>-<n>` values, n counting from `from` within each partition. */
function records(from: number, count: number): { key: string; value: string; partition: number }[] {
  return Array.from({ length: PARTITIONS * count }, (_, i) => ({ key: `k${i % PARTITIONS}`, value: `p${i % PARTITIONS}-${from + Math.floor(i / PARTITIONS)}`, partition: i % PARTITIONS }));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let worker: Worker | undefined;
let receiver: Receiver | undefined;
closeAfterEach(() => [worker, receiver], () => (worker = receiver = undefined));

describe('worker: tasks.max as task processes', () => {
  it('splits the partitions over two processes, restarts a killed one, and stops both on delete', async () => {
    const topic = await freshTopic('worker_tasks', PARTITIONS);
    const name = `tasks_${topic}`;
    receiver = await startReceiver();
    // a killed task comes back after RESTART_BACKOFF_MS: long enough for its partitions to move to the other task meanwhile
    worker = await startTestWorker({}, { SERVER_URL: receiver.url, LOG_LEVEL: 'warn' }, undefined, undefined, { taskRestarts: { backoffMs: RESTART_BACKOFF_MS } });
    const url = worker.url;
    const config = { ...baseConnector(name, topic, '${env:SERVER_URL}'), 'tasks.max': '2', 'kafka.session.timeout.ms': '6000', 'kafka.heartbeat.interval.ms': '1000' };
    const created = await call(url, 'POST', '/connectors', { name, config });
    expect(created).toMatchObject({ status: 201, body: { tasks: [{ connector: name, task: 0 }, { connector: name, task: 1 }] } });

    const status = async (): Promise<Status> => (await call(url, 'GET', `/connectors/${name}/status`)).body as Status;
    const states = async (): Promise<string> => (await status()).tasks.map((t) => `${t.id}:${t.state}`).join();
    const pids = (): (number | undefined)[] => worker!.connectors.get(name).tasks().map((t) => t.pid);
    await eventually(async () => (await states()) === '0:RUNNING,1:RUNNING', 60_000, 'both tasks RUNNING');
    const [pid0, pid1] = pids() as [number, number];
    expect(new Set([pid0, pid1, process.pid]).size).toBe(3);
    expect((await status()).tasks.map((t) => t.worker_id)).toEqual([new URL(url).host, new URL(url).host]);
    expect((await call(url, 'GET', `/connectors/${name}/tasks`)).body).toMatchObject([{ id: { connector: name, task: 0 } }, { id: { connector: name, task: 1 } }]);
    expect((await call(url, 'GET', `/connectors/${name}/tasks/1/status`)).body).toMatchObject({ id: 1, state: 'RUNNING' });

    // the group gave each task its own partitions (each in the lag of exactly one task, both tasks having some)
    const lagOf = new RegExp(`kafka_http_sink_consumer_lag\\{connector="${name}",task="(\\d)",topic="${topic}",partition="(\\d)"\\} \\d+`, 'g');
    const owners = async (): Promise<string[]> => [...(await call(url, 'GET', '/metrics')).text.matchAll(lagOf)].map((m) => `${m[2]}:${m[1]}`);
    await eventually(async () => {
      const seen = await owners();
      return seen.length === PARTITIONS && new Set(seen.map((o) => o.split(':')[0])).size === PARTITIONS && new Set(seen.map((o) => o.split(':')[1])).size === 2;
    }, 30_000, 'the partitions split over both tasks');

    await produce(bootstrap(), topic, records(0, PER_PARTITION));
    const delivered = (): number => new Set(receiver!.accepted.map((r) => r.body.toString())).size;
    await eventually(() => delivered() === PARTITIONS * PER_PARTITION, 40_000, 'every record delivered');
    await eventually(async () => (await committed(name, topic, PARTITIONS)).every((o) => o === PER_PARTITION), 30_000, 'offsets committed');

    // each task reports its own series: its partitions' lag, what it delivered; together all of it
    const metric = async (pattern: RegExp): Promise<Map<string, number>> => {
      const found = new Map<string, number>();
      for (const m of (await call(url, 'GET', '/metrics')).text.matchAll(pattern)) found.set(m[1]!, (found.get(m[1]!) ?? 0) + Number(m[2]));
      return found;
    };
    const deliveredBy = new RegExp(`kafka_http_sink_records_delivered_total\\{connector="${name}",task="(\\d)"\\} (\\d+)`, 'g');
    await eventually(async () => [...(await metric(deliveredBy)).values()].reduce((a, b) => a + b, 0) === PARTITIONS * PER_PARTITION, 15_000, 'delivered per task in the metrics');
    const perTask = await metric(deliveredBy);
    expect([...perTask.keys()].sort()).toEqual(['0', '1']);
    expect([...perTask.values()].every((n) => n > 0)).toBe(true);
    expect((await call(url, 'GET', '/metrics')).text).toMatch(new RegExp(`kafka_http_sink_task_state\\{connector="${name}",task="1",state="RUNNING"\\} 1`));
    const card = ((await call(url, 'GET', '/ui/state')).body as { connectors: { name: string; delivered: number }[] }).connectors.find((c) => c.name === name);
    expect(card?.delivered).toBe(PARTITIONS * PER_PARTITION); // the status page sums the tasks

    // task 1 dies without draining: FAILED with why while task 0 takes its partitions (once its session expired) and
    // delivers everything; then task 1 comes back in a new process
    process.kill(pid1, 'SIGKILL');
    // the backoff runs from the exit, which follows the kill: until then task 1 cannot be back (2 s kept for the last check)
    const killedAt = Date.now();
    const beforeRestart = (ms: number): number => Math.min(ms, killedAt + RESTART_BACKOFF_MS - 2000 - Date.now());
    await eventually(async () => (await status()).tasks[1]?.state === 'FAILED', beforeRestart(10_000), 'task 1 FAILED');
    const failed = await status();
    expect(failed.tasks[1]!.trace).toMatch(new RegExp(`exited with signal SIGKILL[\\s\\S]*restarted in ${RESTART_BACKOFF_MS} ms`));
    expect(failed.tasks[0]!.state).toBe('RUNNING');
    expect(failed.connector.state).toBe('RUNNING');
    await produce(bootstrap(), topic, records(PER_PARTITION, PER_PARTITION));
    await eventually(() => delivered() === 2 * PARTITIONS * PER_PARTITION, beforeRestart(25_000), 'every record delivered by task 0 alone');
    const allOnTask0 = Array.from({ length: PARTITIONS }, (_, p) => `${p}:0`).join();
    await eventually(async () => (await owners()).sort().join() === allOnTask0, beforeRestart(10_000), 'task 0 holding every partition');
    expect((await status()).tasks[1]!.state).toBe('FAILED');
    // back after the backoff (from the kill at most RESTART_BACKOFF_MS away), then a task process starts (tsx, a join)
    await eventually(async () => (await states()) === '0:RUNNING,1:RUNNING', RESTART_BACKOFF_MS + 30_000, 'task 1 RUNNING again');
    expect(pids()[0]).toBe(pid0);
    expect(pids()[1]).not.toBe(pid1);
    expect(alive(pid1)).toBe(false);
    await eventually(() => delivered() === 2 * PARTITIONS * PER_PARTITION, 40_000, 'every record delivered after the kill');
    await eventually(async () => (await committed(name, topic, PARTITIONS)).every((o) => o === 2 * PER_PARTITION), 30_000, 'offsets committed after the kill');
    // the restarted task's join rebalances the group: let it settle, so the pause below is not met by a new assignment
    await eventually(async () => {
      const seen = await owners();
      return seen.length === PARTITIONS && new Set(seen.map((o) => o.split(':')[1])).size === 2;
    }, 30_000, 'the partitions split over both tasks again');

    // pause and resume reach both processes
    expect((await call(url, 'PUT', `/connectors/${name}/pause`)).status).toBe(202);
    // PAUSED once each process said its consumer holds its partitions (as Connect shows a task paused): records
    // produced from then on wait for the resume
    await eventually(async () => (await states()) === '0:PAUSED,1:PAUSED', 30_000, 'both tasks PAUSED');
    await produce(bootstrap(), topic, records(2 * PER_PARTITION, 1));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(delivered()).toBe(2 * PARTITIONS * PER_PARTITION); // paused: nothing delivered
    expect((await call(url, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await eventually(() => delivered() === (2 * PER_PARTITION + 1) * PARTITIONS, 30_000, 'delivered after resume');

    // one task restarts on its own; an unknown task is a 404
    const [before0, before1] = pids();
    expect((await call(url, 'POST', `/connectors/${name}/tasks/0/restart`)).status).toBe(204);
    expect((await call(url, 'POST', `/connectors/${name}/tasks/2/restart`)).status).toBe(404);
    await eventually(async () => pids()[0] !== undefined && pids()[0] !== before0 && (await states()) === '0:RUNNING,1:RUNNING', 60_000, 'task 0 restarted'); // a process start and a rejoin
    expect(pids()[1]).toBe(before1);

    // delete: both drain and stop before the 204, no process left
    const last = pids() as number[];
    expect((await call(url, 'DELETE', `/connectors/${name}`)).status).toBe(204);
    expect(last.filter(alive)).toEqual([]);
    expect(await committed(name, topic, PARTITIONS)).toEqual(Array(PARTITIONS).fill(2 * PER_PARTITION + 1));
    expect(receiver.accepted.length - delivered()).toBeLessThanOrEqual(2 * PARTITIONS * PER_PARTITION); // duplicates bounded; none lost (checked above)
  }, 240_000); // a task killed and brought back after RESTART_BACKOFF_MS, a restart, a pause, on a loaded machine

  it('stops every task process when the worker closes', async () => {
    const topic = await freshTopic('worker_tasks_close', 2);
    const name = `close_${topic}`;
    worker = await startTestWorker({}, { SERVER_URL: 'http://127.0.0.1:9/', LOG_LEVEL: 'warn' });
    expect((await call(worker.url, 'POST', '/connectors', { name, config: { ...baseConnector(name, topic, '${env:SERVER_URL}'), 'tasks.max': '2' } })).status).toBe(201);
    const tasks = () => worker!.connectors.get(name).tasks();
    await eventually(() => tasks().every((t) => t.state === 'RUNNING' && t.pid !== undefined), 60_000, 'both tasks RUNNING');
    const pids = tasks().map((t) => t.pid!);
    await worker.close();
    worker = undefined;
    expect(pids.filter(alive)).toEqual([]);
  });

  it('a task process whose config is refused is not restarted: the start fails with the key named', async () => {
    const connector = { ...baseConnector('refused_tasks', 'nowhere', 'http://127.0.0.1:9/'), 'tasks.max': '2' };
    const settings = connectorSettings(connector, { KAFKA_BOOTSTRAP_SERVERS: bootstrap() });
    const quiet: PipelineObserver = { read: () => undefined, requested: () => undefined, finished: () => undefined, failed: () => undefined, statistics: () => undefined, committed: () => undefined };
    const started = startTaskProcesses({
      config: { ...connector, 'http.timeout': 'soon' }, // what the task is given differs from what the worker checked
      settings,
      providers: TRUSTED_PROVIDERS,
      env: { KAFKA_BOOTSTRAP_SERVERS: bootstrap(), LOG_LEVEL: 'warn' },
      log: captureLog().log,
      observer: () => quiet,
      statisticsIntervalMs: 1000,
      held: () => false,
      backoffMs: 100,
    });
    await expect(started).rejects.toThrow(/http\.timeout[\s\S]*the task refused its config: it is not restarted/);
  });

  it('a task process stops by itself (drains, commits, exits 0) when its worker is gone', async () => {
    const topic = await freshTopic('worker_task_orphan', 1);
    const child = spawn(process.execPath, ['bin/kafka-http-sink.mjs', 'worker-task'], {
      env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: bootstrap(), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const limit = setTimeout(() => child.kill('SIGKILL'), 60_000);
    try {
      const messages: { type: string; stats?: unknown }[] = [];
      child.on('message', (m: { type: string }) => messages.push(m));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const config = baseConnector(`orphan_${topic}`, topic, 'http://127.0.0.1:9/');
      child.send({ type: 'start', taskId: 1, connector: config, policy: 'trusted', statisticsIntervalMs: 500, held: false });
      await eventually(() => messages.some((m) => m.type === 'started'), 30_000, 'the task started');
      await eventually(() => messages.some((m) => m.type === 'report' && m.stats !== undefined), 5_000, 'a report with stats');
      child.disconnect();
      expect(await exited).toBe(0);
    } finally {
      clearTimeout(limit);
    }
  });

  it('runs a .ts pipeline file of tasks.max=2 in two processes, each loading the file\'s own chain', async () => {
    const topic = await freshTopic('worker_tasks_ts', 2);
    const name = `ts_${topic}`;
    const root = mkdtempSync(join(tmpdir(), 'pipelines-'));
    writeFileSync(join(root, 'package.json'), '{"type": "module"}'); // an ES module, as in this project
    const dir = join(root, 'pipelines');
    mkdirSync(dir);
    // the file's own stage: values "skip" are dropped (and committed); the standard chain would send them
    writeFileSync(join(dir, 'skipping.ts'), `
      import { batch, commit, decode, definePipeline, filterRecords, post, report, toRequest } from ${JSON.stringify(resolve('src/index.ts'))};
      export default definePipeline({
        connector: { ...${JSON.stringify(baseConnector(name, topic, '${env:SERVER_URL}'))}, 'tasks.max': '2' },
        build: ({ config, records$, send, deadLetters, reporter }) => records$.pipe(
          decode({ ...config.decode, deadLetters }),
          filterRecords((r) => r.value !== 'skip'),
          batch(config.batch), toRequest(config.request), post({ ...config.post, send, deadLetters }), report(reporter), commit()),
      });
    `);
    receiver = await startReceiver();
    const captured = captureLog();
    worker = await startTestWorker({ pipelinesDir: dir }, { SERVER_URL: receiver.url, LOG_LEVEL: 'warn' }, captured);
    expect({ connectors: (await call(worker.url, 'GET', '/connectors')).body, log: captured.lines.filter((l) => l.includes('skipped')) }).toEqual({ connectors: [name], log: [] });
    const tasks = () => worker!.connectors.get(name).tasks();
    await eventually(() => tasks().length === 2 && tasks().every((t) => t.state === 'RUNNING' && t.pid !== undefined), 60_000, 'both tasks RUNNING');
    await produce(bootstrap(), topic, [0, 1].flatMap((partition) => [
      { key: 'a', value: `keep-${partition}`, partition },
      { key: 'b', value: 'skip', partition },
    ]));
    await eventually(async () => (await committed(name, topic, 2)).every((o) => o === 2), 30_000, 'both records of each partition committed');
    expect(receiver.accepted.map((r) => r.body.toString()).sort()).toEqual(['keep-0', 'keep-1']);
  });
});

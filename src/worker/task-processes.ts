/**
 * `tasks.max` > 1 in a standalone worker, and in `run` (cli/run-tasks.ts): one process per task (task-process.ts), each with its own consumer in the
 * connector's group, so Kafka spreads the partitions over them and every core is used. A task that dies is started
 * again after a backoff (1 s doubling to 60 s) and shows FAILED, with why, until it runs again; its partitions move
 * to the other tasks meanwhile, by the group's rebalance. A task whose config is refused is not restarted. Stopping
 * sends SIGTERM to every task (each drains and commits; never twice to one process) and SIGKILLs those still alive
 * after `shutdown.timeout.ms` plus a margin; restarting one task does the same for that task.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProviderPolicy } from '../common/config/providers.js';
import type { Logger } from '../common/log.js';
import { CONFIG_ERROR_EXIT, RestartBackoff, type RestartBackoffOptions } from '../common/task-restarts.js';
import type { ConnectorSettings } from '../connector/connector-settings.js';
import type { PipelineObserver } from '../connector/observe.js';
import type { SourceStats } from '../source/source-stats.js';
import type { WorkerClients } from '../source/worker-clients.js';
import { type RunningTasks, summedStats, type TaskState, type TaskView } from './running-tasks.js';
import { policyMessage, replay, statsFrom, taskMessage, type StartMessage } from './task-messages.js';

/** The internal command a task process runs (`kafka-http-sink worker-task`). */
export const WORKER_TASK_COMMAND = 'worker-task';
/** How long past `shutdown.timeout.ms` a stopping task may take (committing, leaving the group) before it is killed. */
const STOP_MARGIN_MS = 10_000;
/** How long the first start of the tasks is waited for before the connector counts as started anyway. */
const FIRST_START_WAIT_MS = 60_000;

export interface TaskProcessesOptions extends RestartBackoffOptions {
  /** The connector's config as given (references unresolved): each task resolves it under `providers`. */
  readonly config: Record<string, unknown>;
  /** The same config, checked by the worker (the task count, the Kafka settings, the shutdown timeout). */
  readonly settings: ConnectorSettings;
  /** A pipeline file whose `build` each task loads; absent for the standard chain. */
  readonly file?: string;
  readonly providers: ProviderPolicy;
  /** The worker file's settings for the tasks' Kafka clients and its override policy. */
  readonly clients?: WorkerClients;
  /** The tasks' environment (what `${env:...}` resolves from). */
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  readonly observer: (task: number) => PipelineObserver;
  /** A task stopped or died (the partitions it had are no longer its own). */
  readonly taskEnded?: (task: number) => void;
  /** A task died: the first line of why (the status page's last error). */
  readonly taskFailed?: (task: number, message: string) => void;
  readonly statisticsIntervalMs: number;
  /** Whether the connector is paused now: each (re)start of a task asks, so a restart never starts on a stale state. */
  readonly held: () => boolean;
  /** The winston level the connector's lines pass now (`/admin/loggers`); each (re)start of a task asks. */
  readonly logLevel?: () => string;
  /** The command line of a task process (default: this package's `kafka-http-sink worker-task`). */
  readonly command?: readonly string[];
  /** Starts a process (`child_process.spawn`; tests pass a fake). */
  readonly spawn?: typeof spawn;
}

interface Task {
  readonly id: number;
  readonly backoff: RestartBackoff;
  readonly observer: PipelineObserver;
  child: ChildProcess | undefined;
  state: TaskState;
  /** Its process's last report said the worker's pause holds its partitions (shown PAUSED only then, as Connect does). */
  holding: boolean;
  trace: string | undefined;
  /** What the task's last message said of why it failed. */
  lastError: string | undefined;
  stats: SourceStats | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Its config was refused: not restarted. */
  refused: boolean;
  /** Stopped to be started again at once (`restartTask`). */
  restarting: boolean;
  /** Started, or ended, at least once. */
  settled: boolean;
  /** The process already sent SIGTERM (it drains once; a second signal is not sent). */
  signalled: ChildProcess | undefined;
  /** SIGKILLs a restarting process that did not stop in time. */
  killer: NodeJS.Timeout | undefined;
}

export async function startTaskProcesses(options: TaskProcessesOptions): Promise<RunningTasks> {
  const { log, settings } = options;
  const command = options.command ?? [process.execPath, ...process.execArgv, fileURLToPath(new URL('../../bin/kafka-http-sink.mjs', import.meta.url)), WORKER_TASK_COMMAND];
  // the worker's environment (in tests, not this process's), and whether src/ runs through tsx
  const fromSource = process.env.KAFKA_HTTP_SINK_FROM_SOURCE;
  const env = { ...options.env, ...(fromSource === undefined ? {} : { KAFKA_HTTP_SINK_FROM_SOURCE: fromSource }) };
  const tasks: Task[] = Array.from({ length: settings.tasksMax }, (_, id) => ({
    id,
    backoff: new RestartBackoff(options),
    observer: options.observer(id),
    child: undefined,
    state: 'UNASSIGNED',
    holding: false,
    trace: undefined,
    lastError: undefined,
    stats: undefined,
    timer: undefined,
    refused: false,
    restarting: false,
    settled: false,
    signalled: undefined,
    killer: undefined,
  }));
  let stopping: Promise<void> | undefined;
  let settle!: (error?: Error) => void;
  const done = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
  done.catch(() => undefined);
  let firstStarts!: () => void;
  const started = new Promise<void>((resolve) => (firstStarts = resolve));
  const settledOne = (task: Task): void => {
    task.settled = true;
    if (tasks.every((t) => t.settled)) firstStarts();
  };
  const exitedAll = new Set<() => void>();

  const deadline = settings.shutdownTimeoutMs + STOP_MARGIN_MS;
  /** Asks a task to drain and stop, once per process (a second SIGTERM would only repeat the ask). */
  const terminate = (task: Task): void => {
    if (!task.child || task.signalled === task.child) return;
    task.signalled = task.child;
    task.child.kill('SIGTERM');
  };

  const start = (task: Task): void => {
    task.timer = undefined;
    task.backoff.started();
    task.lastError = undefined;
    task.state = 'UNASSIGNED'; // starting: no longer the last run's FAILED
    task.holding = false;
    task.trace = undefined;
    const [file, ...args] = command;
    // its own process group: a Ctrl-C in the terminal reaches the worker alone, which stops its tasks in order
    const child = (options.spawn ?? spawn)(file!, args, { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
    let warned = false;
    task.child = child;
    log.info('task started', { connector: settings.name, task: task.id, pid: child.pid });
    const message: StartMessage = { type: 'start', taskId: task.id, connector: options.config, ...(options.file === undefined ? {} : { file: options.file }), policy: policyMessage(options.providers), ...(options.clients ? { clients: options.clients } : {}), statisticsIntervalMs: options.statisticsIntervalMs, held: options.held(), ...(options.logLevel ? { logLevel: options.logLevel() } : {}) };
    child.send(message, undefined, {}, () => undefined); // a task that cannot be told dies waiting, and is restarted
    child.on('message', (raw: unknown) => {
      if (task.child !== child) return;
      const received = taskMessage(raw);
      if (received?.type === 'started') {
        task.state = 'RUNNING';
        task.trace = undefined;
        settledOne(task);
      } else if (received?.type === 'failed') task.lastError = received.error;
      else if (received?.type === 'report') {
        replay(received, task.observer);
        if (received.stats) task.stats = statsFrom(received.stats);
        task.holding = received.held === true;
      } else if (!warned) {
        warned = true; // once per process: a task cannot fill the worker's log
        log.warn('task process sent a message of unknown shape; ignored (and any more of them)', { connector: settings.name, task: task.id });
      }
    });
    child.on('error', (error) => {
      if (task.child !== child) return;
      // A process that runs (it has a pid) and did not take a signal or a message is still alive: it stays this
      // task's process until its 'exit', so no second one starts beside it.
      if (child.pid !== undefined) {
        log.warn('task process did not take a signal or message; it stays tracked until it exits', { connector: settings.name, task: task.id, pid: child.pid, error: error.message });
        return;
      }
      // A process that could not be started (EAGAIN, ENOMEM, EMFILE) goes the way of one that died.
      task.lastError = `the task process could not be started: ${error.message}`;
      child.emit('exit', null, null);
    });
    child.on('exit', (code, signal) => exited(task, child, code, signal));
  };

  const exited = (task: Task, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void => {
    if (task.child !== child) return;
    task.child = undefined;
    task.holding = false;
    clearTimeout(task.killer);
    task.killer = undefined;
    if (task.stats) task.stats = { ...task.stats, inFlight: 0 }; // what it had read is read again by whoever takes its partitions
    options.taskEnded?.(task.id);
    for (const check of exitedAll) check();
    if (stopping) {
      task.state = 'UNASSIGNED';
      log.info('task process stopped', { connector: settings.name, task: task.id, code, signal });
      return;
    }
    if (task.restarting) {
      task.restarting = false;
      task.state = 'UNASSIGNED';
      start(task);
      return;
    }
    const why = task.lastError ?? `the task process exited with ${signal ? `signal ${signal}` : `code ${String(code)}`}`;
    task.state = 'FAILED';
    if (code === CONFIG_ERROR_EXIT) {
      task.refused = true;
      task.trace = `${why}\n(the task refused its config: it is not restarted)`;
      log.error('task refused its config; not restarted', { connector: settings.name, task: task.id });
    } else {
      const delay = task.backoff.nextDelay();
      task.trace = `${why}\n(restarted in ${delay} ms; its partitions move to the other tasks meanwhile)`;
      log.warn('task died; its partitions move to the other tasks until it is restarted', { connector: settings.name, task: task.id, code, signal, restartInMs: delay });
      task.timer = setTimeout(() => start(task), delay);
    }
    options.taskFailed?.(task.id, why.split('\n')[0]!);
    settledOne(task);
    if (tasks.every((t) => t.refused)) settle(new Error(tasks[0]!.trace));
  };

  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      const check = (): void => {
        if (tasks.some((t) => t.child)) return;
        clearTimeout(killer);
        exitedAll.delete(check);
        resolve();
      };
      const killer = setTimeout(() => {
        for (const task of tasks) {
          if (!task.child) continue;
          log.warn('task process did not stop in time; killed', { connector: settings.name, task: task.id, timeoutMs: deadline });
          task.child.kill('SIGKILL');
        }
      }, deadline);
      exitedAll.add(check);
      for (const task of tasks) {
        clearTimeout(task.timer);
        task.timer = undefined;
        terminate(task);
      }
      firstStarts();
      check();
    }).then(() => settle());
    return stopping;
  };

  for (const task of tasks) start(task);
  const waited = setTimeout(firstStarts, FIRST_START_WAIT_MS);
  await started;
  clearTimeout(waited);
  if (tasks.every((t) => t.refused)) throw new Error(tasks[0]!.trace);

  return {
    rdkafka: settings.source.rdkafka,
    done,
    stop,
    stats: () => summedStats(tasks.map((t) => t.stats)),
    hold: (value) => {
      for (const task of tasks) if (task.child?.connected) task.child.send({ type: 'hold', held: value }, undefined, {}, () => undefined);
    },
    logLevel: (level) => {
      for (const task of tasks) if (task.child?.connected) task.child.send({ type: 'log-level', level }, undefined, {}, () => undefined);
    },
    tasks: () => tasks.map((t): TaskView => ({ id: t.id, state: t.state === 'RUNNING' && t.holding ? 'PAUSED' : t.state, ...(t.trace === undefined ? {} : { trace: t.trace }), ...(t.child?.pid === undefined ? {} : { pid: t.child.pid }), inFlight: t.stats?.inFlight ?? 0 })),
    restartTask: (id) => {
      const task = tasks[id];
      if (!task) return false;
      if (stopping) return true;
      if (task.child) {
        if (task.restarting) return true; // already stopping to start again
        task.restarting = true;
        terminate(task); // drains and commits, then starts again at once
        const child = task.child;
        task.killer = setTimeout(() => {
          if (task.child !== child) return;
          log.warn('task process did not stop in time to restart; killed', { connector: settings.name, task: task.id, timeoutMs: deadline });
          child.kill('SIGKILL');
        }, deadline);
      } else {
        clearTimeout(task.timer);
        task.refused = false;
        start(task);
      }
      return true;
    },
  };
}

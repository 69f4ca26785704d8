/**
 * One task of a worker's connector in its own process (`tasks.max` > 1, standalone worker): started by the worker
 * with the internal `worker-task` command and an IPC channel. It waits for its start message (the connector's
 * config, its task id, the provider policy the worker applies), runs the pipeline with that task id in the group
 * `connect-<name>`, and reports what the pipeline observes. It stops (drains, commits) when told to, on SIGINT or
 * SIGTERM (any number of times: it stops once), and when the worker is gone (the channel closed): a task never outlives its worker.
 */
import { ConfigError, errorMessage } from '../common/errors.js';
import { CONFIG_ERROR_EXIT } from '../common/task-restarts.js';
import { createLogger } from '../common/log.js';
import { connectorPipeline } from '../connector/definePipeline.js';
import { loadPipeline } from '../connector/loadPipeline.js';
import { type RunningPipeline, startPipeline } from '../connector/startPipeline.js';
import { type FromTask, MAX_TEXT, ObserverRelay, policyFrom, REPORT_INTERVAL_MS, type StartMessage, type ToTask } from './task-messages.js';

/** How long a task waits for its start message before it gives up. */
const START_TIMEOUT_MS = 30_000;

/** What a task process talks through: `process` (its IPC channel and signals); tests pass a fake. */
export interface TaskHost {
  readonly connected: boolean;
  send?: (message: FromTask, sendHandle: undefined, options: object, callback: (error: Error | null) => void) => boolean;
  disconnect(): void;
  on(event: 'message' | 'disconnect' | 'SIGINT' | 'SIGTERM', listener: (message: ToTask) => void): unknown;
  once(event: 'disconnect', listener: () => void): unknown;
  off(event: 'message' | 'disconnect', listener: (message: ToTask) => void): unknown;
}

export async function runWorkerTask(host: TaskHost = process as unknown as TaskHost, start: typeof startPipeline = startPipeline): Promise<number> {
  if (!host.send || !host.connected) {
    process.stderr.write('worker-task is internal: the worker starts it for a connector of tasks.max > 1\n');
    return CONFIG_ERROR_EXIT;
  }
  /** Resolves once the message was written (or could not be: the worker may be gone). */
  const send = (message: FromTask): Promise<void> =>
    new Promise((resolve) => {
      if (!host.connected || !host.send) resolve();
      else host.send(message, undefined, {}, () => resolve());
    });
  const base = createLogger();
  let log = base;
  /** `/admin/loggers` on the worker: this task logs at its connector's level ('off': nothing). */
  const setLevel = (level: unknown): void => {
    if (typeof level !== 'string' || (level !== 'off' && base.levels[level] === undefined)) return;
    base.silent = level === 'off';
    if (level !== 'off') base.level = level;
  };
  let running: RunningPipeline | undefined;
  /** Whether the worker wants the task paused: the start message's, then each hold's (kept while the pipeline starts). */
  let held = false;
  let stopRequested = false;
  /** Sends a report now (once the pipeline reports): the worker learns at once that a hold took or was lifted. */
  let reportNow = (): void => undefined;
  const stop = (why: string): void => {
    if (stopRequested) return; // a second signal (the worker's, after systemd's to the group) changes nothing
    stopRequested = true;
    log.info(`stopping task: ${why}`);
    void running?.stop();
  };
  // listening before the start message is awaited: a hold in the same chunk as the start is not lost
  host.on('message', (message: ToTask) => {
    if (message?.type === 'start' || message?.type === 'hold') {
      held = message.held === true;
      running?.hold(held);
      reportNow();
      if (message.type === 'start') setLevel(message.logLevel);
    } else if (message?.type === 'log-level') setLevel(message.level);
    else if (message?.type === 'stop') stop('the worker asked');
  });
  host.once('disconnect', () => stop('the worker is gone'));
  host.on('SIGINT', () => stop('SIGINT'));
  host.on('SIGTERM', () => stop('SIGTERM'));
  const first = await startMessage(host);
  if (!first || stopRequested) {
    if (host.connected) host.disconnect(); // the channel would keep the process alive
    return first ? 0 : 1;
  }
  log = log.child({ task: first.taskId });
  const relay = new ObserverRelay(() => void report());
  const report = (): Promise<void> => {
    const stats = running?.stats();
    // held only once the pipeline paused its partitions: the worker shows the task PAUSED from then on
    return send(relay.take(stats, held && stats?.paused === true));
  };
  reportNow = () => void report();
  const timer = setInterval(() => void report(), REPORT_INTERVAL_MS);
  try {
    const build = first.file === undefined ? connectorPipeline : (await loadPipeline(first.file)).build;
    running = await start(
      { connector: first.connector, build },
      { taskId: first.taskId, log, observer: relay, statisticsIntervalMs: first.statisticsIntervalMs, providers: policyFrom(first.policy), ...(first.clients ? { clients: first.clients } : {}) },
    );
    if (held) running.hold(true); // what the worker said last, while the pipeline was connecting
    void send({ type: 'started' });
    if (stopRequested) void running.stop(); // told to stop while it was starting
    await running.done;
    return 0;
  } catch (error) {
    await send({ type: 'failed', error: traceOf(error) });
    return error instanceof ConfigError ? CONFIG_ERROR_EXIT : 1;
  } finally {
    clearInterval(timer);
    await report(); // the last counts and committed offsets, written before the channel closes
    stopRequested = true; // closing the channel ourselves is no reason to stop
    if (host.connected) host.disconnect(); // the channel would keep the process alive
  }
}

/** The worker's start message; undefined when none came in time (or the worker went away first). */
function startMessage(host: TaskHost): Promise<StartMessage | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(undefined), START_TIMEOUT_MS);
    const onMessage = (message: ToTask): void => {
      if (message?.type === 'start') done(message);
    };
    const onDisconnect = (): void => done(undefined);
    const done = (message: StartMessage | undefined): void => {
      clearTimeout(timer);
      host.off('message', onMessage);
      host.off('disconnect', onDisconnect);
      resolve(message);
    };
    host.on('message', onMessage);
    host.once('disconnect', onDisconnect);
  });
}

function traceOf(error: unknown): string {
  const trace = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : errorMessage(error);
  return trace.slice(0, MAX_TEXT);
}

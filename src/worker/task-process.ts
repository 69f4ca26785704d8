/**
 * One task of a worker's connector in its own process (`tasks.max` > 1, standalone worker): started by the worker
 * with the internal `worker-task` command and an IPC channel. It waits for its start message (the connector's
 * config, its task id, the provider policy the worker applies), runs the pipeline with that task id in the group
 * `connect-<name>`, and reports what the pipeline observes. It stops (drains, commits) when told to, on SIGINT or
 * SIGTERM, and when the worker is gone (the channel closed): a task never outlives its worker.
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

export async function runWorkerTask(): Promise<number> {
  if (!process.send || !process.connected) {
    process.stderr.write('worker-task is internal: the worker starts it for a connector of tasks.max > 1\n');
    return CONFIG_ERROR_EXIT;
  }
  /** Resolves once the message was written (or could not be: the worker may be gone). */
  const send = (message: FromTask): Promise<void> =>
    new Promise((resolve) => {
      if (!process.connected || !process.send) resolve();
      else process.send(message, undefined, {}, () => resolve());
    });
  const start = await startMessage();
  if (!start) return 1;
  const log = createLogger().child({ task: start.taskId });
  let running: RunningPipeline | undefined;
  const relay = new ObserverRelay(() => void report());
  const report = (): Promise<void> => send(relay.take(running?.stats()));
  let stopRequested = false;
  const stop = (why: string): void => {
    if (stopRequested) return;
    stopRequested = true;
    log.info(`stopping task: ${why}`);
    void running?.stop();
  };
  process.on('message', (message: ToTask) => {
    if (message?.type === 'hold') running?.hold(message.held === true);
    else if (message?.type === 'stop') stop('the worker asked');
  });
  process.once('disconnect', () => stop('the worker is gone'));
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const timer = setInterval(() => void report(), REPORT_INTERVAL_MS);
  try {
    const build = start.file === undefined ? connectorPipeline : (await loadPipeline(start.file)).build;
    running = await startPipeline(
      { connector: start.connector, build },
      { taskId: start.taskId, log, observer: relay, statisticsIntervalMs: start.statisticsIntervalMs, providers: policyFrom(start.policy) },
    );
    if (start.held) running.hold(true);
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
    if (process.connected) process.disconnect(); // the channel would keep the process alive
  }
}

/** The worker's start message; undefined when none came in time (or the worker went away first). */
function startMessage(): Promise<StartMessage | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(undefined), START_TIMEOUT_MS);
    const onMessage = (message: ToTask): void => {
      if (message?.type === 'start') done(message);
    };
    const onDisconnect = (): void => done(undefined);
    const done = (message: StartMessage | undefined): void => {
      clearTimeout(timer);
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
      resolve(message);
    };
    process.on('message', onMessage);
    process.once('disconnect', onDisconnect);
  });
}

function traceOf(error: unknown): string {
  const trace = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : errorMessage(error);
  return trace.slice(0, MAX_TEXT);
}

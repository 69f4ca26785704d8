/**
 * `tasks.max=N` for `run`: N task processes of one connector, each with its own consumer in the connector's group
 * (so Kafka spreads the partitions over them and every core is used). A task that dies is started again after a
 * backoff (its partitions move to the other tasks meanwhile, by the group's rebalance); SIGINT/SIGTERM is passed to
 * every task, which drains and commits; the supervisor exits once all have ended.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Logger } from 'winston';
import { CONFIG_ERROR_EXIT, RestartBackoff, type RestartBackoffOptions } from '../common/task-restarts.js';

/** The environment variable that makes a `run` process one task of a supervised connector. */
export const TASK_ID_ENV = 'KAFKA_HTTP_SINK_TASK_ID';

export interface SupervisorOptions extends RestartBackoffOptions {
  readonly tasks: number;
  /** The `run` command line of one task (its task id comes in TASK_ID_ENV). */
  readonly command: readonly string[];
  readonly log: Logger;
}

interface Task {
  readonly id: number;
  child: ChildProcess | undefined;
  readonly backoff: RestartBackoff;
  timer: NodeJS.Timeout | undefined;
}

/** Runs the tasks until a signal stops them (resolves 0 when every task ended cleanly) or one has a bad config (2). */
export function superviseTasks(options: SupervisorOptions): Promise<number> {
  const { log } = options;
  const tasks: Task[] = Array.from({ length: options.tasks }, (_, id) => ({ id, child: undefined, backoff: new RestartBackoff(options), timer: undefined }));
  let stopping = false;
  let exitCode = 0;

  return new Promise((resolve) => {
    const settleIfDone = (): void => {
      if (stopping && tasks.every((task) => task.child === undefined && task.timer === undefined)) resolve(exitCode);
    };

    const stopAll = (signal: NodeJS.Signals): void => {
      stopping = true;
      for (const task of tasks) {
        if (task.timer) clearTimeout(task.timer);
        task.timer = undefined;
        task.child?.kill(signal);
      }
      settleIfDone();
    };

    const start = (task: Task): void => {
      task.timer = undefined;
      task.backoff.started();
      const [command, ...args] = options.command;
      const child = spawn(command!, args, { env: { ...process.env, [TASK_ID_ENV]: String(task.id) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      task.child = child;
      log.info('task started', { task: task.id, pid: child.pid });
      // A process that could not be started (EAGAIN, ENOMEM, EMFILE) goes the way of one that died.
      child.on('error', (error) => {
        if (task.child !== child) return;
        log.warn('task could not be started', { task: task.id, error: error.message });
        child.emit('exit', null, null);
      });
      child.on('exit', (code, signal) => {
        if (task.child !== child) return; // already handled (an 'error' that ended it)
        task.child = undefined;
        if (stopping) {
          // A task that had not set up its handlers yet ends by the SIGTERM itself: it had nothing to drain.
          if (code !== 0 && signal !== 'SIGTERM') exitCode = code ?? 1;
          log.info('task stopped', { task: task.id, code, signal });
          settleIfDone();
          return;
        }
        if (code === CONFIG_ERROR_EXIT) {
          exitCode = CONFIG_ERROR_EXIT;
          log.error('task refused its connector file; stopping every task', { task: task.id });
          stopAll('SIGTERM');
          return;
        }
        const delay = task.backoff.nextDelay();
        log.warn('task died; its partitions move to the other tasks until it is restarted', { task: task.id, code, signal, restartInMs: delay });
        task.timer = setTimeout(() => start(task), delay);
      });
    };

    const onSignal = (signal: NodeJS.Signals): void => {
      log.info(`${signal} received: stopping every task (each drains and commits)`);
      stopAll('SIGTERM');
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    for (const task of tasks) start(task);
  });
}

/** This process's task id when it runs as one task of a supervised connector, else 0. */
export function currentTaskId(env: NodeJS.ProcessEnv = process.env): number {
  const id = Number(env[TASK_ID_ENV]);
  return Number.isInteger(id) && id >= 0 ? id : 0;
}

/**
 * Calls `stop` when this task's supervisor is gone (its IPC channel closed, e.g. it was killed): a task never outlives
 * its supervisor, it drains and commits instead.
 */
export function stopWithSupervisor(stop: () => void): void {
  if (isSupervisedTask() && process.connected) process.once('disconnect', stop);
}

/** Whether this process is a supervised task (and must not supervise tasks of its own). */
export function isSupervisedTask(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[TASK_ID_ENV] !== undefined;
}

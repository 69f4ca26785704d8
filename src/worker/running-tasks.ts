/**
 * A connector's tasks as the worker runs them, whichever way: pipelines in this process (`tasks.max=1`, and
 * cluster mode: one per task whose slot this worker owns), or one process per task (task-processes.ts).
 */
import type { RunningPipeline } from '../connector/startPipeline.js';
import type { SourceStats } from '../source/source-stats.js';

export type TaskState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED';

export interface TaskView {
  readonly id: number;
  readonly state: TaskState;
  /** Why it is FAILED. */
  readonly trace?: string;
  /** The task's process, when it runs in its own (for tests and debugging; the REST API does not show it). */
  readonly pid?: number;
  readonly inFlight: number;
}

export interface RunningTasks {
  /** The librdkafka settings the tasks connect with (bootstrap servers, TLS, SASL). */
  readonly rdkafka: Record<string, string | number | boolean>;
  /** Settles once every task ended: resolves after stop(), rejects when the connector failed (no task runs or will). */
  readonly done: Promise<void>;
  /** Graceful stop of every task: stop reading, let in-flight requests finish (bounded), commit, leave the group. */
  stop(): Promise<void>;
  /** The tasks' stats, summed (committed offsets merged). */
  stats(): SourceStats;
  /** Pause (true) or resume (false) every task. */
  hold(held: boolean): void;
  /** Task processes: log at this winston level from now on (in this process the worker's LogLevels filter applies). */
  logLevel?(level: string): void;
  /** Each task's state: PAUSED once the worker's pause holds it (task processes: once the process said so). */
  tasks(): TaskView[];
  /** Restarts one task on its own; false when this connector's tasks restart only together (restart the connector). */
  restartTask(id: number): boolean;
}

/** Pipelines in this process, one per task id (`tasks.max=1`; cluster mode: the tasks whose slots this worker owns). */
export function inProcessTasks(pipelines: readonly { running: RunningPipeline; taskId: number }[]): RunningTasks {
  let held = false; // a hold takes in this process at once
  const only = pipelines.length === 1 ? pipelines[0]!.running : undefined;
  return {
    get rdkafka() {
      return pipelines[0]?.running.config.source.rdkafka ?? {};
    },
    // one task failing fails the connector here: the others stop with it (none keeps running unseen)
    done:
      only?.done ??
      Promise.all(pipelines.map((p) => p.running.done)).then(
        () => undefined,
        async (error: unknown) => {
          await Promise.allSettled(pipelines.map((p) => p.running.stop()));
          throw error;
        },
      ),
    stop: async () => void (await Promise.all(pipelines.map((p) => p.running.stop()))),
    stats: () => only?.stats() ?? summedStats(pipelines.map((p) => p.running.stats())),
    hold: (value) => {
      held = value;
      pipelines.forEach((p) => p.running.hold(value));
    },
    tasks: () => pipelines.map((p) => ({ id: p.taskId, state: held ? 'PAUSED' : 'RUNNING', inFlight: p.running.stats().inFlight })),
    restartTask: () => false,
  };
}

/**
 * Tasks' stats as one: counts summed, committed offsets merged (a partition that moved: the later, larger one).
 * Paused when every task is; a task with no stats yet (a process that did not report) counts nothing and is not.
 */
export function summedStats(all: readonly (SourceStats | undefined)[]): SourceStats {
  const committed = new Map<string, number>();
  let consumed = 0;
  let inFlight = 0;
  let commits = 0;
  let paused = all.length > 0;
  for (const stats of all) {
    if (!stats) {
      paused = false;
      continue;
    }
    consumed += stats.consumed;
    inFlight += stats.inFlight;
    commits += stats.commits;
    paused &&= stats.paused;
    for (const [id, offset] of stats.committed) committed.set(id, Math.max(offset, committed.get(id) ?? offset));
  }
  return { consumed, inFlight, paused, committed, commits };
}

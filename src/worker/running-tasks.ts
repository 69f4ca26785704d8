/**
 * A connector's tasks as the worker runs them, whichever way: one pipeline in this process (`tasks.max=1`, and
 * cluster mode, where each worker runs one task of a connector), or one process per task (task-processes.ts).
 */
import type { RunningPipeline } from '../connector/startPipeline.js';
import type { SourceStats } from '../source/kafka-source.js';

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
  tasks(): TaskView[];
  /** Restarts one task on its own; false when this connector's tasks restart only together (restart the connector). */
  restartTask(id: number): boolean;
}

/** One pipeline running in this process as task `taskId`. */
export function inProcess(running: RunningPipeline, taskId: number): RunningTasks {
  return {
    get rdkafka() {
      return running.config.source.rdkafka;
    },
    get done() {
      return running.done;
    },
    stop: () => running.stop(),
    stats: () => running.stats(),
    hold: (held) => running.hold(held),
    tasks: () => [{ id: taskId, state: 'RUNNING', inFlight: running.stats().inFlight }],
    restartTask: () => false,
  };
}

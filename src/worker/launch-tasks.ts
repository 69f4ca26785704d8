/**
 * How a connector's tasks start: one pipeline in this process (in cluster mode one per task whose slot this worker
 * owns), or, standalone with `tasks.max` > 1, one process per task, as many as the worker's caps and task budget
 * grant. What the connector does with them (its state, pause, the order of its operations) is connector.ts's.
 */
import { type ProviderPolicy, TRUSTED_PROVIDERS } from '../common/config/providers.js';
import type { Logger } from '../common/log.js';
import { connectorSettings } from '../connector/connector-config.js';
import { type BuildPipeline, connectorPipeline } from '../connector/definePipeline.js';
import type { PipelineObserver } from '../connector/observe.js';
import type { RunningPipeline, startPipeline } from '../connector/startPipeline.js';
import type { WorkerClients } from '../source/worker-clients.js';
import { inProcessTasks, type RunningTasks } from './running-tasks.js';
import type { TaskBudget } from './task-budget.js';
import type { startTaskProcesses, TaskProcessesOptions } from './task-processes.js';

export interface ConnectorDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  /** What task `task` reports to (the worker's metrics). */
  readonly observer: (task: number) => PipelineObserver;
  readonly statisticsIntervalMs: number;
  /** Brings a pipeline up in this process (`startPipeline`; tests pass a fake or a counting wrapper). */
  readonly start: typeof startPipeline;
  /**
   * Standalone worker: runs a connector of `tasks.max` > 1 as task processes (`startTaskProcesses`). Absent (cluster
   * mode, where each worker runs one task of a connector): every connector runs one task in this process.
   */
  readonly startProcesses?: (options: TaskProcessesOptions) => ReturnType<typeof startTaskProcesses>;
  /** Standalone: the most task processes a connector may run; a config asking more fails to start, saying so. */
  readonly tasksMaxCap?: number;
  /** Standalone: the task processes of all connectors together (`WORKER_TASKS_MAX`). */
  readonly taskBudget?: TaskBudget;
  /** Cluster mode: the connector's task ids whose slots this worker owns now (it runs exactly those); default [0]. */
  readonly taskIds?: () => number[];
  /** Cluster mode: the ids of every task of the connector, wherever they run (`GET .../tasks` lists them all). */
  readonly allTaskIds?: () => number[];
  /** A task stopped or died (its partitions' lag is no longer its own). */
  readonly taskEnded?: (task: number) => void;
  /** The references a config from the API may resolve (a pipeline file's own config resolves every one). */
  readonly providers: ProviderPolicy;
  /** The winston level this connector's lines pass now (`/admin/loggers`), for its task processes. */
  readonly logLevel?: () => string;
  /** The worker file's settings for the connector's Kafka clients and its override policy (none: the environment's broker). */
  readonly clients?: WorkerClients;
  /** Cluster mode: every worker's task of this connector, from the status topic (`GET .../status` shows them). */
  readonly clusterTasks?: () => { id: number; state: string; worker_id: string; trace?: string }[];
}

/** The connector whose tasks start, as their start reads it (and marks on it what runs). */
export interface LaunchTarget {
  readonly name: string;
  /** As given, references unresolved. */
  readonly config: Record<string, unknown>;
  readonly build: BuildPipeline;
  readonly origin: 'api' | 'file';
  readonly file?: string | undefined;
  /** Read at each (re)start of a task process, so none starts on a stale state. */
  readonly paused: boolean;
  /** Set to the task ids about to start (shown while they start, and when they fail). */
  taskIds: number[];
  /** Set when fewer tasks run than asked (the worker's task budget); cleared otherwise. */
  notice: string | undefined;
}

/**
 * One task in this process, or (standalone, `tasks.max` > 1) one process per task. `taskFailed`: a task process died
 * (the first line of why). A bad config throws here, before anything runs.
 */
export async function launchTasks(target: LaunchTarget, deps: ConnectorDeps, taskFailed: (task: number, message: string) => void): Promise<RunningTasks> {
  const providers = target.origin === 'api' ? deps.providers : TRUSTED_PROVIDERS;
  const settings = deps.startProcesses ? connectorSettings(target.config, deps.env, providers, deps.clients) : undefined; // a bad config fails here
  const tasks = settings && tasksToRun(target, deps, settings.tasksMax);
  const file = target.build === connectorPipeline ? undefined : target.file;
  const loadable = file !== undefined || target.build === connectorPipeline; // what a task process can build itself
  if (deps.startProcesses && settings && tasks !== undefined && tasks > 1 && loadable) {
    target.taskIds = Array.from({ length: tasks }, (_, id) => id);
    return deps.startProcesses({
      config: target.config,
      settings: { ...settings, tasksMax: tasks },
      ...(file === undefined ? {} : { file }),
      providers,
      ...(deps.clients ? { clients: deps.clients } : {}),
      env: deps.env,
      log: deps.log,
      observer: deps.observer,
      ...(deps.taskEnded ? { taskEnded: deps.taskEnded } : {}),
      taskFailed,
      statisticsIntervalMs: deps.statisticsIntervalMs,
      held: () => target.paused,
      ...(deps.logLevel ? { logLevel: deps.logLevel } : {}),
    });
  }
  if (settings && settings.tasksMax > 1) deps.log.warn('this pipeline was not loaded from a file, so its tasks cannot run as processes: it runs one task', { connector: target.name });
  const ids = deps.taskIds?.() ?? [0];
  target.taskIds = ids;
  const started: { running: RunningPipeline; taskId: number }[] = [];
  try {
    for (const taskId of ids) {
      const running = await deps.start(
        { connector: target.config, build: target.build },
        { taskId, env: deps.env, log: deps.log, observer: deps.observer(taskId), statisticsIntervalMs: deps.statisticsIntervalMs, providers, ...(deps.clients ? { clients: deps.clients } : {}) },
      );
      started.push({ running, taskId });
    }
  } catch (error) {
    await Promise.allSettled(started.map((p) => p.running.stop())); // none of them may run on unseen
    throw error;
  }
  return inProcessTasks(started);
}

/**
 * `tasks.max` is a maximum, as in Kafka Connect: this worker runs at most `tasksMaxCap` task processes per
 * connector (WORKER_TASKS_MAX_PER_CONNECTOR, default the cores), and says so when it runs fewer.
 */
function tasksToRun(target: LaunchTarget, deps: ConnectorDeps, tasksMax: number): number {
  const cap = deps.tasksMaxCap ?? tasksMax;
  if (tasksMax > cap) deps.log.warn(`tasks.max=${tasksMax}: running ${cap} task processes, the most this worker runs per connector (WORKER_TASKS_MAX_PER_CONNECTOR)`, { connector: target.name });
  const wanted = Math.min(tasksMax, cap);
  const granted = deps.taskBudget?.take(target, wanted) ?? wanted;
  target.notice = undefined;
  if (granted < wanted) {
    const running = granted === 1 ? '1 task inside the worker' : `${granted} task processes`;
    target.notice = `tasks.max=${tasksMax}: running ${running}, as the worker runs at most ${deps.taskBudget!.total} task processes for all its connectors together (WORKER_TASKS_MAX)`;
    deps.log.warn(target.notice, { connector: target.name });
  }
  return granted;
}

/**
 * One connector in the worker: its config as given, whether it should be paused, and the tasks running it (one
 * pipeline in this process, or with `tasks.max` > 1 in a standalone worker one process per task).
 * Start, stop, restart and removal run one after another on the connector's own promise chain, so two of them
 * never overlap (two pipelines in one consumer group), and nothing starts once the connector was removed.
 */
import { type ProviderPolicy, TRUSTED_PROVIDERS } from '../common/config/providers.js';
import { errorMessage } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { connectorSettings } from '../connector/connector-config.js';
import { type BuildPipeline, connectorPipeline } from '../connector/definePipeline.js';
import type { PipelineObserver } from '../connector/observe.js';
import type { startPipeline } from '../connector/startPipeline.js';
import type { SourceStats } from '../source/kafka-source.js';
import type { WorkerClients } from '../source/worker-clients.js';
import { inProcess, type RunningTasks, type TaskView } from './running-tasks.js';
import type { startTaskProcesses, TaskProcessesOptions } from './task-processes.js';

export type ConnectorState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED';

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
  /** Cluster mode: this worker's task id of the connector (its rank among the workers running it); default 0. */
  readonly taskId?: () => number;
  /** A task stopped or died (its partitions' lag is no longer its own). */
  readonly taskEnded?: (task: number) => void;
  /** The references a config from the API may resolve (a pipeline file's own config resolves every one). */
  readonly providers: ProviderPolicy;
  /** The worker file's settings for the connector's Kafka clients and its override policy (none: the environment's broker). */
  readonly clients?: WorkerClients;
  /** Cluster mode: every worker's task of this connector, from the status topic (`GET .../status` shows them). */
  readonly clusterTasks?: () => { id: number; state: string; worker_id: string; trace?: string }[];
}

export class ManagedConnector {
  private currentState: ConnectorState = 'UNASSIGNED';
  private failure: string | undefined;
  /** The last failure's first line and when it happened; kept across restarts so the status page can show it. */
  private lastFailure: { message: string; at: string } | undefined;
  private running: RunningTasks | undefined;
  /** The tasks being stopped (their stats stay live while they drain). */
  private draining: RunningTasks | undefined;
  /** The task ids of the last start (`tasks.max`, or this worker's task in cluster mode), shown while none runs. */
  private taskIds: number[] = [0];
  private lastStats: SourceStats | undefined;
  /** The last queued operation; each new one runs after it settles. */
  private chain: Promise<void>;
  /** Deleted, or the worker is closing: no operation may start a pipeline any more. */
  private removed = false;

  constructor(
    readonly name: string,
    /** As given (file or API), `${env:...}` references unresolved, secrets in clear: never shown without redaction. */
    public config: Record<string, unknown>,
    readonly build: BuildPipeline,
    /** `api`: created or changed through the REST API (kept in the state file); `file`: from the pipelines directory. */
    public origin: 'api' | 'file',
    public paused: boolean,
    private readonly deps: ConnectorDeps,
    /** What must finish before this connector's first start: a removed connector of the same name draining. */
    after: Promise<void> = Promise.resolve(),
    /** The pipeline file that `build` comes from (task processes load it themselves). */
    readonly file?: string,
  ) {
    this.chain = after;
  }

  get state(): ConnectorState {
    return this.currentState;
  }

  /** The failure's trace, while FAILED. */
  get trace(): string | undefined {
    return this.failure;
  }

  /** The last failure, even after a restart cleared FAILED (the status page shows it). */
  get lastError(): { message: string; at: string } | undefined {
    return this.lastFailure;
  }

  /** Cluster mode: the tasks of every worker running this connector; undefined when standalone. */
  get clusterTasks(): ConnectorDeps['clusterTasks'] {
    return this.deps.clusterTasks;
  }

  /** The librdkafka settings of the running pipeline (bootstrap servers, TLS, SASL); undefined when none runs. */
  kafkaConfig(): Record<string, string | number | boolean> | undefined {
    return this.running?.rdkafka;
  }

  /** Every task: those running, else each with the connector's state (none runs: UNASSIGNED, FAILED, or starting). */
  tasks(): TaskView[] {
    const running = this.running?.tasks();
    if (running) return running.map((t) => (t.state === 'RUNNING' && this.paused ? { ...t, state: 'PAUSED' } : t));
    const trace = this.currentState === 'FAILED' && this.failure !== undefined ? { trace: this.failure } : {};
    return this.taskIds.map((id) => ({ id, state: this.currentState, ...trace, inFlight: 0 }));
  }

  /** Cluster mode: this worker's rank for the connector changed since its task started, so its task id must follow. */
  taskMoved(): boolean {
    const { taskId } = this.deps;
    return taskId !== undefined && (this.currentState === 'RUNNING' || this.currentState === 'PAUSED') && !this.taskIds.includes(taskId());
  }

  /** `POST .../tasks/{id}/restart`: that task alone when tasks run as processes, else the connector. False: no such task. */
  restartTask(id: number): boolean {
    if (!this.taskIds.includes(id)) return false;
    if (!this.running?.restartTask(id)) void this.restart();
    return true;
  }

  stats(): SourceStats | undefined {
    return (this.running ?? this.draining)?.stats() ?? this.lastStats;
  }

  /** Starts the pipeline (after any queued operation); the state says how it went (never rejects: a failure is logged). */
  start(): Promise<void> {
    return this.settledIn(this.queue(() => this.bringUp()));
  }

  /**
   * Stops the pipeline gracefully (in-flight requests finish within `shutdown.timeout.ms`, offsets committed).
   * Rejects when the stop failed (the failure is logged as well).
   */
  stop(): Promise<void> {
    return this.queue(() => this.bringDown());
  }

  /** Stop, then start again unless the connector was removed meanwhile (never rejects: a failure is logged). */
  restart(): Promise<void> {
    return this.settledIn(
      this.queue(async () => {
        await this.bringDown();
        await this.bringUp();
      }),
    );
  }

  /**
   * Deleted or the worker closes: stops the pipeline, and every start still queued or asked later does nothing.
   * Rejects when the stop failed.
   */
  remove(): Promise<void> {
    this.removed = true;
    return this.stop();
  }

  pause(): void {
    this.paused = true;
    this.running?.hold(true);
    if (this.currentState === 'RUNNING') this.currentState = 'PAUSED';
  }

  resume(): void {
    this.paused = false;
    this.running?.hold(false);
    if (this.currentState === 'PAUSED') this.currentState = 'RUNNING';
  }

  /** Runs `operation` after the queued ones; the promise rejects as it failed (the chain goes on, the failure logged). */
  private queue(operation: () => Promise<void>): Promise<void> {
    const next = this.chain.then(operation, operation);
    this.chain = next.catch((error: unknown) => {
      this.deps.log.error('connector operation failed', { connector: this.name, error: errorMessage(error) });
    });
    return next;
  }

  /** For operations the worker starts in the background: settled once done, the failure logged by the chain. */
  private settledIn(operation: Promise<void>): Promise<void> {
    return operation.catch(() => undefined);
  }

  private async bringUp(): Promise<void> {
    if (this.removed || this.running) return;
    this.currentState = 'UNASSIGNED';
    this.failure = undefined;
    let running: RunningTasks;
    try {
      running = await this.launch();
    } catch (error) {
      this.fail(error);
      return;
    }
    this.running = running;
    running.hold(this.paused); // a pause or resume while the tasks started reached none of them
    this.currentState = this.paused ? 'PAUSED' : 'RUNNING';
    running.done.catch((error: unknown) => {
      if (this.running !== running) return; // stopped on purpose meanwhile
      for (const task of this.taskIds) this.deps.taskEnded?.(task);
      this.lastStats = running.stats();
      this.running = undefined;
      this.fail(error);
    });
  }

  /**
   * `tasks.max` is a maximum, as in Kafka Connect: this worker runs at most `tasksMaxCap` task processes per
   * connector (WORKER_TASKS_MAX_PER_CONNECTOR, default the cores), and says so when it runs fewer.
   */
  private tasksToRun(tasksMax: number): number {
    const cap = this.deps.tasksMaxCap ?? tasksMax;
    if (tasksMax > cap) this.deps.log.warn(`tasks.max=${tasksMax}: running ${cap} task processes, the most this worker runs per connector (WORKER_TASKS_MAX_PER_CONNECTOR)`, { connector: this.name });
    return Math.min(tasksMax, cap);
  }

  /** One task in this process, or (standalone, `tasks.max` > 1) one process per task. */
  private async launch(): Promise<RunningTasks> {
    const { deps } = this;
    const providers = this.origin === 'api' ? deps.providers : TRUSTED_PROVIDERS;
    const settings = deps.startProcesses ? connectorSettings(this.config, deps.env, providers, deps.clients) : undefined; // a bad config fails here
    const tasks = settings && this.tasksToRun(settings.tasksMax);
    const file = this.build === connectorPipeline ? undefined : this.file;
    const loadable = file !== undefined || this.build === connectorPipeline; // what a task process can build itself
    if (deps.startProcesses && settings && tasks !== undefined && tasks > 1 && loadable) {
      this.taskIds = Array.from({ length: tasks }, (_, id) => id);
      return deps.startProcesses({
        config: this.config,
        settings: { ...settings, tasksMax: tasks },
        ...(file === undefined ? {} : { file }),
        providers,
        ...(deps.clients ? { clients: deps.clients } : {}),
        env: deps.env,
        log: deps.log,
        observer: deps.observer,
        ...(deps.taskEnded ? { taskEnded: deps.taskEnded } : {}),
        taskFailed: (task, message) => (this.lastFailure = { message: `task ${task}: ${message}`, at: new Date().toISOString() }),
        statisticsIntervalMs: deps.statisticsIntervalMs,
        held: () => this.paused,
      });
    }
    if (settings && settings.tasksMax > 1) deps.log.warn('this pipeline was not loaded from a file, so its tasks cannot run as processes: it runs one task', { connector: this.name });
    const taskId = deps.taskId?.() ?? 0;
    this.taskIds = [taskId];
    const running = await deps.start(
      { connector: this.config, build: this.build },
      { taskId, env: deps.env, log: deps.log, observer: deps.observer(taskId), statisticsIntervalMs: deps.statisticsIntervalMs, providers, ...(deps.clients ? { clients: deps.clients } : {}) },
    );
    return inProcess(running, taskId);
  }

  private async bringDown(): Promise<void> {
    const running = this.running;
    if (!running) return; // never started, or FAILED: nothing runs
    this.running = undefined;
    this.draining = running;
    try {
      await running.stop();
    } finally {
      for (const task of this.taskIds) this.deps.taskEnded?.(task);
      this.lastStats = running.stats();
      this.draining = undefined;
      this.currentState = 'UNASSIGNED';
    }
  }

  private fail(error: unknown): void {
    this.currentState = 'FAILED';
    this.failure = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    this.lastFailure = { message: this.failure.split('\n')[0]!, at: new Date().toISOString() };
  }
}

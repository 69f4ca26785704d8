/**
 * One connector in the worker: its config as given, whether it should be paused, and the tasks running it (one
 * pipeline in this process, in cluster mode one per task whose slot this worker owns, or with `tasks.max` > 1 in
 * a standalone worker one process per task).
 * Start, stop, restart and removal run one after another on the connector's own promise chain, so two of them
 * never overlap (two pipelines in one consumer group), and nothing starts once the connector was removed.
 */
import { maskedError, referenceMask, TRUSTED_PROVIDERS } from '../common/config/providers.js';
import { errorMessage } from '../common/errors.js';
import type { BuildPipeline } from '../connector/definePipeline.js';
import type { SourceStats } from '../source/source-stats.js';
import { type ConnectorDeps, launchTasks } from './launch-tasks.js';
import type { RunningTasks, TaskView } from './running-tasks.js';

export type ConnectorState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'STOPPED';

export class ManagedConnector {
  private currentState: ConnectorState = 'UNASSIGNED';
  private failure: string | undefined;
  /** The last failure's first line and when it happened; kept across restarts so the status page can show it. */
  private lastFailure: { message: string; at: string } | undefined;
  private running: RunningTasks | undefined;
  /** The tasks being stopped (their stats stay live while they drain). */
  private draining: RunningTasks | undefined;
  /** The task ids of the last start (`tasks.max`, or this worker's task in cluster mode), shown while none runs. */
  taskIds: number[] = [0];
  private lastStats: SourceStats | undefined;
  /** The last queued operation; each new one runs after it settles. */
  private chain: Promise<void>;
  /** Deleted, or the worker is closing: no operation may start a pipeline any more. */
  private removed = false;
  /** Stopped through the API (KIP-875): no task runs, none starts until resumed; the config stays. */
  stopped = false;

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

  /** Runs fewer tasks than asked because of the worker's task budget: says so on the status page; else undefined. */
  notice: string | undefined;

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
    if (this.stopped && !this.running) return [];
    const running = this.running?.tasks();
    // cluster mode: a task whose slot is no longer owned here (revoked, lease lapsed) is not this worker's: it is stopping
    const owned = this.deps.taskIds?.();
    const mine = (t: TaskView): TaskView => (owned && !owned.includes(t.id) ? { ...t, state: 'UNASSIGNED' } : t);
    if (running) return running.map(mine); // PAUSED as the tasks say: once the hold took, not when it was asked
    const trace = this.currentState === 'FAILED' && this.failure !== undefined ? { trace: this.failure } : {};
    const state = this.currentState === 'STOPPED' ? 'UNASSIGNED' : this.currentState;
    return this.taskIds.map((id) => mine({ id, state, ...trace, inFlight: 0 }));
  }

  /** The ids of every task of the connector: this worker's, or in cluster mode every worker's (none while STOPPED). */
  allTaskIds(): number[] {
    if (!this.deps.allTaskIds) return this.tasks().map((t) => t.id);
    return this.stopped ? [] : this.deps.allTaskIds();
  }

  /** Cluster mode: the task ids owned here changed since its tasks started, so the running set must follow. */
  taskMoved(): boolean {
    const { taskIds } = this.deps;
    return taskIds !== undefined && (this.currentState === 'RUNNING' || this.currentState === 'PAUSED') && taskIds().join() !== this.taskIds.join();
  }

  /** `POST .../tasks/{id}/restart`: that task alone when tasks run as processes, else the connector. False: no such task. */
  restartTask(id: number): boolean {
    if (this.stopped || !this.taskIds.includes(id)) return false;
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

  /** `start`: whether a STOPPED connector starts here now (paused, as Connect does); cluster mode: where it runs. */
  pause(start = true): void {
    this.paused = true;
    if (this.stopped) return this.unstop(start);
    this.running?.hold(true);
    if (this.currentState === 'RUNNING') this.currentState = 'PAUSED';
  }

  /** `/admin/loggers` changed a level: task processes are told (one in this process follows the worker's filter). */
  logLevelChanged(level: string): void {
    this.running?.logLevel?.(level);
  }

  /** Resolves once every operation queued so far (a stop's drain, a start) settled. */
  settled(): Promise<void> {
    return this.queue(() => Promise.resolve());
  }

  /** `PUT .../stop`: the tasks drain, commit and stop; resolves once they did. The config stays. */
  halt(): Promise<void> {
    this.stopped = true;
    return this.queue(async () => {
      await this.bringDown();
      if (this.stopped) this.currentState = 'STOPPED';
    });
  }

  resume(start = true): void {
    this.paused = false;
    if (this.stopped) return this.unstop(start);
    this.running?.hold(false);
    if (this.currentState === 'PAUSED') this.currentState = 'RUNNING';
  }

  /**
   * Since when the operation under way (a start, stop or restart) has been running; undefined when none is. The
   * worker's `/health` turns unhealthy when one takes longer than its bound (a start or drain that never ends).
   */
  get busySince(): number | undefined {
    return this.operationStarted;
  }

  private operationStarted: number | undefined;

  private unstop(start: boolean): void {
    this.stopped = false;
    if (this.currentState === 'STOPPED') this.currentState = 'UNASSIGNED';
    if (start) void this.start();
  }

  /** Runs `operation` after the queued ones; the promise rejects as it failed (the chain goes on, the failure logged). */
  private queue(operation: () => Promise<void>): Promise<void> {
    const timed = async (): Promise<void> => {
      this.operationStarted = Date.now();
      try {
        await operation();
      } finally {
        this.operationStarted = undefined;
      }
    };
    const next = this.chain.then(timed, timed);
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
    this.currentState = this.stopped ? 'STOPPED' : 'UNASSIGNED';
    if (this.stopped) return;
    if (this.deps.taskIds?.().length === 0) return; // cluster mode: its slots moved away meanwhile
    this.failure = undefined;
    let running: RunningTasks;
    try {
      running = await launchTasks(this, this.deps, (task, message) => (this.lastFailure = { message: `task ${task}: ${this.mask()(message)}`, at: new Date().toISOString() }));
    } catch (error) {
      this.deps.taskBudget?.release(this);
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
      this.deps.taskBudget?.release(this);
      this.fail(error);
    });
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
      this.deps.taskBudget?.release(this);
      this.currentState = this.stopped ? 'STOPPED' : 'UNASSIGNED';
    }
  }

  /** What the status, its trace and the status page may show of a text: no value a reference of the config resolved to. */
  private mask(): (text: string) => string {
    const known = this.masking;
    if (known?.config === this.config && known.origin === this.origin) return known.mask;
    // built once per config (it resolves the config's references), not per failure or task message
    const mask = referenceMask(this.config, this.deps.env, this.origin === 'api' ? this.deps.providers : TRUSTED_PROVIDERS);
    this.masking = { config: this.config, origin: this.origin, mask };
    return mask;
  }

  private masking: { readonly config: Record<string, unknown>; readonly origin: 'api' | 'file'; readonly mask: (text: string) => string } | undefined;

  private fail(failure: unknown): void {
    const error = maskedError(failure, this.mask()); // in place: whoever logs it later sees it masked too
    this.currentState = 'FAILED';
    this.failure = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : this.mask()(String(error));
    this.lastFailure = { message: this.failure.split('\n')[0]!, at: new Date().toISOString() };
  }
}

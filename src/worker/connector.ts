/**
 * One connector in the worker: its config as given, whether it should be paused, and the pipeline running it.
 * Start, stop, restart and removal run one after another on the connector's own promise chain, so two of them
 * never overlap (two pipelines in one consumer group), and nothing starts once the connector was removed.
 */
import { type ProviderPolicy, TRUSTED_PROVIDERS } from '../common/config/providers.js';
import { errorMessage } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import type { BuildPipeline } from '../connector/definePipeline.js';
import type { PipelineObserver } from '../connector/observe.js';
import type { RunningPipeline, startPipeline } from '../connector/startPipeline.js';
import type { SourceStats } from '../source/kafka-source.js';

export type ConnectorState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED';

export interface ConnectorDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  readonly observer: PipelineObserver;
  readonly statisticsIntervalMs: number;
  /** Brings a pipeline up (`startPipeline`; tests pass a fake or a counting wrapper). */
  readonly start: typeof startPipeline;
  /** The references a config from the API may resolve (a pipeline file's own config resolves every one). */
  readonly providers: ProviderPolicy;
  /** Cluster mode: every worker's task of this connector, from the status topic (`GET .../status` shows them). */
  readonly clusterTasks?: () => { id: number; state: string; worker_id: string; trace?: string }[];
}

export class ManagedConnector {
  private currentState: ConnectorState = 'UNASSIGNED';
  private failure: string | undefined;
  /** The last failure's first line and when it happened; kept across restarts so the status page can show it. */
  private lastFailure: { message: string; at: string } | undefined;
  private running: RunningPipeline | undefined;
  /** The pipeline being stopped (its stats stay live while it drains). */
  private draining: RunningPipeline | undefined;
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
    return this.running?.config.source.rdkafka;
  }

  stats(): SourceStats | undefined {
    return (this.running ?? this.draining)?.stats() ?? this.lastStats;
  }

  /** Starts the pipeline (after any queued operation); the state says how it went. */
  start(): Promise<void> {
    return this.queue(() => this.bringUp());
  }

  /** Stops the pipeline gracefully (in-flight requests finish within `shutdown.timeout.ms`, offsets committed). */
  stop(): Promise<void> {
    return this.queue(() => this.bringDown());
  }

  /** Stop, then start again unless the connector was removed meanwhile. */
  restart(): Promise<void> {
    return this.queue(async () => {
      await this.bringDown();
      await this.bringUp();
    });
  }

  /** Deleted or the worker closes: stops the pipeline, and every start still queued or asked later does nothing. */
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

  private queue(operation: () => Promise<void>): Promise<void> {
    const next = this.chain.then(operation, operation);
    this.chain = next.catch((error: unknown) => {
      this.deps.log.error('connector operation failed', { connector: this.name, error: errorMessage(error) });
    });
    return this.chain;
  }

  private async bringUp(): Promise<void> {
    if (this.removed || this.running) return;
    this.currentState = 'UNASSIGNED';
    this.failure = undefined;
    let running: RunningPipeline;
    try {
      running = await this.deps.start(
        { connector: this.config, build: this.build },
        {
          env: this.deps.env,
          log: this.deps.log,
          observer: this.deps.observer,
          statisticsIntervalMs: this.deps.statisticsIntervalMs,
          providers: this.origin === 'api' ? this.deps.providers : TRUSTED_PROVIDERS,
        },
      );
    } catch (error) {
      this.fail(error);
      return;
    }
    this.running = running;
    if (this.paused) running.hold(true);
    this.currentState = this.paused ? 'PAUSED' : 'RUNNING';
    running.done.catch((error: unknown) => {
      if (this.running !== running) return; // stopped on purpose meanwhile
      this.lastStats = running.stats();
      this.running = undefined;
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

/**
 * The worker's connectors by name: those of the pipelines directory and those created through the API. Every
 * change that must survive a restart (an API config, a pause) is saved to the state store first, and made here
 * only once saved (a store that `appliesSaved`, the cluster's config topic, makes it itself as it reads it back).
 */
import { type ProviderPolicy, referenceProblems } from '../common/config/providers.js';
import { errorMessage } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { connectorPipeline, type BuildPipeline } from '../connector/definePipeline.js';
import { ApiError } from './api-error.js';
import { checked } from './checked-config.js';
import { ManagedConnector } from './connector.js';
import type { ConnectorDeps } from './launch-tasks.js';
import type { StateStore, StoredConnector } from './state-store.js';
import { storedView } from './stored-view.js';
import { applyTarget, flagsOf, type TargetFlags, type TargetState } from './target-state.js';
import type { WorkerClients } from '../source/worker-clients.js';

export interface ConnectorsOptions {
  readonly store: StateStore;
  readonly env: NodeJS.ProcessEnv;
  /** The references a config sent to the API (or kept from one in the state store) may use. */
  readonly providers: ProviderPolicy;
  /** The worker file's settings for the connectors' Kafka clients and its override policy (none: the environment's broker). */
  readonly clients?: WorkerClients;
  readonly log: Logger;
  readonly deps: (name: string) => ConnectorDeps;
  /** Called when a connector is deleted (its metrics go). */
  readonly onDelete?: (name: string) => void;
  /** Cluster mode: whether this worker runs tasks of the connector now (see cluster/assignment.ts); default every one. */
  readonly runsHere?: (name: string) => boolean;
  /** Most connectors the API may create (`WORKER_CONNECTORS_MAX`); unset: no bound. */
  readonly maxConnectors?: number;
  /** Changes through the API answer 503 until `open()` (the worker restored its connectors and joined its cluster). */
  readonly held?: boolean;
}

export class Connectors {
  private readonly byName = new Map<string, ManagedConnector>();
  /** Deleted connectors still draining, by name: a new connector of that name starts after. */
  private readonly removing = new Map<string, Promise<void>>();
  /** Names of the pipelines directory's connectors, and those deleted through the API (kept as tombstones). */
  private readonly fileNames = new Set<string>();
  private readonly deletedFiles = new Set<string>();
  private closing = false;
  private opened: boolean;
  /** The REST change running, if any (see `exclusive`). */
  private changes: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ConnectorsOptions) {
    this.opened = options.held !== true;
  }

  /** The worker is ready: changes through the API are taken from now on. */
  open(): void {
    this.opened = true;
  }

  list(): ManagedConnector[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): ManagedConnector {
    const connector = this.byName.get(name);
    if (!connector) throw ApiError.notFound(name);
    return connector;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** At worker start: the pipeline files' connectors, overlaid by what the state store kept; all started. */
  restore(files: readonly { config: Record<string, unknown>; build: BuildPipeline; file?: string }[]): void {
    const stored = this.options.store.load();
    for (const file of files) {
      const name = String(file.config.name);
      const kept = stored.get(name);
      this.fileNames.add(name);
      if (kept?.deleted) {
        this.deletedFiles.add(name);
        continue;
      }
      this.add(name, kept?.config ?? file.config, file.build, kept?.config ? 'api' : 'file', kept ?? { paused: false }, file.file);
    }
    for (const [name, kept] of stored) {
      if (kept.deleted) this.deletedFiles.add(name);
      if (!this.byName.has(name) && kept.config && !kept.deleted) this.add(name, kept.config, connectorPipeline, 'api', kept);
    }
    for (const connector of this.byName.values()) if (connector.origin === 'api') this.warnOfRefusedReferences(connector);
    for (const connector of this.byName.values()) this.startIfHere(connector);
  }

  /**
   * `POST /connectors`: a new connector, validated first; refuses an existing name. Resolves once the store has
   * it (cluster mode: written, acknowledged and read back, the connector then made from the record read).
   * `initial`: its target state from the start (KIP-980): a PAUSED one delivers nothing until resumed.
   */
  create(name: string, config: Record<string, unknown>, initial: TargetState = 'STARTED'): Promise<ManagedConnector> {
    return this.exclusive(async () => {
      this.refuseWhenClosing();
      if (this.byName.has(name)) throw new ApiError(409, `Connector ${name} already exists`);
      this.refuseWhenFull();
      const valid = checked(name, config, this.options.env, this.options.providers, this.options.clients);
      await this.persist(name, { config: valid, ...flagsOf(initial) });
      if (this.shared) return this.readBack(name);
      const connector = this.add(name, valid, connectorPipeline, 'api', flagsOf(initial));
      this.startIfHere(connector);
      return connector;
    });
  }

  /** `PUT /connectors/{name}/config`: creates, or replaces the config and restarts. True when created. */
  put(name: string, config: Record<string, unknown>): Promise<boolean> {
    return this.exclusive(async () => {
      this.refuseWhenClosing();
      const valid = checked(name, config, this.options.env, this.options.providers, this.options.clients);
      const existing = this.byName.get(name);
      if (!existing) {
        this.refuseWhenFull();
        await this.persist(name, { config: valid, paused: false });
        if (this.shared) return (this.readBack(name), true);
        this.startIfHere(this.add(name, valid, connectorPipeline, 'api', { paused: false }));
        return true;
      }
      const same = existing.origin === 'api' && JSON.stringify(existing.config) === JSON.stringify(valid);
      await this.persist(name, { config: valid, paused: existing.paused, ...(existing.stopped ? { stopped: true } : {}) });
      // a shared store applied a changed config when it read it back (restarting it where it runs); the same config
      // writes nothing there, so it restarts here, as a PUT always does
      if (!this.shared) {
        existing.config = valid;
        existing.origin = 'api';
      }
      if ((!this.shared || same) && this.runsHere(name)) void this.byName.get(name)?.restart(); // queued behind any running operation
      return false;
    });
  }

  /** Forgets the connector (a pipeline file's one for good: a tombstone is kept), then waits for it to drain and commit. */
  async delete(name: string): Promise<void> {
    // the drain is awaited outside `exclusive` (wrapped, so the change's promise does not adopt it): other changes go on meanwhile
    const { draining } = await this.exclusive(async () => {
      this.refuseWhenStarting();
      const connector = this.get(name);
      await this.persist(name, this.fileNames.has(name) ? { paused: false, deleted: true } : undefined);
      if (this.shared) return { draining: this.removing.get(name) }; // the tombstone read back removed it
      this.byName.delete(name);
      if (this.fileNames.has(name)) this.deletedFiles.add(name);
      return { draining: this.drain(name, connector) };
    });
    await draining;
  }

  /**
   * Cluster mode: a config-topic record (any worker's, already validated by the worker that took the REST call)
   * applied here as the topic holds it, without this worker's own checks: a config this worker cannot run (a
   * reference it does not allow or cannot resolve) shows FAILED here rather than being missing or old. Never saved.
   */
  applyStored(name: string, stored: StoredConnector | undefined): void {
    if (this.closing) return;
    const existing = this.byName.get(name);
    if (!stored?.config) {
      if (existing) {
        this.byName.delete(name);
        void this.drain(name, existing).catch((error: unknown) => this.options.log.error('cannot stop a deleted connector', { connector: name, error: errorMessage(error) }));
      }
      return;
    }
    const config = { ...stored.config, name };
    if (!existing) {
      const connector = this.add(name, config, connectorPipeline, 'api', stored);
      this.warnOfRefusedReferences(connector);
      this.startIfHere(connector);
      return;
    }
    if (JSON.stringify(existing.config) !== JSON.stringify(config) || existing.origin !== 'api') {
      existing.config = config;
      existing.origin = 'api';
      this.warnOfRefusedReferences(existing);
      if (this.runsHere(name)) void existing.restart();
    }
    applyTarget(existing, stored, this.runsHere(name));
  }

  private async drain(name: string, connector: ManagedConnector): Promise<void> {
    const removed = connector.remove().finally(() => {
      if (this.removing.get(name) === removed) this.removing.delete(name);
      if (!this.byName.has(name)) this.options.onDelete?.(name);
    });
    this.removing.set(name, removed);
    await removed;
  }

  pause = (name: string): Promise<void> => this.target(name, 'PAUSED');
  resume = (name: string): Promise<void> => this.target(name, 'STARTED');

  /** `PUT .../pause`, `.../resume`, `.../stop` (KIP-875): saved, then made; a stop resolves once drained and committed. */
  async target(name: string, state: TargetState): Promise<void> {
    const connector = await this.exclusive(async () => {
      this.refuseWhenStarting();
      const found = this.get(name);
      const flags = flagsOf(state);
      await this.persist(name, found.origin === 'api' ? { config: found.config, ...flags } : state === 'STARTED' ? undefined : flags);
      if (!this.shared) applyTarget(found, flags, this.runsHere(name)); // a shared store applied it when read back
      return { found };
    });
    if (state === 'STOPPED') await connector.found.settled(); // outside `exclusive`: other changes go on while it drains
  }

  /** The worker closes: refuses new connectors, stops every one (deleted ones still draining included). */
  async stopAll(): Promise<void> {
    this.closing = true;
    // every connector is stopped, even after one failed to; the first failure is then the answer
    const results = await Promise.allSettled([...[...this.byName.values()].map((c) => c.remove()), ...this.removing.values()]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** A config kept from the API whose references the worker no longer allows: it fails at start, without resolving them. */
  private warnOfRefusedReferences(connector: ManagedConnector): void {
    for (const [key, value] of Object.entries(connector.config)) {
      const refused = typeof value === 'string' ? referenceProblems(value, this.options.providers) : [];
      if (refused.length > 0) this.options.log.error('connector config kept in the state store uses references this worker does not allow; it will not start until its config is changed', { connector: connector.name, key, problem: refused.join('; ') });
    }
  }

  /** Cluster mode: starts what is owned here, stops what is not (even mid-start), restarts where the tasks owned changed. */
  reassign(): Promise<void> {
    if (this.closing) return Promise.resolve();
    const operations: Promise<void>[] = [];
    for (const connector of this.byName.values()) {
      const here = this.runsHere(connector.name);
      if (here && connector.state === 'UNASSIGNED') void connector.start();
      else if (!here) operations.push(connector.stop().catch(() => undefined)); // nothing to do when none runs; a failure is logged by the connector
      else if (connector.taskMoved()) operations.push(connector.restart()); // its slots here changed: the tasks follow
    }
    return Promise.all(operations).then(() => undefined);
  }

  private runsHere(name: string): boolean {
    return this.options.runsHere?.(name) ?? true;
  }

  private startIfHere(connector: ManagedConnector): void {
    if (this.runsHere(connector.name)) void connector.start();
  }

  /** Each connector holds a Kafka consumer (threads, prefetch memory): a REST client may not add them without bound. */
  private refuseWhenFull(): void {
    const max = this.options.maxConnectors;
    if (max !== undefined && this.byName.size >= max) throw new ApiError(400, `This worker runs at most ${max} connectors (WORKER_CONNECTORS_MAX); delete one first`);
  }

  private refuseWhenClosing(): void {
    if (this.closing) throw new ApiError(503, 'The worker is shutting down');
    this.refuseWhenStarting();
  }

  private refuseWhenStarting(): void {
    if (!this.opened) throw new ApiError(503, 'The worker is starting (reading its connectors and joining its cluster): retry in a moment');
  }

  private add(name: string, config: Record<string, unknown>, build: BuildPipeline, origin: 'api' | 'file', target: TargetFlags, file?: string): ManagedConnector {
    const connector = new ManagedConnector(name, config, build, origin, target.paused, this.options.deps(name), this.removing.get(name), file);
    connector.stopped = target.stopped === true;
    this.byName.set(name, connector);
    return connector;
  }

  /** Whether the store applies every change itself, through `applyStored`, once it has it (the config topic). */
  private get shared(): boolean {
    return this.options.store.appliesSaved === true;
  }

  /** Runs the REST changes one after another: each one's checks, save and local change see the one before done. */
  private exclusive<T>(change: () => Promise<T>): Promise<T> {
    const run = this.changes.then(change);
    this.changes = run.catch(() => undefined);
    return run;
  }

  /** Saves the view with `name` as `entry` (undefined: gone) first; a failed save is a 500 naming the cause, nothing changed here. */
  private async persist(name: string, entry: StoredConnector | undefined): Promise<void> {
    const view = storedView(this.byName, this.deletedFiles);
    if (entry) view.set(name, entry);
    else view.delete(name);
    try {
      await this.options.store.save(view, [name]);
    } catch (error) {
      throw new ApiError(500, `Connector ${name}: the change could not be saved (this worker keeps what the store holds): ${errorMessage(error)}`);
    }
  }

  /** A shared store's connector just written: as read back (a record another worker wrote after it may have changed it). */
  private readBack(name: string): ManagedConnector {
    const connector = this.byName.get(name);
    if (!connector) throw new ApiError(409, `Connector ${name} was written but is gone from this worker's view: deleted since, or the worker is shutting down`);
    return connector;
  }
}

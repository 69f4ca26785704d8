/**
 * The worker's connectors by name: those of the pipelines directory and those created through the API. Every
 * change that must survive a restart (an API config, a pause) is written to the state store at once.
 */
import { type ProviderPolicy, referenceProblems } from '../common/config/providers.js';
import { configProblems } from '../connector/config-problems.js';
import { errorMessage } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { connectorPipeline, type BuildPipeline } from '../connector/definePipeline.js';
import { ApiError } from './api-error.js';
import { type ConnectorDeps, ManagedConnector } from './connector.js';
import type { StateStore, StoredConnector } from './state-store.js';

export interface ConnectorsOptions {
  readonly store: StateStore;
  readonly env: NodeJS.ProcessEnv;
  /** The references a config sent to the API (or kept from one in the state store) may use. */
  readonly providers: ProviderPolicy;
  readonly log: Logger;
  readonly deps: (name: string) => ConnectorDeps;
  /** Called when a connector is deleted (its metrics go). */
  readonly onDelete?: (name: string) => void;
  /** Cluster mode: whether this worker runs the connector now (see cluster/assignment.ts); default every one. */
  readonly runsHere?: (name: string) => boolean;
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
  restore(files: readonly { config: Record<string, unknown>; build: BuildPipeline }[]): void {
    const stored = this.options.store.load();
    for (const file of files) {
      const name = String(file.config.name);
      const kept = stored.get(name);
      this.fileNames.add(name);
      if (kept?.deleted) {
        this.deletedFiles.add(name);
        continue;
      }
      this.add(name, kept?.config ?? file.config, file.build, kept?.config ? 'api' : 'file', kept?.paused ?? false);
    }
    for (const [name, kept] of stored) {
      if (kept.deleted) this.deletedFiles.add(name);
      if (!this.byName.has(name) && kept.config && !kept.deleted) this.add(name, kept.config, connectorPipeline, 'api', kept.paused);
    }
    for (const connector of this.byName.values()) if (connector.origin === 'api') this.warnOfRefusedReferences(connector);
    for (const connector of this.byName.values()) this.startIfHere(connector);
  }

  /** `POST /connectors`: a new connector, validated first; refuses an existing name. */
  create(name: string, config: Record<string, unknown>): ManagedConnector {
    this.refuseWhenClosing();
    if (this.byName.has(name)) throw new ApiError(409, `Connector ${name} already exists`);
    const connector = this.add(name, checked(name, config, this.options.env, this.options.providers), connectorPipeline, 'api', false);
    this.save(name);
    this.startIfHere(connector);
    return connector;
  }

  /** `PUT /connectors/{name}/config`: creates, or replaces the config and restarts. True when created. */
  put(name: string, config: Record<string, unknown>): boolean {
    this.refuseWhenClosing();
    const valid = checked(name, config, this.options.env, this.options.providers);
    const existing = this.byName.get(name);
    if (!existing) {
      const connector = this.add(name, valid, connectorPipeline, 'api', false);
      this.save(name);
      this.startIfHere(connector);
      return true;
    }
    existing.config = valid;
    existing.origin = 'api';
    this.save(name);
    if (this.runsHere(name)) void existing.restart(); // queued behind any running operation: never two pipelines at once
    return false;
  }

  /** Forgets the connector at once (a pipeline file's one for good: a tombstone is kept), then waits for it to drain and commit. */
  async delete(name: string): Promise<void> {
    this.refuseWhenStarting();
    const connector = this.get(name);
    this.byName.delete(name);
    if (this.fileNames.has(name)) this.deletedFiles.add(name);
    this.save(name);
    await this.drain(name, connector);
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
      const connector = this.add(name, config, connectorPipeline, 'api', stored.paused);
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
    if (existing.paused !== stored.paused) {
      if (stored.paused) existing.pause();
      else existing.resume();
    }
  }

  private async drain(name: string, connector: ManagedConnector): Promise<void> {
    const removed = connector.remove().finally(() => {
      if (this.removing.get(name) === removed) this.removing.delete(name);
      if (!this.byName.has(name)) this.options.onDelete?.(name);
    });
    this.removing.set(name, removed);
    await removed;
  }

  pause(name: string): void {
    this.refuseWhenStarting();
    this.get(name).pause();
    this.save(name);
  }

  resume(name: string): void {
    this.refuseWhenStarting();
    this.get(name).resume();
    this.save(name);
  }

  /** The worker closes: refuses new connectors, stops every one (deleted ones still draining included). */
  async stopAll(): Promise<void> {
    this.closing = true;
    await Promise.all([...[...this.byName.values()].map((c) => c.remove()), ...this.removing.values()]);
  }

  /** A config kept from the API whose references the worker no longer allows: it fails at start, without resolving them. */
  private warnOfRefusedReferences(connector: ManagedConnector): void {
    for (const [key, value] of Object.entries(connector.config)) {
      const refused = typeof value === 'string' ? referenceProblems(value, this.options.providers) : [];
      if (refused.length > 0) this.options.log.error('connector config kept in the state store uses references this worker does not allow; it will not start until its config is changed', { connector: connector.name, key, problem: refused.join('; ') });
    }
  }

  /** Cluster mode: starts the connectors assigned here that do not run, stops those that moved elsewhere. */
  reassign(): void {
    if (this.closing) return;
    for (const connector of this.byName.values()) {
      const here = this.runsHere(connector.name);
      if (here && connector.state === 'UNASSIGNED') void connector.start();
      else if (!here && (connector.state === 'RUNNING' || connector.state === 'PAUSED')) void connector.stop();
    }
  }

  private runsHere(name: string): boolean {
    return this.options.runsHere?.(name) ?? true;
  }

  private startIfHere(connector: ManagedConnector): void {
    if (this.runsHere(connector.name)) void connector.start();
  }

  private refuseWhenClosing(): void {
    if (this.closing) throw new ApiError(503, 'The worker is shutting down');
    this.refuseWhenStarting();
  }

  private refuseWhenStarting(): void {
    if (!this.opened) throw new ApiError(503, 'The worker is starting (reading its connectors and joining its cluster): retry in a moment');
  }

  private add(name: string, config: Record<string, unknown>, build: BuildPipeline, origin: 'api' | 'file', paused: boolean): ManagedConnector {
    const connector = new ManagedConnector(name, config, build, origin, paused, this.options.deps(name), this.removing.get(name));
    this.byName.set(name, connector);
    return connector;
  }

  /** `name`: the connector the call changed (a shared store writes only that one). */
  private save(name: string): void {
    const kept = new Map<string, StoredConnector>();
    for (const name of this.deletedFiles) if (!this.byName.has(name)) kept.set(name, { paused: false, deleted: true });
    for (const c of this.byName.values()) {
      if (c.origin === 'api') kept.set(c.name, { config: c.config, paused: c.paused });
      else if (c.paused) kept.set(c.name, { paused: true });
    }
    this.options.store.save(kept, [name]);
  }
}

/**
 * The config with its name, or a 400 listing every problem, as Kafka Connect answers an invalid config. A
 * reference the worker's `providers` do not allow is a problem of its key, refused before anything is resolved.
 */
function checked(name: string, config: Record<string, unknown>, env: NodeJS.ProcessEnv, providers: ProviderPolicy): Record<string, unknown> {
  if (config.name !== undefined && config.name !== name) throw new ApiError(400, `Connector name ${String(config.name)} in the config does not match ${name}`);
  const withName = { ...config, name };
  const problems = configProblems(withName, env, providers);
  if (problems.length > 0) {
    const lines = problems.map((p) => (p.key === undefined ? p.message : `${p.key}: ${p.message}`));
    throw new ApiError(400, `Connector configuration is invalid and contains the following ${problems.length} error(s):\n${lines.join('\n')}`);
  }
  return withName;
}

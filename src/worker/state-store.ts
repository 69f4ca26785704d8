/**
 * The worker's memory across restarts: connectors created through the API (their config as given, secrets
 * included, so the file is owner-only), which connectors are paused, and which pipeline-file connectors were deleted. One JSON file, replaced atomically.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, errorMessage } from '../common/errors.js';

export interface StoredConnector {
  /** The config of a connector created or changed through the API; absent for a pipeline file's connector. */
  readonly config?: Record<string, unknown>;
  readonly paused: boolean;
  /** Stopped through the API (Connect's STOPPED target state): no task runs until resumed. */
  readonly stopped?: boolean;
  /** A pipeline file's connector deleted through the API: it stays deleted at the next start (the file remains). */
  readonly deleted?: boolean;
}

export interface StateStore {
  load(): Map<string, StoredConnector>;
  /**
   * `connectors`: the worker's whole view; `changed`: the names the call changed (a shared store writes only those).
   * Resolves once the change is durable (the file store: written and renamed, before it returns); rejects when it
   * could not be saved (the cause in the message, never a config value).
   */
  save(connectors: ReadonlyMap<string, StoredConnector>, changed?: readonly string[]): Promise<void>;
  /**
   * True for a store that hands every saved change back to the worker (`Connectors.applyStored`) as it reads it,
   * before `save` resolves (the cluster's config topic): the worker then makes no change of its own.
   */
  readonly appliesSaved?: boolean;
}

const FILE = 'connectors.json';

export function fileStateStore(dir: string): StateStore {
  const path = join(dir, FILE);
  return {
    load: () => {
      if (!existsSync(path)) return new Map();
      let parsed: { connectors?: Record<string, StoredConnector> };
      try {
        parsed = JSON.parse(readFileSync(path, 'utf8')) as typeof parsed;
      } catch (error) {
        // Written atomically, so this is a hand edit or a damaged disk: say which file, and keep it for the operator.
        throw new ConfigError(undefined, `the worker state ${path} cannot be read (${errorMessage(error)}): fix or move it away (it holds the connectors created through the API)`);
      }
      return new Map(Object.entries(parsed.connectors ?? {}));
    },
    save: async (connectors) => {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify({ version: 1, connectors: Object.fromEntries(connectors) }, null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, path);
    },
  };
}

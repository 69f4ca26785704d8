/**
 * What the state store keeps of a worker's connectors: those created or changed through the API with their config
 * and target state, a pipeline file's one only when paused or stopped, and a tombstone for a pipeline file's one
 * that was deleted.
 */
import type { ManagedConnector } from './connector.js';
import type { StoredConnector } from './state-store.js';

/** `connectors` by name; `deletedFiles`: the pipeline files' connectors deleted through the API. */
export function storedView(connectors: ReadonlyMap<string, ManagedConnector>, deletedFiles: ReadonlySet<string>): Map<string, StoredConnector> {
  const kept = new Map<string, StoredConnector>();
  for (const name of deletedFiles) if (!connectors.has(name)) kept.set(name, { paused: false, deleted: true });
  for (const c of connectors.values()) {
    const flags = c.stopped ? { paused: false, stopped: true } : { paused: c.paused };
    if (c.origin === 'api') kept.set(c.name, { config: c.config, ...flags });
    else if (c.paused || c.stopped) kept.set(c.name, flags);
  }
  return kept;
}

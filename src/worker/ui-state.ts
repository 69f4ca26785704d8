/** What the status page shows, as one JSON document: `GET /ui/state`. */
import type { ManagedConnector } from './connector.js';
import type { WorkerMetrics } from './metrics.js';
import type { RateSampler, RateSeries } from './rates.js';

export interface ConnectorView {
  name: string;
  state: string;
  trace: string | undefined;
  /** The last failure's first line and time, also once a restart cleared it. */
  lastError: { message: string; at: string } | undefined;
  /** Something the connector runs differently from its config (fewer tasks than `tasks.max`, for the worker's budget). */
  notice?: string;
  read: number;
  delivered: number;
  failed: number;
  deadLettered: number;
  inFlight: number;
  lag: Record<string, number>;
  rates: RateSeries;
  /** Cluster mode: every worker's task of this connector (the status topic's view); absent when standalone. */
  cluster?: { id: number; state: string; worker_id: string }[];
}

export function uiState(connectors: readonly ManagedConnector[], metrics: WorkerMetrics, rates: RateSampler): { connectors: ConnectorView[] } {
  return {
    connectors: connectors.map((c) => {
      const t = metrics.totalsOf(c.name);
      return {
        name: c.name,
        state: c.state,
        // The first line only: the page has no room for a stack, and the API's status has the full trace.
        trace: c.trace?.split('\n')[0],
        lastError: latest(c.lastError, t.lastRecordFailure),
        ...(c.notice === undefined ? {} : { notice: c.notice }),
        read: t.read,
        delivered: t.delivered,
        failed: t.failed,
        deadLettered: t.deadLettered,
        inFlight: c.stats()?.inFlight ?? 0,
        lag: Object.fromEntries(t.lag),
        rates: rates.series(c.name),
        ...(c.clusterTasks ? { cluster: c.clusterTasks().map((t) => ({ id: t.id, state: t.state, worker_id: t.worker_id })) } : {}),
      };
    }),
  };
}

/** The later of two dated errors (ISO times compare as text). */
function latest<T extends { at: string }>(a: T | undefined, b: T | undefined): T | undefined {
  if (!a || !b) return a ?? b;
  return a.at >= b.at ? a : b;
}

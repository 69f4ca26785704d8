/**
 * Which workers run a connector: rendezvous (highest random weight) hashing. Every worker ranks the live workers
 * by a hash of (connector name, worker id) and the first `tasks.max` run it; the rank is the task id. Each
 * worker computes this alone from the same inputs (the heartbeats it read), so the cluster converges after a join
 * or a death without any vote, and a change moves only the connectors whose top `tasks.max` changed.
 */
import { createHash } from 'node:crypto';

function weight(connector: string, worker: string): string {
  return createHash('sha256').update(connector).update('\u0000').update(worker).digest('hex');
}

/** The workers that run `connector`, in task-id order. */
export function assignedWorkers(connector: string, liveWorkers: readonly string[], tasksMax: number): string[] {
  return [...new Set(liveWorkers)]
    .map((worker) => ({ worker, weight: weight(connector, worker) }))
    .sort((a, b) => (a.weight < b.weight ? 1 : a.weight > b.weight ? -1 : a.worker.localeCompare(b.worker)))
    .slice(0, Math.max(1, tasksMax))
    .map((w) => w.worker);
}

/** A connector's `tasks.max` (default 1, as in Connect). */
export function tasksMaxOf(config: Readonly<Record<string, unknown>>): number {
  const value = Number(config['tasks.max'] ?? 1);
  return Number.isInteger(value) && value > 0 ? value : 1;
}

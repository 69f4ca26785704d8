/**
 * What a worker knows from the status topic: each worker's last heartbeat (as this worker's clock saw it) and
 * the task each worker published per connector. Records are checked before they count: a heartbeat's time is
 * never later than its arrival here, a task's `worker_id` must be the one its key names, and workers silent for
 * more than PRUNE_SESSIONS session timeouts are forgotten with their tasks.
 */
import type { TaskStatus } from '../connect-shapes.js';
import type { TailRecord } from './topic-tail.js';

export interface PublishedTask {
  readonly id: number;
  readonly state: string;
  readonly worker_id: string;
  readonly trace?: string;
}

/** A worker silent for this many session timeouts is forgotten (its heartbeat and its tasks). */
export const PRUNE_SESSIONS = 10;
/** A published trace longer than this is cut. */
export const MAX_TRACE = 16_384;
const MAX_VALUE = 100_000;

export class StatusView {
  private readonly heartbeats = new Map<string, number>();
  /** Per connector, per worker id: the task it published. */
  private readonly tasks = new Map<string, Map<string, PublishedTask>>();

  constructor(
    private readonly self: string,
    private readonly sessionTimeoutMs: number,
  ) {}

  /**
   * Applies one record read at local time `now`. `caughtUp`: the reader reached the topic's end once, so this
   * record is fresh and its arrival time is the heartbeat's time; before that the sender's time counts, capped at `now`.
   * Throws on a value it cannot take (the caller logs and skips it).
   */
  apply(record: TailRecord, now: number, caughtUp: boolean): void {
    if (record.value !== undefined && record.value.length > MAX_VALUE) throw new Error(`value larger than ${MAX_VALUE} bytes`);
    if (record.key.startsWith('worker-')) {
      const worker = record.key.slice('worker-'.length);
      if (record.value === undefined) return void this.heartbeats.delete(worker);
      const beat = JSON.parse(record.value) as { at?: unknown; worker_id?: unknown } | null;
      if (typeof beat?.at !== 'number' || !Number.isFinite(beat.at)) throw new Error('heartbeat without a numeric "at"');
      if (beat.worker_id !== undefined && beat.worker_id !== worker) throw new Error('heartbeat worker_id does not match the key');
      const { at } = beat;
      this.heartbeats.set(worker, caughtUp ? now : Math.min(at, now));
      return;
    }
    if (!record.key.startsWith('status-task-')) return;
    if (record.value === undefined) {
      // ids may hold dashes, so the key is matched against the known (connector, worker) pairs
      for (const [connector, byWorker] of this.tasks) {
        for (const worker of byWorker.keys()) if (record.key === `status-task-${connector}-${worker}`) byWorker.delete(worker);
        if (byWorker.size === 0) this.tasks.delete(connector);
      }
      return;
    }
    const task = taskOf(JSON.parse(record.value) as unknown);
    if (record.key !== `status-task-${task.connector}-${task.worker_id}`) throw new Error('worker_id or connector does not match the key');
    const byWorker = this.tasks.get(task.connector) ?? new Map<string, PublishedTask>();
    byWorker.set(task.worker_id, task.published);
    this.tasks.set(task.connector, byWorker);
  }

  /** The workers whose heartbeat is within the session timeout, this one always included. */
  liveWorkers(now: number): string[] {
    const live = [...this.heartbeats].filter(([, at]) => now - at < this.sessionTimeoutMs).map(([worker]) => worker);
    return [...new Set([...live, this.self])].sort();
  }

  /** Every task of `connector` across the cluster, as Connect's status shows them. */
  tasksOf(connector: string, now: number): TaskStatus[] {
    const live = new Set(this.liveWorkers(now));
    const all = [...(this.tasks.get(connector)?.values() ?? [])];
    const held = new Set(all.filter((t) => live.has(t.worker_id)).map((t) => t.id));
    return all
      .filter((t) => live.has(t.worker_id) || !held.has(t.id))
      .map((t) => (live.has(t.worker_id) ? { ...t } : { id: t.id, state: 'UNASSIGNED', worker_id: t.worker_id }))
      .sort((a, b) => a.id - b.id || a.worker_id.localeCompare(b.worker_id));
  }

  /** Forgets workers silent for more than PRUNE_SESSIONS session timeouts, with their tasks; and workers with tasks but no heartbeat. */
  prune(now: number): void {
    const limit = this.sessionTimeoutMs * PRUNE_SESSIONS;
    for (const [worker, at] of this.heartbeats) if (now - at > limit && worker !== this.self) this.heartbeats.delete(worker);
    for (const [connector, byWorker] of this.tasks) {
      for (const worker of byWorker.keys()) if (!this.heartbeats.has(worker) && worker !== this.self) byWorker.delete(worker);
      if (byWorker.size === 0) this.tasks.delete(connector);
    }
  }
}

/** A status-task value checked field by field. */
function taskOf(value: unknown): { connector: string; worker_id: string; published: PublishedTask } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('task status is not a JSON object');
  const { connector, id, state, worker_id: workerId, trace } = value as Record<string, unknown>;
  if (typeof connector !== 'string') throw new Error('task status without a string "connector"');
  if (typeof workerId !== 'string') throw new Error('task status without a string "worker_id"');
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw new Error('task status "id" is not an integer >= 0');
  if (typeof state !== 'string' || state.length > 64) throw new Error('task status without a short string "state"');
  if (trace !== undefined && typeof trace !== 'string') throw new Error('task status "trace" is not a string');
  const cut = trace === undefined || trace === '' ? undefined : trace.slice(0, MAX_TRACE);
  return { connector, worker_id: workerId, published: { id, state, worker_id: workerId, ...(cut ? { trace: cut } : {}) } };
}

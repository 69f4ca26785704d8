/**
 * What a worker knows from the status topic, for display only (who runs what is the workers' group's decision,
 * membership.ts): each worker's last heartbeat (as this worker's clock saw it), the last state published for each
 * task (`status-task-<connector>-<id>`, as Connect keys it: a task's new owner overwrites it), and the leader's
 * address (`leader`, written by the owner of slot 0). Records are checked before they count: a heartbeat's time
 * is never later than its arrival here, a task's key must name its connector and id, and workers silent for more
 * than PRUNE_SESSIONS session timeouts are forgotten with their tasks.
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
const MAX_TRACE = 16_384;
const MAX_VALUE = 100_000;

export class StatusView {
  private readonly heartbeats = new Map<string, number>();
  /** Per connector, per task id: the state its last owner published. */
  private readonly tasks = new Map<string, Map<number, PublishedTask>>();
  private leaderRecord: { worker_id: string; url: string } | undefined;

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
    if (record.key === 'leader') {
      this.leaderRecord = record.value === undefined ? undefined : leaderOf(JSON.parse(record.value) as unknown);
      return;
    }
    if (!record.key.startsWith('status-task-') || record.value === undefined) return; // a task's tombstone: its connector went
    const task = taskOf(JSON.parse(record.value) as unknown);
    if (record.key !== `status-task-${task.connector}-${task.published.id}`) throw new Error('connector or id does not match the key');
    const byId = this.tasks.get(task.connector) ?? new Map<number, PublishedTask>();
    byId.set(task.published.id, task.published);
    this.tasks.set(task.connector, byId);
  }

  /** The last leader record: the worker owning slot 0 when it was written (maybe gone since). */
  leader(): { worker_id: string; url: string } | undefined {
    return this.leaderRecord;
  }

  /** The task `id` of `connector` as last published, if any. */
  taskOf(connector: string, id: number): PublishedTask | undefined {
    return this.tasks.get(connector)?.get(id);
  }

  /** The workers whose heartbeat is within the session timeout, this one always included. */
  liveWorkers(now: number): string[] {
    const live = [...this.heartbeats].filter(([, at]) => now - at < this.sessionTimeoutMs).map(([worker]) => worker);
    return [...new Set([...live, this.self])].sort();
  }

  /** Tasks 0..count-1 of `connector` as last published (none yet: not shown); a silent worker's as UNASSIGNED. */
  tasksOf(connector: string, count: number, now: number): TaskStatus[] {
    const live = new Set(this.liveWorkers(now));
    return [...(this.tasks.get(connector)?.values() ?? [])]
      .filter((t) => t.id < count)
      .map((t) => (live.has(t.worker_id) ? { ...t } : { id: t.id, state: 'UNASSIGNED', worker_id: t.worker_id }))
      .sort((a, b) => a.id - b.id);
  }

  /** Forgets workers silent for more than PRUNE_SESSIONS session timeouts, and the tasks last published by a forgotten one. */
  prune(now: number): void {
    const limit = this.sessionTimeoutMs * PRUNE_SESSIONS;
    for (const [worker, at] of this.heartbeats) if (now - at > limit && worker !== this.self) this.heartbeats.delete(worker);
    for (const [connector, byId] of this.tasks) {
      for (const [id, task] of byId) if (!this.heartbeats.has(task.worker_id) && task.worker_id !== this.self) byId.delete(id);
      if (byId.size === 0) this.tasks.delete(connector);
    }
  }
}

/** A leader value checked: `{"worker_id": string, "url": "http://..."}`. */
function leaderOf(value: unknown): { worker_id: string; url: string } {
  const { worker_id: workerId, url } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof workerId !== 'string' || typeof url !== 'string' || !/^http:\/\/[^/?#@]+$/.test(url) || url.length > 300) throw new Error('leader record without a string worker_id and an http://host:port url');
  return { worker_id: workerId, url };
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

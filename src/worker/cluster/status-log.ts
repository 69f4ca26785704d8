/**
 * The status topic (compacted): each worker publishes a heartbeat (`worker-<id>`, the time) and the state of the
 * tasks it runs (`status-task-<connector>-<worker id>`: task id, state, trace, worker_id), and reads everyone's.
 * Its view answers `GET /connectors/{name}/status` the same on every worker; a worker whose heartbeat is older
 * than the session timeout is gone: its tasks show UNASSIGNED (unless a live worker now holds the same task id).
 */
import { errorMessage } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { TaskStatus } from '../connect-shapes.js';
import type { LogProducer } from './log-producer.js';
import { type TailRecord, TopicTail } from './topic-tail.js';

export interface PublishedTask {
  readonly id: number;
  readonly state: string;
  readonly worker_id: string;
  readonly trace?: string;
}

export interface StatusLogOptions {
  readonly kafka: Readonly<Record<string, string>>;
  readonly topic: string;
  readonly producer: LogProducer;
  readonly workerId: string;
  readonly sessionTimeoutMs: number;
  readonly log: Logger;
  readonly now?: () => number;
}

export class StatusLog {
  private readonly heartbeats = new Map<string, number>();
  /** Per connector, per worker id: the task it published. */
  private readonly tasks = new Map<string, Map<string, PublishedTask>>();
  /** What this worker last published per connector (null: a tombstone), so unchanged states are not rewritten. */
  private readonly published = new Map<string, string | null>();
  /** Status keys to (connector, worker id), for tombstones (ids may hold dashes, so keys are not parsed). */
  private readonly keys = new Map<string, [string, string]>();
  private readonly tail: TopicTail;

  constructor(private readonly options: StatusLogOptions) {
    this.tail = new TopicTail(options.kafka, options.topic, (record) => {
      try {
        this.read(record);
      } catch (error) {
        options.log.warn('status topic record skipped', { topic: options.topic, offset: record.offset, key: record.key, error: errorMessage(error) });
      }
    });
  }

  private read(record: TailRecord): void {
    if (record.key.startsWith('worker-')) {
      const worker = record.key.slice('worker-'.length);
      if (record.value === undefined) this.heartbeats.delete(worker);
      else this.heartbeats.set(worker, Number((JSON.parse(record.value) as { at: number }).at));
      return;
    }
    if (!record.key.startsWith('status-task-')) return;
    if (record.value === undefined) {
      const known = this.keys.get(record.key); // a tombstone: which connector and worker its key named
      if (known) this.tasks.get(known[0])?.delete(known[1]);
      return;
    }
    const task = JSON.parse(record.value) as PublishedTask & { connector: string };
    const byWorker = this.tasks.get(task.connector) ?? new Map<string, PublishedTask>();
    byWorker.set(task.worker_id, { id: task.id, state: task.state, worker_id: task.worker_id, ...(task.trace ? { trace: task.trace } : {}) });
    this.tasks.set(task.connector, byWorker);
    this.keys.set(record.key, [task.connector, task.worker_id]);
  }

  async start(): Promise<void> {
    await this.tail.start(1);
  }

  /** The workers whose heartbeat is within the session timeout, this one always included. */
  liveWorkers(): string[] {
    const now = (this.options.now ?? Date.now)();
    const live = [...this.heartbeats].filter(([, at]) => now - at < this.options.sessionTimeoutMs).map(([worker]) => worker);
    return [...new Set([...live, this.options.workerId])].sort();
  }

  /** Every task of `connector` across the cluster, as Connect's status shows them. */
  tasksOf(connector: string): TaskStatus[] {
    const live = new Set(this.liveWorkers());
    const all = [...(this.tasks.get(connector)?.values() ?? [])];
    const held = new Set(all.filter((t) => live.has(t.worker_id)).map((t) => t.id));
    return all
      .filter((t) => live.has(t.worker_id) || !held.has(t.id))
      .map((t) => (live.has(t.worker_id) ? { ...t } : { id: t.id, state: 'UNASSIGNED', worker_id: t.worker_id }))
      .sort((a, b) => a.id - b.id || a.worker_id.localeCompare(b.worker_id));
  }

  /** Publishes the heartbeat, and each connector's task state where it changed (undefined: this worker runs none). */
  async publish(states: ReadonlyMap<string, PublishedTask | undefined>): Promise<void> {
    const { producer, topic, workerId } = this.options;
    const writes: Promise<unknown>[] = [producer.write(topic, `worker-${workerId}`, JSON.stringify({ worker_id: workerId, at: Date.now() }))];
    const names = new Set([...states.keys(), ...this.published.keys()]);
    for (const name of names) {
      const task = states.get(name);
      const value = task ? JSON.stringify({ connector: name, ...task }) : null;
      if (this.published.get(name) === value || (value === null && !this.published.has(name))) continue;
      if (value === null) this.published.delete(name);
      else this.published.set(name, value);
      writes.push(producer.write(topic, `status-task-${name}-${workerId}`, value));
    }
    try {
      await Promise.all(writes);
    } catch (error) {
      this.options.log.warn('cannot publish to the status topic', { topic, error: errorMessage(error) });
    }
  }

  /** Leaving: every task of this worker and its heartbeat are removed, so others take its work at once. */
  async leave(): Promise<void> {
    const { producer, topic, workerId } = this.options;
    const writes = [...this.published.keys()].map((name) => producer.write(topic, `status-task-${name}-${workerId}`, null));
    writes.push(producer.write(topic, `worker-${workerId}`, null));
    await Promise.all(writes).catch((error: unknown) => this.options.log.warn('cannot leave the status topic cleanly', { topic, error: errorMessage(error) }));
    await this.tail.close();
  }
}

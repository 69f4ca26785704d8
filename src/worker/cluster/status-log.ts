/**
 * The status topic (compacted), for display and for finding the leader; it decides nothing about who runs what.
 * Each worker publishes a heartbeat (`worker-<id>`, the time), the state of the tasks it runs
 * (`status-task-<connector>-<task id>`: id, state, trace, worker_id), and while it owns slot 0 the leader record
 * (`leader`: its worker_id and REST URL); it reads everyone's. Its view answers `GET /connectors/{name}/status` the
 * same on every worker; a task whose worker's heartbeat is older than the session timeout shows UNASSIGNED.
 */
import { errorMessage } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { TaskStatus } from '../connect-shapes.js';
import type { LogProducer } from './log-producer.js';
import { type PublishedTask, StatusView } from './status-view.js';
import { TopicTail } from './topic-tail.js';

export type { PublishedTask } from './status-view.js';

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
  private readonly view: StatusView;
  /** What this worker last published per task key, so unchanged states are not rewritten. */
  private readonly published = new Map<string, string>();
  private readonly tail: TopicTail;
  /** Set once the topic was read to its end: later heartbeats count from their arrival here. */
  private caughtUp = false;

  constructor(private readonly options: StatusLogOptions) {
    this.view = new StatusView(options.workerId, options.sessionTimeoutMs);
    this.tail = new TopicTail(options.kafka, options.topic, options.log, (record) => {
      try {
        this.view.apply(record, this.now(), this.caughtUp);
      } catch (error) {
        options.log.warn('status topic record skipped', { topic: options.topic, offset: record.offset, key: record.key.slice(0, 300), error: errorMessage(error) });
      }
    });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async start(): Promise<void> {
    await this.tail.start(1);
    this.caughtUp = true;
  }

  /** The workers whose heartbeat is within the session timeout, this one always included. */
  liveWorkers(): string[] {
    return this.view.liveWorkers(this.now());
  }

  /** Tasks 0..count-1 of `connector` across the cluster, as Connect's status shows them. */
  tasksOf(connector: string, count: number): TaskStatus[] {
    return this.view.tasksOf(connector, count, this.now());
  }

  /** The last leader record read (its worker may be gone since: a forward to it then fails). */
  leader(): { worker_id: string; url: string } | undefined {
    return this.view.leader();
  }

  /**
   * Publishes the heartbeat, the leader record when `leaderUrl` is given, and each task this worker runs where its
   * state changed or the topic shows another worker for it (a late write of its previous owner is corrected).
   */
  async publish(tasks: ReadonlyMap<string, readonly PublishedTask[]>, leaderUrl?: string): Promise<void> {
    const { producer, topic, workerId } = this.options;
    this.view.prune(this.now());
    const writes: Promise<unknown>[] = [producer.write(topic, `worker-${workerId}`, JSON.stringify({ worker_id: workerId, at: Date.now() }))];
    if (leaderUrl !== undefined && this.view.leader()?.url !== leaderUrl) writes.push(producer.write(topic, 'leader', JSON.stringify({ worker_id: workerId, url: leaderUrl })));
    const current = new Set<string>();
    for (const [name, list] of tasks) {
      for (const task of list) {
        const key = `status-task-${name}-${task.id}`;
        current.add(key);
        const value = JSON.stringify({ connector: name, ...task });
        if (this.published.get(key) === value && this.view.taskOf(name, task.id)?.worker_id === workerId) continue;
        this.published.set(key, value);
        writes.push(producer.write(topic, key, value));
      }
    }
    for (const key of this.published.keys()) if (!current.has(key)) this.published.delete(key); // runs elsewhere now
    try {
      await Promise.all(writes);
    } catch (error) {
      this.options.log.warn('cannot publish to the status topic', { topic, error: errorMessage(error) });
    }
  }

  /**
   * Leaving: the heartbeat is removed, so every worker shows this one's tasks UNASSIGNED until their new owners
   * write, and its leader record too (followers then wait for the next leader's instead of forwarding here).
   */
  async leave(): Promise<void> {
    const { producer, topic, workerId } = this.options;
    const writes = [producer.write(topic, `worker-${workerId}`, null)];
    if (this.view.leader()?.worker_id === workerId) writes.push(producer.write(topic, 'leader', null));
    await Promise.all(writes).catch((error: unknown) => this.options.log.warn('cannot leave the status topic cleanly', { topic, error: errorMessage(error) }));
    await this.tail.close();
  }
}

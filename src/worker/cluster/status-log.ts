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
  /** What this worker last published per connector (null: a tombstone), so unchanged states are not rewritten. */
  private readonly published = new Map<string, string | null>();
  private readonly tail: TopicTail;
  /** Set once the topic was read to its end: later heartbeats count from their arrival here. */
  private caughtUp = false;

  constructor(private readonly options: StatusLogOptions) {
    this.view = new StatusView(options.workerId, options.sessionTimeoutMs);
    this.tail = new TopicTail(options.kafka, options.topic, (record) => {
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

  /** Every task of `connector` across the cluster, as Connect's status shows them. */
  tasksOf(connector: string): TaskStatus[] {
    return this.view.tasksOf(connector, this.now());
  }

  /** Publishes the heartbeat, and each connector's task state where it changed (undefined: this worker runs none). */
  async publish(states: ReadonlyMap<string, PublishedTask | undefined>): Promise<void> {
    const { producer, topic, workerId } = this.options;
    this.view.prune(this.now());
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

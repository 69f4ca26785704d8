/**
 * Cluster mode's state store: the config topic (compacted, one partition), keyed as Kafka Connect keys it:
 * `connector-<name>` holds the config as written (`${env:...}` unresolved), `target-state-<name>` holds
 * `{"state":"PAUSED"|"STARTED"}`, and a delete writes tombstones for both. `save` writes what changed; every
 * record, this worker's own included, reaches `onChange` when read back, so all workers apply the same order.
 */
import { errorMessage } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { StateStore, StoredConnector } from '../state-store.js';
import type { LogProducer } from './log-producer.js';
import { type TailRecord, TopicTail } from './topic-tail.js';

export interface ConfigLogOptions {
  readonly kafka: Readonly<Record<string, string>>;
  readonly topic: string;
  readonly producer: LogProducer;
  readonly log: Logger;
}

export class ConfigLog implements StateStore {
  /** The topic's state as read (configs and target states), updated as records arrive. */
  private readonly read = new Map<string, { config?: Record<string, unknown>; paused: boolean }>();
  /** What this worker last wrote or read per connector: `save` writes only the difference. */
  private written = new Map<string, StoredConnector>();
  private readonly tail: TopicTail;
  private writes: Promise<void> = Promise.resolve();
  /** True while a change read from the topic is applied: the worker's saves then write nothing (it is already there). */
  private applying = false;
  /** Called for each connector changed by a record read after start (any worker's). */
  onChange: (name: string, stored: StoredConnector | undefined) => void = () => undefined;

  constructor(private readonly options: ConfigLogOptions) {
    this.tail = new TopicTail(options.kafka, options.topic, (record) => this.apply(record));
  }

  /** Reads the topic to its end; then follows it. */
  async start(): Promise<void> {
    await this.tail.start(1);
    this.written = this.load();
  }

  /** The connectors whose config the topic holds, with their target state. */
  load(): Map<string, StoredConnector> {
    const connectors = new Map<string, StoredConnector>();
    for (const [name, entry] of this.read) if (entry.config) connectors.set(name, { config: entry.config, paused: entry.paused });
    return connectors;
  }

  /** Writes the records that turn the last known state into `connectors` (the worker's whole view). */
  save(connectors: ReadonlyMap<string, StoredConnector>): void {
    if (this.applying) return;
    const records: [string, string | null][] = [];
    for (const [name, now] of connectors) {
      if (!now.config) continue; // a pipeline file's connector: not shared through the cluster
      const before = this.written.get(name);
      if (JSON.stringify(before?.config) !== JSON.stringify(now.config)) records.push([`connector-${name}`, JSON.stringify(now.config)]);
      if (!before || before.paused !== now.paused) records.push([`target-state-${name}`, JSON.stringify({ state: now.paused ? 'PAUSED' : 'STARTED' })]);
    }
    for (const name of this.written.keys()) {
      if (!connectors.get(name)?.config) records.push([`connector-${name}`, null], [`target-state-${name}`, null]);
    }
    this.written = new Map([...connectors].filter(([, c]) => c.config !== undefined));
    if (records.length === 0) return;
    this.writes = this.writes.then(async () => {
      for (const [key, value] of records) {
        try {
          const at = await this.options.producer.write(this.options.topic, key, value);
          await this.tail.readPast(at.offset, at.partition);
        } catch (error) {
          this.options.log.error('cannot write to the config topic: the change is not shared with the cluster', { topic: this.options.topic, key, error: errorMessage(error) });
        }
      }
    });
  }

  /** Resolves once every write asked so far was acknowledged and read back. */
  flushed(): Promise<void> {
    return this.writes;
  }

  close(): Promise<void> {
    return this.tail.close();
  }

  private apply(record: TailRecord): void {
    const match = /^(connector|target-state)-(.+)$/.exec(record.key);
    if (!match) return; // Connect's other keys (task configs, commits) and foreign ones: not ours
    const [, kind, name] = match as unknown as [string, string, string];
    const entry = this.read.get(name) ?? { paused: false };
    if (kind === 'connector') {
      if (record.value === undefined) {
        this.read.delete(name);
        this.changed(name, undefined);
        return;
      }
      try {
        entry.config = JSON.parse(record.value) as Record<string, unknown>;
      } catch (error) {
        this.options.log.error('config topic record is not JSON: skipped', { topic: this.options.topic, offset: record.offset, key: record.key, error: errorMessage(error) });
        return;
      }
    } else {
      if (record.value === undefined) return; // follows a deleted connector's tombstone
      try {
        entry.paused = (JSON.parse(record.value) as { state?: string }).state === 'PAUSED';
      } catch {
        this.options.log.error('config topic target state is not JSON: skipped', { topic: this.options.topic, offset: record.offset, key: record.key });
        return;
      }
    }
    this.read.set(name, entry);
    if (entry.config) this.changed(name, { config: entry.config, paused: entry.paused });
  }

  private changed(name: string, stored: StoredConnector | undefined): void {
    if (stored) this.written.set(name, stored);
    else this.written.delete(name);
    this.applying = true;
    try {
      this.onChange(name, stored);
    } catch (error) {
      this.options.log.error('cannot apply a config topic change on this worker', { connector: name, error: errorMessage(error) });
    } finally {
      this.applying = false;
    }
  }
}

/**
 * Cluster mode's state store: the config topic (compacted, one partition), keyed as Kafka Connect keys it:
 * `connector-<name>` holds the config as written (`${env:...}` unresolved), `target-state-<name>` holds
 * `{"state":"PAUSED"|"STARTED"}`, and a delete writes tombstones for both. `save` writes only the connectors a REST
 * call changed; every record, this worker's own included, reaches the `follow` handler when read back, so all
 * workers apply the same order. A record that cannot be applied (see config-record.ts) is skipped and logged.
 */
import { errorMessage } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { StateStore, StoredConnector } from '../state-store.js';
import { parseConnectorRecord, parseTargetState } from './config-record.js';
import type { LogProducer } from './log-producer.js';
import { type TailRecord, TopicTail } from './topic-tail.js';

export interface ConfigLogOptions {
  readonly kafka: Readonly<Record<string, string>>;
  readonly topic: string;
  readonly producer: LogProducer;
  readonly log: Logger;
}

export type ConfigChange = (name: string, stored: StoredConnector | undefined) => void;

/** What the config log needs of its reader (tests pass a scripted one). */
export type ConfigTail = Pick<TopicTail, 'start' | 'readPast' | 'close'>;

export class ConfigLog implements StateStore {
  /** The topic's state as read (configs and target states), updated as records arrive. */
  private readonly read = new Map<string, { config?: Record<string, unknown>; paused: boolean }>();
  /** Per connector, what the topic holds as far as this worker knows (read, or written by it): `save` writes the difference. */
  private readonly written = new Map<string, StoredConnector>();
  private readonly tail: ConfigTail;
  private writes: Promise<void> = Promise.resolve();
  /** True while a change read from the topic is applied: the worker's saves then write nothing (it is already there). */
  private applying = false;
  private handler: ConfigChange | undefined;
  /** Changes read after `start` but before `follow`: applied when the handler is set (latest per connector). */
  private readonly pending = new Map<string, StoredConnector | undefined>();
  private started = false;

  constructor(
    private readonly options: ConfigLogOptions,
    tail?: (onRecord: (record: TailRecord) => void) => ConfigTail,
  ) {
    const onRecord = (record: TailRecord): void => this.apply(record);
    this.tail = tail ? tail(onRecord) : new TopicTail(options.kafka, options.topic, onRecord);
  }

  /** Reads the topic to its end; then follows it (changes read from now on wait for `follow`). */
  async start(): Promise<void> {
    await this.tail.start(1);
    this.pending.clear(); // what was read so far is in load()
    this.started = true;
  }

  /** From now on each connector changed by a record (any worker's) goes to `handler`, those read since `start` first. */
  follow(handler: ConfigChange): void {
    this.handler = handler;
    const missed = [...this.pending];
    this.pending.clear();
    for (const [name, stored] of missed) this.deliver(name, stored);
  }

  /** The connectors whose config the topic holds, with their target state. */
  load(): Map<string, StoredConnector> {
    const connectors = new Map<string, StoredConnector>();
    for (const [name, entry] of this.read) if (entry.config) connectors.set(name, { config: entry.config, paused: entry.paused });
    return connectors;
  }

  /**
   * Writes the records that bring the topic to `connectors` for the names in `changed` (those a REST call created,
   * changed, paused, resumed or deleted); a name not in `changed` is never written, so a connector this worker does
   * not know (or knows older) is left as the topic holds it. Without `changed`, nothing is deleted.
   */
  save(connectors: ReadonlyMap<string, StoredConnector>, changed?: readonly string[]): void {
    if (this.applying) return;
    const records: [string, string | null][] = [];
    for (const name of changed ?? [...connectors.keys()]) {
      const now = connectors.get(name);
      const before = this.written.get(name);
      if (now?.config) {
        if (JSON.stringify(before?.config) !== JSON.stringify(now.config)) records.push([`connector-${name}`, JSON.stringify(now.config)]);
        if (!before || before.paused !== now.paused) records.push([`target-state-${name}`, JSON.stringify({ state: now.paused ? 'PAUSED' : 'STARTED' })]);
        this.written.set(name, { config: now.config, paused: now.paused });
      } else if (!now && changed !== undefined && before) {
        records.push([`connector-${name}`, null], [`target-state-${name}`, null]);
        this.written.delete(name);
      } // else a pipeline file's connector: not shared through the cluster
    }
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
    const match = /^(connector|target-state)-(.+)$/s.exec(record.key);
    if (!match) return; // Connect's other keys (task configs, commits) and foreign ones: not ours
    const [, kind, name] = match as unknown as [string, string, string];
    const skip = (problem: string): void =>
      void this.options.log.error('config topic record skipped', { topic: this.options.topic, offset: record.offset, key: record.key.slice(0, 300), bytes: record.value?.length ?? 0, problem });
    const entry = this.read.get(name) ?? { paused: false };
    if (kind === 'connector') {
      if (record.value === undefined) {
        if (!this.read.has(name)) return;
        this.read.delete(name);
        this.changed(name, undefined);
        return;
      }
      const parsed = parseConnectorRecord(name, record.value);
      if (!parsed.ok) return skip(parsed.problem);
      entry.config = parsed.config;
    } else {
      if (record.value === undefined) {
        if (!entry.config) this.read.delete(name); // follows a deleted connector's tombstone
        return;
      }
      const parsed = parseTargetState(record.value);
      if (!parsed.ok) return skip(parsed.problem);
      entry.paused = parsed.paused;
    }
    this.read.set(name, entry);
    if (entry.config) this.changed(name, { config: entry.config, paused: entry.paused });
  }

  private changed(name: string, stored: StoredConnector | undefined): void {
    if (stored) this.written.set(name, stored);
    else this.written.delete(name);
    if (!this.started) return; // still reading to the end: load() has it
    if (this.handler) this.deliver(name, stored);
    else this.pending.set(name, stored);
  }

  private deliver(name: string, stored: StoredConnector | undefined): void {
    this.applying = true;
    try {
      this.handler?.(name, stored);
    } catch (error) {
      this.options.log.error('cannot apply a config topic change on this worker', { connector: name, error: errorMessage(error) });
    } finally {
      this.applying = false;
    }
  }
}

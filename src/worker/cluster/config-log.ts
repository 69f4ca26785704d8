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
import { stateOf, type TargetFlags } from '../target-state.js';
import { parseConnectorRecord, parseTargetState } from './config-record.js';
import type { RecordWriter } from './fenced-writer.js';
import { type TailRecord, TopicTail } from './topic-tail.js';

export interface ConfigLogOptions {
  readonly kafka: Readonly<Record<string, string>>;
  readonly topic: string;
  readonly producer: RecordWriter;
  readonly log: Logger;
  /** How long a REST change waits for its record to be acknowledged and read back (default WRITE_TIMEOUT_MS). */
  readonly writeTimeoutMs?: number;
}

/** Kafka Connect's herder gives a config write and its read-back about this long before it answers 500. */
const WRITE_TIMEOUT_MS = 30_000;

export type ConfigChange = (name: string, stored: StoredConnector | undefined) => void;

/** What the config log needs of its reader (tests pass a scripted one). */
export type ConfigTail = Pick<TopicTail, 'start' | 'readPast' | 'close'> & Partial<Pick<TopicTail, 'readToEnd'>>;

export class ConfigLog implements StateStore {
  /** The topic's state as read (configs and target states), updated as records arrive. */
  private readonly read = new Map<string, { config?: Record<string, unknown>; paused: boolean; stopped?: boolean }>();
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
  private closed = false;
  /** `StateStore.appliesSaved`: every record saved is applied through the `follow` handler once read back. */
  readonly appliesSaved = true;

  constructor(
    private readonly options: ConfigLogOptions,
    tail?: (onRecord: (record: TailRecord) => void) => ConfigTail,
  ) {
    const onRecord = (record: TailRecord): void => this.apply(record);
    // read_committed: a record of a leader fenced out before its transaction committed is never applied (fenced-writer.ts)
    this.tail = tail ? tail(onRecord) : new TopicTail({ ...options.kafka, 'isolation.level': 'read_committed' }, options.topic, options.log, onRecord);
  }

  /** Resolves once every record the topic holds now was read and applied here (the leader, before it takes a change). */
  async readToEnd(): Promise<void> {
    await this.tail.readToEnd?.(this.options.writeTimeoutMs ?? WRITE_TIMEOUT_MS);
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
    for (const [name, entry] of this.read) if (entry.config) connectors.set(name, { config: entry.config, ...targetOf(entry) });
    return connectors;
  }

  /**
   * Writes the records that bring the topic to `connectors` for the names in `changed` (those a REST call created,
   * changed, paused, resumed or deleted); a name not in `changed` is never written, so a connector this worker does
   * not know (or knows older) is left as the topic holds it. Without `changed`, nothing is deleted.
   *
   * Resolves once each record was acknowledged by the broker (idempotent producer, acks=all) and read back here,
   * so the `follow` handler has applied it, and every record before it, by then: the caller answers in the topic's
   * order. Rejects, naming the record and the cause, when one could not be written or read back within
   * `writeTimeoutMs`; this worker then holds what it read (a record written before the failure, already read
   * back, stays applied, as the topic has it). Saves run one after another, each compared with what the topic
   * holds when its turn comes.
   */
  save(connectors: ReadonlyMap<string, StoredConnector>, changed?: readonly string[]): Promise<void> {
    if (this.applying) return Promise.resolve();
    const saved = this.writes.then(() => this.write(connectors, changed));
    this.writes = saved.catch(() => undefined);
    return saved;
  }

  private async write(connectors: ReadonlyMap<string, StoredConnector>, changed: readonly string[] | undefined): Promise<void> {
    for (const name of changed ?? [...connectors.keys()]) {
      const now = connectors.get(name);
      const before = this.written.get(name);
      const records: [string, string | null][] = [];
      if (now?.config) {
        if (JSON.stringify(before?.config) !== JSON.stringify(now.config)) records.push([`connector-${name}`, JSON.stringify(now.config)]);
        if (!before || stateOf(before) !== stateOf(now)) records.push([`target-state-${name}`, targetStateRecord(now)]);
      } else if (!now && changed !== undefined && before) {
        records.push([`connector-${name}`, null], [`target-state-${name}`, null]);
      } // else a pipeline file's connector: not shared through the cluster
      for (const [key, value] of records) {
        try {
          await this.writeAndReadBack(key, value);
        } catch (error) {
          // what the topic holds as far as this worker read it: the next save compares with that
          const read = this.read.get(name);
          if (read?.config) this.written.set(name, { config: read.config, ...targetOf(read) });
          else this.written.delete(name);
          this.options.log.error('cannot write to the config topic: the change is not shared with the cluster', { topic: this.options.topic, key, error: errorMessage(error) });
          throw new Error(`cannot write ${key} to the config topic ${this.options.topic}: ${errorMessage(error)}`, { cause: error });
        }
      }
      if (now?.config) this.written.set(name, { config: now.config, ...targetOf(now) });
      else if (!now && changed !== undefined) this.written.delete(name);
    }
  }

  /** One record, acknowledged, then read back by this worker's reader (its change applied), within `writeTimeoutMs`. */
  private async writeAndReadBack(key: string, value: string | null): Promise<void> {
    const ms = this.options.writeTimeoutMs ?? WRITE_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not acknowledged and read back within ${ms} ms`)), ms);
    });
    try {
      await Promise.race([
        (async () => {
          const at = await this.options.producer.write(this.options.topic, key, value);
          await this.tail.readPast(at.offset, at.partition);
        })(),
        late,
      ]);
    } finally {
      clearTimeout(timer);
    }
    if (this.closed) throw new Error('the worker is shutting down: the record was not read back');
  }

  /** Settles once every write asked so far was acknowledged and read back, or failed. */
  flushed(): Promise<void> {
    return this.writes;
  }

  close(): Promise<void> {
    this.closed = true;
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
      entry.stopped = parsed.stopped === true;
    }
    this.read.set(name, entry);
    if (entry.config) this.changed(name, { config: entry.config, ...targetOf(entry) });
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

/** A connector's target state as the store keeps it (`stopped` only when true). */
function targetOf(entry: TargetFlags): TargetFlags {
  return entry.stopped === true ? { paused: false, stopped: true } : { paused: entry.paused };
}

/**
 * Connect's target-state record. STOPPED as Connect 3.5+ writes it: `state` PAUSED for older workers, `state.v2`
 * STOPPED; the others as `{"state": ...}` alone, which every Connect version reads.
 */
function targetStateRecord(flags: TargetFlags): string {
  const state = stateOf(flags);
  return JSON.stringify(state === 'STOPPED' ? { state: 'PAUSED', 'state.v2': state } : { state });
}

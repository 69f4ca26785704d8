/**
 * The Kafka consumer as an Observable of record arrays (one emission per poll), with per-partition watermark
 * commits and backpressure: above `maxInFlightRecords` the assigned partitions are paused while polling goes on.
 */
import rdkafka from 'node-rdkafka';
import type { KafkaConsumer, LibrdKafkaError, Message, TopicPartition, TopicPartitionOffset } from 'node-rdkafka';
import { Observable } from 'rxjs';
import type { Logger } from 'winston';
import { KafkaError } from '../common/errors.js';
import type { KafkaSourceOptions } from './kafka-config.js';
import { FlowControl } from './flow-control.js';
import { idOf, toTopicPartition } from '../records/topic-partition.js';
import { PartitionTracker } from './offset-tracker.js';
import type { KafkaRecord } from '../records/record.js';
import { toKafkaRecord } from './message-record.js';
import { createConsumer } from './consumer.js';
import { statisticsWithEnds } from './high-watermarks.js';

const { CODES } = rdkafka;
const IDLE_POLL_MS = 100;
const BUSY_POLL_MS = 5;

export interface SourceStats {
  readonly consumed: number;
  readonly inFlight: number;
  readonly paused: boolean;
  /** Last offsets the broker confirmed as committed, by "topic/partition". */
  readonly committed: ReadonlyMap<string, number>;
}

export class KafkaSource {
  readonly records$: Observable<KafkaRecord[]>;
  private readonly consumer: KafkaConsumer;
  private readonly trackers = new Map<string, PartitionTracker>();
  private readonly lastCommitted = new Map<string, number>();
  private readonly confirmed = new Map<string, number>();
  /** Records read and not yet covered by a confirmed commit, and which partitions that pauses. */
  private readonly flow: FlowControl;
  /** The current assignment, as the rebalance callback set it (asking the consumer throws in some states). */
  private assigned: string[] = [];
  /** Per partition: records the watermark passed that no commit has carried yet. */
  private readonly uncommitted = new Map<string, number>();
  /** Per "topic/partition@offset": records carried by a commit awaiting the broker's answer. */
  private readonly committing = new Map<string, number>();
  /** Partitions this consumer paused and did not resume yet (librdkafka may keep that across a rebalance). */
  private readonly pausedHere = new Set<string>();
  private commitQueued = false;
  private consumed = 0;
  private stopping = false;
  private commitTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: KafkaSourceOptions,
    private readonly log: Logger,
  ) {
    this.flow = new FlowControl(options.maxInFlightRecords);
    this.consumer = createConsumer(options, (err, assignment) => this.rebalance(err, assignment));
    this.consumer.on('offset.commit', (err, offsets: TopicPartitionOffset[]) => this.onCommitted(err, offsets));
    this.consumer.on('event.error', (err) => this.log.warn('kafka client error', { error: err.message, code: err.code }));
    this.records$ = new Observable<KafkaRecord[]>((subscriber) => {
      let active = true;
      const poll = (timeout: number): void => {
        if (!active) return;
        if (this.stopping) {
          subscriber.complete();
          return;
        }
        this.consumer.setDefaultConsumeTimeout(timeout);
        this.consumer.consume(this.pollMaxRecords(), (err, messages) => {
          if (!active) return;
          if (err && err.code !== CODES.ERRORS.ERR__TIMED_OUT) {
            if (err.isFatal) {
              subscriber.error(new KafkaError(`kafka consumer failed: ${err.message}`, false, err));
              return;
            }
            this.log.warn('kafka consume error, polling on', { error: err.message, code: err.code });
          }
          const records = messages && messages.length > 0 ? this.toRecords(messages) : [];
          if (records.length > 0) subscriber.next(records);
          this.applyBackpressure();
          setImmediate(poll, messages && messages.length > 0 ? BUSY_POLL_MS : IDLE_POLL_MS);
        });
      };
      poll(IDLE_POLL_MS);
      return () => {
        active = false;
      };
    });
  }

  /** Connects, joins the group `options.groupId` and subscribes; resolves once connected. */
  async connect(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.consumer.connect({ timeout: 30_000 }, (err) =>
        err ? reject(new KafkaError(`cannot connect to Kafka at ${String(this.options.rdkafka['bootstrap.servers'])}: ${err.message}`, true, err)) : resolve(),
      );
    });
    this.consumer.subscribe([...this.options.topics]);
    this.commitTimer = setInterval(() => this.commit(false), this.options.commitIntervalMs);
    this.commitTimer.unref();
    this.log.info('kafka source started', { group: this.options.groupId, topics: this.options.topics });
  }

  /** Stop reading: `records$` completes at its next poll. Delivered work is still committed by `close()`. */
  stop(): void {
    this.stopping = true;
  }

  /** Pauses every assigned partition (true) until released (false), whatever the backpressure; polling goes on. */
  hold(held: boolean): void {
    this.flow.hold(held);
    this.applyBackpressure();
  }

  /** For metrics: librdkafka's statistics (with fresh ends for partitions paused here) and each commit's outcome. */
  observe(observer: { statistics(json: string, ends?: ReadonlyMap<string, number>): void; committed(ok: boolean): void }): void {
    const paused = (): string[] => this.assigned.filter((id) => this.pausedHere.has(id));
    this.consumer.on('event.stats', statisticsWithEnds(this.consumer, paused, (json, ends) => observer.statistics(json, ends)));
    this.consumer.on('offset.commit', (err: LibrdKafkaError | null) => observer.committed(!err));
  }

  /** Commits the final watermarks synchronously, leaves the group and disconnects. */
  async close(): Promise<void> {
    this.stopping = true;
    if (this.commitTimer) clearInterval(this.commitTimer);
    if (!this.consumer.isConnected()) return;
    this.commit(true);
    await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
    this.log.info('kafka source closed', { committed: Object.fromEntries(this.confirmed) });
  }

  /** One poll never takes more than the backpressure bound allows, so in flight stays under twice the bound. */
  private pollMaxRecords(): number {
    return Math.max(1, Math.min(this.options.pollMaxRecords ?? 1000, this.options.maxInFlightRecords));
  }

  stats(): SourceStats {
    const paused = this.flow.isPaused();
    return { consumed: this.consumed, inFlight: this.flow.inFlight(), paused, committed: this.confirmed };
  }

  /**
   * Per record: one object; per partition and poll: one flow-control update (polls come in partition runs). Offsets
   * this assignment handed out already (librdkafka rewound the fetch position) are skipped: they are in the pipeline.
   */
  private toRecords(messages: Message[]): KafkaRecord[] {
    const records: KafkaRecord[] = [];
    const perPartition = new Map<PartitionTracker, number>();
    let tracker: PartitionTracker | undefined;
    for (const m of messages) {
      if (tracker === undefined || tracker.topic !== m.topic || tracker.partition !== m.partition) tracker = this.tracker(m.topic, m.partition);
      if (!tracker.track(m.offset)) continue;
      perPartition.set(tracker, (perPartition.get(tracker) ?? 0) + 1);
      records.push(toKafkaRecord(m, tracker));
    }
    for (const [partitionTracker, count] of perPartition) this.flow.add(idOf(partitionTracker), count);
    this.consumed += records.length;
    const again = messages.length - records.length;
    if (again > 0) this.log.debug('kafka delivered records again after a pause; skipped (already in the pipeline)', { count: again, first: `${idOf(messages[0]!)}@${messages[0]!.offset}` });
    return records;
  }

  private tracker(topic: string, partition: number): PartitionTracker {
    const id = idOf({ topic, partition });
    let tracker = this.trackers.get(id);
    if (!tracker) {
      tracker = new PartitionTracker(topic, partition, (count) => this.settled(id, count));
      this.trackers.set(id, tracker);
    }
    return tracker;
  }

  private settled(id: string, count: number): void {
    this.uncommitted.set(id, (this.uncommitted.get(id) ?? 0) + count);
    this.commitSoonIfPressed();
  }

  /** Near the bound, waiting for the commit interval would stall the flow: commit now (one commit at a time). */
  private commitSoonIfPressed(): void {
    if (this.commitQueued || this.committing.size > 0 || !this.flow.pressed()) return;
    this.commitQueued = true;
    setImmediate(() => {
      this.commitQueued = false;
      this.commit(false);
    });
  }

  private applyBackpressure(): void {
    if (this.stopping || !this.consumer.isConnected()) return;
    const { pause, resume } = this.flow.decide(this.assigned);
    try {
      if (pause.length > 0) this.setPaused(pause, true);
      if (resume.length > 0) this.setPaused(resume, false);
    } catch (error) {
      // Only during a rebalance; the next assignment applies the pause state again.
      this.log.debug('pause/resume skipped', { error: (error as Error).message });
    }
    if (pause.length + resume.length > 0) this.log.debug('backpressure', { paused: pause, resumed: resume, inFlight: this.flow.inFlight() });
  }

  /** Commits every assigned partition whose watermark moved since the last commit. */
  private commit(sync: boolean, only?: ReadonlySet<string>): void {
    const offsets: TopicPartitionOffset[] = [];
    for (const [id, tracker] of this.trackers) {
      if (only && !only.has(id)) continue;
      const offset = tracker.committable();
      if (offset === undefined || offset === this.lastCommitted.get(id)) continue;
      offsets.push({ topic: tracker.topic, partition: tracker.partition, offset });
    }
    if (offsets.length === 0) return;
    for (const o of offsets) {
      const id = idOf(o);
      this.committing.set(`${id}@${o.offset}`, (this.committing.get(`${id}@${o.offset}`) ?? 0) + (this.uncommitted.get(id) ?? 0));
      this.uncommitted.delete(id);
      this.lastCommitted.set(id, o.offset);
    }
    try {
      if (sync) {
        this.consumer.commitSync(offsets);
        this.onCommitted(null, offsets);
      } else {
        this.consumer.commit(offsets);
      }
    } catch (error) {
      this.onCommitted({ message: (error as Error).message } as LibrdKafkaError, offsets);
    }
  }

  /** The broker's answer to a commit (librdkafka may report a commit twice: the second finds nothing to settle). */
  private onCommitted(err: LibrdKafkaError | null, offsets: TopicPartitionOffset[]): void {
    for (const o of offsets) {
      const id = idOf(o);
      const count = this.committing.get(`${id}@${o.offset}`);
      if (count === undefined) continue;
      this.committing.delete(`${id}@${o.offset}`);
      if (err) {
        this.uncommitted.set(id, (this.uncommitted.get(id) ?? 0) + count);
        if (this.lastCommitted.get(id) === o.offset) this.lastCommitted.delete(id);
      } else {
        this.flow.add(id, -count);
        this.confirmed.set(id, o.offset);
      }
    }
    if (err) {
      this.log.warn('offset commit failed; retrying at the next interval (delivered records stay in flight meanwhile)', { error: err.message });
    } else {
      this.log.debug('offsets committed', { offsets: offsets.map((o) => `${o.topic}/${o.partition}@${o.offset}`) });
    }
    this.applyBackpressure();
    this.commitSoonIfPressed();
  }

  private setPaused(ids: readonly string[], paused: boolean): void {
    if (ids.length === 0) return;
    if (paused) this.consumer.pause(ids.map(toTopicPartition));
    else this.consumer.resume(ids.map(toTopicPartition));
    for (const id of ids) {
      if (paused) this.pausedHere.add(id);
      else this.pausedHere.delete(id);
    }
  }

  private rebalance(err: LibrdKafkaError, assignment: TopicPartition[]): void {
    const consumer = this.consumer;
    try {
      if (err.code === CODES.ERRORS.ERR__ASSIGN_PARTITIONS) {
        consumer.assign(assignment);
        this.assigned = assignment.map(idOf);
        // Paused now: pause the new partitions too. Otherwise resume only those this consumer paused before the
        // rebalance: resuming a partition that is not paused can rewind its fetch position (librdkafka#4686).
        if (this.flow.isPaused()) this.setPaused(this.assigned, true);
        else this.setPaused(this.assigned.filter((id) => this.pausedHere.has(id)), false);
        this.log.info('partitions assigned', { partitions: assignment.map(idOf) });
      } else if (err.code === CODES.ERRORS.ERR__REVOKE_PARTITIONS) {
        const revoked = new Set(assignment.map(idOf));
        this.commit(true, revoked);
        for (const id of revoked) {
          const tracker = this.trackers.get(id);
          if (!tracker) continue;
          this.flow.forget(id);
          this.uncommitted.delete(id);
          for (const key of this.committing.keys()) if (key.startsWith(`${id}@`)) this.committing.delete(key);
          tracker.revoke();
          this.trackers.delete(id);
          this.lastCommitted.delete(id);
        }
        consumer.unassign();
        this.assigned = [];
        this.log.info('partitions revoked', { partitions: [...revoked] });
      } else {
        this.log.error('rebalance error', { error: err.message });
      }
    } catch (error) {
      this.log.warn('rebalance handling failed', { error: (error as Error).message });
    }
  }
}

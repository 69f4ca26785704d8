/**
 * The Kafka consumer as an Observable of record arrays (one emission per poll), with per-partition watermark
 * commits and backpressure: at `maxInFlightRecords` the source reads one record per poll for a while, then pauses the
 * assigned partitions while polling goes on (flow-control.ts).
 */
import rdkafka from 'node-rdkafka';
import type { KafkaConsumer, LibrdKafkaError, TopicPartition, TopicPartitionOffset } from 'node-rdkafka';
import { Observable } from 'rxjs';
import type { Logger } from 'winston';
import { KafkaError } from '../common/errors.js';
import type { KafkaSourceOptions } from './kafka-config.js';
import { FlowControl } from './flow-control.js';
import { idOf, toTopicPartition } from '../records/topic-partition.js';
import type { KafkaRecord } from '../records/record.js';
import { PollRecords } from './poll-records.js';
import { KafkaConsume } from './kafka-consume.js';
import { createConsumer } from './consumer.js';
import { ClientErrors, secretValues } from './client-errors.js';
import { statisticsWithEnds } from './high-watermarks.js';
import { CommitPacer } from './commit-pacer.js';
import { CommitLedger } from './commit-ledger.js';
import { DEFAULT_POLL_MAX_RECORDS } from './consumer-defaults.js';
import type { SourceStats } from './source-stats.js';

const { CODES } = rdkafka;
const IDLE_POLL_MS = 100;
const BUSY_POLL_MS = 5;
/** Between the one-record polls at the in-flight bound (flow-control.ts): at most 200 records a second past it. */
const THROTTLED_POLL_MS = 5;
/** Least time between early commits (or the commit interval, when shorter); small against the window's drain time. */
const EARLY_COMMIT_SPACING_MS = 20;

export class KafkaSource {
  readonly records$: Observable<KafkaRecord[]>;
  private readonly consumer: KafkaConsumer;
  private readonly errors: ClientErrors; // librdkafka's errors, collapsed; a fatal one fails connect() or records$
  /** Messages -> records, with the per-partition offset trackers. */
  private readonly polled: PollRecords;
  /** One poll through the lean or the standard consume path (kafka-consume.ts). */
  private readonly reader: KafkaConsume;
  /** Records settled, commits awaiting the broker, offsets sent and confirmed, per partition. */
  private readonly ledger = new CommitLedger();
  /** Records read and not yet covered by a confirmed commit, and which partitions that pauses. */
  private readonly flow: FlowControl;
  /** The current assignment, as the rebalance callback set it (asking the consumer throws in some states). */
  private assigned: string[] = [];
  /** Partitions this consumer paused and did not resume yet (librdkafka may keep that across a rebalance). */
  private readonly pausedHere = new Set<string>();
  /** Decides when to commit before the interval (commit-pacer.ts); `earlyCommit` is the one commit it scheduled. */
  private readonly pacer: CommitPacer;
  private earlyCommit: NodeJS.Timeout | undefined;
  private checkQueued = false;
  private commits = 0;
  /** The last pause or resume threw (warned once until one succeeds). */
  private pauseFailing = false;
  private stopping = false;
  private commitTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: KafkaSourceOptions,
    private readonly log: Logger,
    /** Makes the librdkafka consumer (tests pass a fake). */
    consumerOf: typeof createConsumer = createConsumer,
  ) {
    this.flow = new FlowControl(options.maxInFlightRecords, undefined, options.maxInFlightBytes);
    this.polled = new PollRecords(this.flow, (id, count) => this.settled(id, count), log);
    this.pacer = new CommitPacer({ maxInFlight: options.maxInFlightRecords, minSpacingMs: Math.min(EARLY_COMMIT_SPACING_MS, options.commitIntervalMs), retryAfterFailureMs: options.commitIntervalMs });
    this.consumer = consumerOf(options, (err, assignment) => this.rebalance(err, assignment));
    this.reader = new KafkaConsume(this.consumer, this.polled, log);
    this.consumer.on('offset.commit', (err, offsets: TopicPartitionOffset[]) => this.onCommitted(err, offsets));
    this.errors = new ClientErrors(this.consumer, log, { client: 'kafka consumer', secrets: secretValues(options.rdkafka) });
    this.records$ = new Observable<KafkaRecord[]>((subscriber) => {
      let active = true;
      const poll = (timeout: number): void => {
        if (!active) return;
        if (this.stopping) {
          subscriber.complete();
          return;
        }
        this.reader.poll(this.pollMaxRecords(), timeout, (err, records, read) => {
          if (!active) return;
          if (err && err.code !== CODES.ERRORS.ERR__TIMED_OUT) {
            if (err.isFatal) {
              subscriber.error(new KafkaError(`kafka consumer failed: ${err.message}`, false, err));
              return;
            }
            this.log.warn('kafka consume error, polling on', { error: err.message, code: err.code });
          }
          const busy = read > 0;
          if (records.length > 0) subscriber.next(records);
          this.applyBackpressure();
          // Throttled at the bound: one record per poll, spaced, until commits free the window or the partitions pause.
          if (this.flow.throttled()) setTimeout(poll, THROTTLED_POLL_MS, BUSY_POLL_MS);
          else setImmediate(poll, busy ? BUSY_POLL_MS : IDLE_POLL_MS);
        });
      };
      this.errors.onFatal((error) => active && subscriber.error(error));
      poll(IDLE_POLL_MS);
      return () => {
        active = false;
      };
    });
  }

  /** Connects, joins the group `options.groupId` and subscribes; resolves once connected. */
  async connect(): Promise<void> {
    await this.errors.connect(30_000, `Kafka at ${String(this.options.rdkafka['bootstrap.servers'])}`);
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
    this.consumer.on('event.stats', statisticsWithEnds(this.consumer, paused, (json, ends) => observer.statistics(json, ends), this.log));
    this.consumer.on('offset.commit', (err: LibrdKafkaError | null) => observer.committed(!err));
  }

  /** Commits the final watermarks synchronously, leaves the group and disconnects. */
  async close(): Promise<void> {
    this.stopping = true;
    if (this.commitTimer) clearInterval(this.commitTimer);
    if (this.earlyCommit) clearTimeout(this.earlyCommit);
    this.errors.close();
    if (this.errors.connectFailed || !this.consumer.isConnected()) return;
    this.commit(true);
    await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
    this.log.info('kafka source closed', { committed: Object.fromEntries(this.ledger.confirmed) });
  }

  /** One poll never takes more than the backpressure bound allows, so in flight stays under twice the bound (plus the throttle's one record per poll). */
  private pollMaxRecords(): number {
    if (this.flow.throttled()) return 1;
    return Math.max(1, Math.min(this.options.pollMaxRecords ?? DEFAULT_POLL_MAX_RECORDS, this.options.maxInFlightRecords));
  }

  stats(): SourceStats {
    return { consumed: this.polled.consumed, inFlight: this.flow.inFlight(), paused: this.flow.isPaused(), committed: this.ledger.confirmed, commits: this.commits, consumePath: this.reader.path, inFlightBytes: this.flow.inFlightBytes() };
  }

  /** Acks come a record at a time, a request's worth at once: the commit check runs once, after them. */
  private settled(id: string, count: number): void {
    this.ledger.settled(id, count);
    if (this.checkQueued) return;
    this.checkQueued = true;
    void Promise.resolve().then(() => this.commitSoonIfPressed());
  }

  /** Near the bound, waiting for the commit interval would stall the flow: commit early, one at a time, paced. */
  private commitSoonIfPressed(): void {
    this.checkQueued = false;
    const { flow, ledger } = this;
    if (this.earlyCommit !== undefined || this.stopping || !(flow.pressed() || flow.isPaused())) return;
    // In records, or the bytes' equivalent when they are nearer their bound (flow-control.ts).
    const scale = flow.inFlight() > 0 ? flow.load() / flow.inFlight() : 1;
    const pressure = { inFlight: flow.load(), uncommitted: ledger.uncommittedCount() * scale, committing: ledger.awaiting(), paused: flow.isPaused() };
    const wait = this.pacer.due(pressure, Date.now());
    if (wait === undefined) return;
    this.earlyCommit = setTimeout(() => {
      this.earlyCommit = undefined;
      if (!this.ledger.awaiting() && !this.stopping) this.commit(false);
    }, wait);
    this.earlyCommit.unref();
  }

  private applyBackpressure(): void {
    if (this.stopping || !this.consumer.isConnected()) return;
    try {
      const { pause, resume } = this.flow.decide(this.assigned, Date.now(), (decision) => {
        this.setPaused(decision.pause, true);
        this.setPaused(decision.resume, false);
      });
      this.pauseFailing = false;
      if (pause.length + resume.length > 0) this.log.debug('backpressure', { paused: pause, resumed: resume, inFlight: this.flow.inFlight(), inFlightBytes: this.flow.inFlightBytes() });
    } catch (error) {
      // The state did not change: the next poll tries again. Warned once per run of failures (polls are frequent).
      const message = { error: (error as Error).message, held: this.flow.isHeld(), inFlight: this.flow.inFlight() };
      if (!this.pauseFailing) this.log.warn('pausing or resuming the partitions failed; retrying at each poll', message);
      this.pauseFailing = true;
    }
  }

  /** Commits every assigned partition whose watermark moved since the last commit. */
  private commit(sync: boolean, only?: ReadonlySet<string>): void {
    const offsets: TopicPartitionOffset[] = [];
    for (const [id, tracker] of this.polled.trackers) {
      if (only && !only.has(id)) continue;
      const offset = tracker.committable();
      if (offset === undefined || !this.ledger.moved(id, offset)) continue;
      offsets.push({ topic: tracker.topic, partition: tracker.partition, offset });
    }
    if (offsets.length === 0) return;
    this.commits += 1;
    this.pacer.started(Date.now());
    this.ledger.sent(offsets);
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

  /** The broker's answer (err is undefined, not null, on success; a commit reported twice settles nothing the second time). */
  private onCommitted(err: LibrdKafkaError | null, offsets: TopicPartitionOffset[]): void {
    for (const [id, count] of this.ledger.answered(Boolean(err), offsets)) this.flow.add(id, -count);
    this.pacer.answered(!err, Date.now());
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

  /** Best effort: if it throws, the assignment still goes on, and the pause right after it applies. */
  private pauseBeforeAssign(ids: readonly string[]): void {
    try {
      this.setPaused(ids, true);
    } catch (error) {
      this.log.debug('pausing partitions before their assignment failed; pausing them right after it', { error: (error as Error).message });
    }
  }

  private rebalance(err: LibrdKafkaError, assignment: TopicPartition[]): void {
    const consumer = this.consumer;
    try {
      if (err.code === CODES.ERRORS.ERR__ASSIGN_PARTITIONS) {
        const ids = assignment.map(idOf);
        // Paused now (the worker's pause, or backpressure): the new partitions are paused before they are assigned.
        // librdkafka starts fetching a partition once it is assigned and keeps an application's pause across
        // assignments, so a pause only after assign() left a window (a GC, a loaded machine) in which the poll could
        // take their records. The pause after assign() covers a partition librdkafka did not know yet.
        if (this.flow.isPaused()) this.pauseBeforeAssign(ids);
        consumer.assign(assignment);
        this.assigned = ids;
        // Otherwise resume only those this consumer paused before the rebalance: resuming a partition that is not
        // paused can rewind its fetch position (librdkafka#4686).
        if (this.flow.isPaused()) this.setPaused(this.assigned, true);
        else this.setPaused(this.assigned.filter((id) => this.pausedHere.has(id)), false);
        this.log.info('partitions assigned', { partitions: assignment.map(idOf) });
      } else if (err.code === CODES.ERRORS.ERR__REVOKE_PARTITIONS) {
        const revoked = new Set(assignment.map(idOf));
        this.commit(true, revoked);
        for (const id of revoked) {
          const tracker = this.polled.trackers.get(id);
          if (!tracker) continue;
          this.flow.forget(id);
          this.ledger.forget(id);
          tracker.revoke();
          this.polled.trackers.delete(id);
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

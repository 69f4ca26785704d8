/**
 * Reads a compacted topic from its beginning and follows it: every record goes to `onRecord` in the topic's
 * order; `caughtUp` resolves once the end that existed at start was reached, `readPast(offset)` once a given
 * offset (of partition 0) was read. No consumer group: every worker reads the whole topic.
 *
 * It polls with `consume(n)` (one poll at a time, each under POLL_MS) rather than node-rdkafka's flowing
 * `consume()`: with the flowing loop, closing the status topic's reader (heartbeats arriving every few hundred ms)
 * did not finish within 10 s in the cluster tests, and leaked clients kept the process from exiting. Here `close`
 * stops polling, waits for the one poll in flight, then disconnects, each bounded.
 */
import rdkafka from 'node-rdkafka';
import { nativeConfig } from '../../source/native-config.js';
import { KafkaError, errorMessage } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';

const POLL_MS = 100;
const POLL_RECORDS = 500;
const IDLE_MS = 50;
const CLOSE_MS = 10_000;
/** How long `start` waits to reach the topic's end before it gives up. */
const CATCH_UP_MS = 60_000;

/** `promise`, or nothing after `ms`. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export interface TailRecord {
  readonly key: string;
  /** Undefined for a tombstone. */
  readonly value: string | undefined;
  readonly partition: number;
  readonly offset: number;
}

export class TopicTail {
  private readonly consumer: rdkafka.KafkaConsumer;
  /** Per partition, the next offset to read. */
  private readonly position = new Map<number, number>();
  private readonly waiting: { offset: number; partition: number; resolve: () => void }[] = [];
  private partitions = 0;
  private endReached!: () => void;
  private closing = false;
  /** Settles when the poll in flight (if any) returned. */
  private polling: Promise<void> = Promise.resolve();
  /** The last consume error logged (each new one is logged once, and the recovery after it). */
  private failing: string | undefined;
  /** Resolves once every partition reached the end it had when the tail started. */
  readonly caughtUp = new Promise<void>((resolve) => (this.endReached = resolve));

  constructor(
    kafka: Readonly<Record<string, string>>,
    private readonly topic: string,
    private readonly log: Logger,
    private readonly onRecord: (record: TailRecord) => void,
  ) {
    this.consumer = new rdkafka.KafkaConsumer(
      nativeConfig({ ...kafka, 'group.id': `kafka-http-sink-tail-${process.pid}-${Math.random().toString(36).slice(2)}`, 'enable.auto.commit': false, 'enable.partition.eof': true, 'fetch.wait.max.ms': 100 }),
      { 'auto.offset.reset': 'earliest' },
    );
  }

  /** Connects and reads from the beginning of every partition; resolves once caught up. */
  async start(partitions: number): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(new KafkaError(`cannot read ${this.topic}: ${errorMessage(err)}`, true, err)) : resolve())),
    );
    const atEnd = new Set<number>();
    this.consumer.on('partition.eof', (eof: { partition: number; offset: number }) => {
      atEnd.add(eof.partition);
      // at the end: every offset below it was read (or held no record: compacted away, a control record)
      this.position.set(eof.partition, Math.max(this.position.get(eof.partition) ?? 0, eof.offset));
      this.wake();
      if (atEnd.size >= partitions) this.endReached();
    });
    this.partitions = partitions;
    this.consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic: this.topic, partition, offset: -2 /* the beginning */ })));
    this.consumer.setDefaultConsumeTimeout(POLL_MS);
    this.poll();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), CATCH_UP_MS)));
    const timedOut = await Promise.race([this.caughtUp.then(() => false), late]);
    clearTimeout(timer);
    if (timedOut) {
      await this.close();
      throw new KafkaError(`cannot read ${this.topic} to its end within ${CATCH_UP_MS / 1000} s`, true);
    }
  }

  /** One poll, then the next (at once while records come, after IDLE_MS when none did), until close. */
  private poll(): void {
    if (this.closing) return;
    this.polling = new Promise<void>((done) => {
      this.consumer.consume(POLL_RECORDS, (err, messages) => {
        done();
        this.noteError(err);
        for (const message of messages ?? []) {
          this.position.set(message.partition, message.offset + 1);
          try {
            this.onRecord({ key: message.key?.toString() ?? '', value: message.value?.toString(), partition: message.partition, offset: message.offset });
          } finally {
            this.wake();
          }
        }
        if (this.closing) return;
        this.skippedPast();
        const busy = (messages?.length ?? 0) > 0 && !err;
        setTimeout(() => this.poll(), busy ? 0 : IDLE_MS).unref();
      });
    });
  }

  /**
   * The consumer's own position, between two polls (no message is on its way to `onRecord` then): it also moves past
   * records the application never sees, a transaction's commit marker or an aborted record (`read_committed`).
   */
  private skippedPast(): void {
    if (this.partitions === 0) return;
    let positions: rdkafka.TopicPartitionOffset[];
    try {
      positions = this.consumer.position(Array.from({ length: this.partitions }, (_, partition) => ({ topic: this.topic, partition })));
    } catch {
      return; // disconnected: the next poll says so
    }
    for (const { partition, offset } of positions) if (offset >= 0 && offset > (this.position.get(partition) ?? 0)) this.position.set(partition, offset);
    this.wake();
  }

  /** A consume error is logged once (until it changes), and the recovery after it: a stalled reader is never silent. */
  private noteError(err: { message: string } | null | undefined): void {
    if (this.closing) return;
    if (err) {
      if (err.message !== this.failing) this.log.warn('cannot read an internal topic; retrying', { topic: this.topic, error: err.message });
      this.failing = err.message;
    } else if (this.failing !== undefined) {
      this.log.info('reading the internal topic again', { topic: this.topic });
      this.failing = undefined;
    }
  }

  /** Resolves once every record the topic held when called (partition 0) was read and applied; rejects after `ms`. */
  async readToEnd(ms: number): Promise<void> {
    const high = await new Promise<number>((resolve, reject) =>
      this.consumer.queryWatermarkOffsets(this.topic, 0, ms, (err, offsets) => (err ? reject(new KafkaError(`cannot read the end of ${this.topic}: ${errorMessage(err)}`, true, err)) : resolve(offsets.highOffset))),
    );
    if (high <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new KafkaError(`${this.topic} not read to its end (offset ${high}) within ${ms} ms`, true)), ms)));
    try {
      await Promise.race([this.readPast(high - 1), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves once the record at `offset` of `partition` (one this worker wrote) was read and applied. */
  readPast(offset: number, partition = 0): Promise<void> {
    if ((this.position.get(partition) ?? 0) > offset) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ offset, partition, resolve }));
  }

  /** Stops polling, lets the poll in flight return, disconnects (each wait bounded: a broker gone must not hang a close). */
  async close(): Promise<void> {
    this.closing = true;
    for (const w of this.waiting.splice(0)) w.resolve();
    this.endReached();
    await within(this.polling, POLL_MS * 5);
    if (!this.consumer.isConnected()) return;
    await within(new Promise<void>((resolve) => this.consumer.disconnect(() => resolve())), CLOSE_MS);
  }

  private wake(): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const w = this.waiting[i]!;
      if ((this.position.get(w.partition) ?? 0) > w.offset) {
        this.waiting.splice(i, 1);
        w.resolve();
      }
    }
  }
}

/**
 * A stand-in for node-rdkafka's KafkaConsumer with what KafkaSource uses of it: one partition assigned at subscribe,
 * polls served from a queue, commits answered (or failed) on the next turn, pause/resume that can be made to throw.
 * Like librdkafka's fetcher, an assign() of a partition that is not paused hands its queued messages to the poll at
 * once: a pause that comes after cannot take them back.
 * Unit tests only; integration tests use the real broker.
 */
import { EventEmitter } from 'node:events';
import rdkafka from 'node-rdkafka';
import type { KafkaConsumer, LibrdKafkaError, Message, TopicPartition, TopicPartitionOffset } from 'node-rdkafka';
import type { createConsumer, RebalanceCallback } from '../../src/source/consumer.js';

export class FakeConsumer extends EventEmitter {
  /** Messages the next polls return, in order. */
  readonly queue: Message[] = [];
  /** Every commit sent (async and sync), in order. */
  readonly commits: TopicPartitionOffset[][] = [];
  /** While set, commits fail with this broker error. */
  failCommits: string | undefined;
  /** While set, pause() throws this. */
  failPause: string | undefined;
  /** How long the broker takes to answer a commit (ms; 0: the next turn). */
  commitRoundTripMs = 0;
  /** How many times partitions were paused. */
  pauses = 0;
  /** Partitions paused now, as "topic/partition". */
  readonly paused = new Set<string>();
  /** Partitions assigned now, as "topic/partition": a poll serves only these. */
  private readonly assigned = new Set<string>();
  /** Messages fetched for the next poll (an assign of a partition not paused): returned whatever pauses come after. */
  private readonly fetched: Message[] = [];
  private connected = false;
  private rebalance!: RebalanceCallback;

  constructor(private readonly partitions: TopicPartition[]) {
    super();
  }

  /** What KafkaSource takes as its `consumerOf`: this fake, handed the source's rebalance callback. */
  factory(): typeof createConsumer {
    return (_options, rebalance) => {
      this.rebalance = rebalance;
      return this as unknown as KafkaConsumer;
    };
  }

  connect(_options: object, callback: (err: LibrdKafkaError | null) => void): void {
    this.connected = true;
    setImmediate(() => callback(null));
  }

  disconnect(callback: () => void): void {
    this.connected = false;
    setImmediate(callback);
  }

  isConnected(): boolean {
    return this.connected;
  }

  subscribe(): void {
    setImmediate(() => this.rebalance({ code: rdkafka.CODES.ERRORS.ERR__ASSIGN_PARTITIONS } as LibrdKafkaError, this.partitions));
  }

  assign(partitions: TopicPartition[]): void {
    for (const p of partitions) {
      this.assigned.add(`${p.topic}/${p.partition}`);
      if (this.paused.has(`${p.topic}/${p.partition}`)) continue;
      const taken = this.queue.filter((m) => m.topic === p.topic && m.partition === p.partition);
      for (const m of taken) this.queue.splice(this.queue.indexOf(m), 1);
      this.fetched.push(...taken);
    }
  }

  /** A group rebalance: the current partitions revoked, then `partitions` assigned (each callback on its own turn). */
  reassign(partitions: TopicPartition[]): void {
    const revoked = this.partitions.splice(0, this.partitions.length, ...partitions);
    setImmediate(() => this.rebalance({ code: rdkafka.CODES.ERRORS.ERR__REVOKE_PARTITIONS } as LibrdKafkaError, revoked));
    setImmediate(() => setImmediate(() => this.rebalance({ code: rdkafka.CODES.ERRORS.ERR__ASSIGN_PARTITIONS } as LibrdKafkaError, partitions)));
  }

  unassign(): void {
    this.assigned.clear();
  }
  setDefaultConsumeTimeout(): void {}

  consume(max: number, callback: (err: LibrdKafkaError | null, messages: Message[]) => void): void {
    const batch = this.fetched.splice(0, max);
    const fetchable = (m: Message): boolean => this.assigned.has(`${m.topic}/${m.partition}`) && !this.paused.has(`${m.topic}/${m.partition}`);
    batch.push(...this.queue.filter(fetchable).slice(0, max - batch.length));
    for (const m of batch) if (this.queue.includes(m)) this.queue.splice(this.queue.indexOf(m), 1);
    setTimeout(() => callback(null, batch), batch.length > 0 ? 0 : 2);
  }

  commit(offsets: TopicPartitionOffset[]): void {
    this.commits.push(offsets);
    const error = this.failCommits === undefined ? undefined : ({ message: this.failCommits, code: 16 } as LibrdKafkaError);
    const answer = (): boolean => this.emit('offset.commit', error, offsets);
    if (this.commitRoundTripMs > 0) setTimeout(answer, this.commitRoundTripMs);
    else setImmediate(answer);
  }

  commitSync(offsets: TopicPartitionOffset[]): void {
    this.commits.push(offsets);
    if (this.failCommits !== undefined) throw new Error(this.failCommits);
  }

  pause(partitions: TopicPartition[]): void {
    if (this.failPause !== undefined) throw new Error(this.failPause);
    this.pauses += 1;
    for (const p of partitions) this.paused.add(`${p.topic}/${p.partition}`);
  }

  resume(partitions: TopicPartition[]): void {
    for (const p of partitions) this.paused.delete(`${p.topic}/${p.partition}`);
  }
}

/** `count` messages of `topic` partition `partition` from offset `from`. */
export function messages(topic: string, partition: number, from: number, count: number): Message[] {
  return Array.from({ length: count }, (_, i) => ({ topic, partition, offset: from + i, value: Buffer.from(`v${from + i}`), key: null, size: 3, timestamp: 0 }));
}

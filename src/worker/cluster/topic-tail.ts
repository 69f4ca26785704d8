/**
 * Reads a compacted topic from its beginning and follows it: every record goes to `onRecord` in the topic's
 * order; `caughtUp` resolves once the end that existed at start was reached, `readPast(offset)` once a given
 * offset (of partition 0) was read. No consumer group: every worker reads the whole topic.
 */
import rdkafka from 'node-rdkafka';
import { KafkaError, errorMessage } from '../../common/errors.js';

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
  private endReached!: () => void;
  /** Resolves once every partition reached the end it had when the tail started. */
  readonly caughtUp = new Promise<void>((resolve) => (this.endReached = resolve));

  constructor(
    kafka: Readonly<Record<string, string>>,
    private readonly topic: string,
    private readonly onRecord: (record: TailRecord) => void,
  ) {
    this.consumer = new rdkafka.KafkaConsumer(
      { ...kafka, 'group.id': `kafka-http-sink-tail-${process.pid}-${Math.random().toString(36).slice(2)}`, 'enable.auto.commit': false, 'enable.partition.eof': true, 'fetch.wait.max.ms': 100 },
      { 'auto.offset.reset': 'earliest' },
    );
  }

  /** Connects and reads from the beginning of every partition; resolves once caught up. */
  async start(partitions: number): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(new KafkaError(`cannot read ${this.topic}: ${errorMessage(err)}`, true, err)) : resolve())),
    );
    const atEnd = new Set<number>();
    this.consumer.on('partition.eof', (eof: { partition: number }) => {
      atEnd.add(eof.partition);
      if (atEnd.size >= partitions) this.endReached();
    });
    this.consumer.on('data', (message) => {
      this.position.set(message.partition, message.offset + 1);
      try {
        this.onRecord({ key: message.key?.toString() ?? '', value: message.value?.toString(), partition: message.partition, offset: message.offset });
      } finally {
        this.wake();
      }
    });
    this.consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic: this.topic, partition, offset: -2 /* the beginning */ })));
    this.consumer.consume();
    await this.caughtUp;
  }

  /** Resolves once the record at `offset` of `partition` (one this worker wrote) was read and applied. */
  readPast(offset: number, partition = 0): Promise<void> {
    if ((this.position.get(partition) ?? 0) > offset) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ offset, partition, resolve }));
  }

  async close(): Promise<void> {
    for (const w of this.waiting.splice(0)) w.resolve();
    await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
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

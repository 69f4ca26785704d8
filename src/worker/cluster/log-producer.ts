/**
 * The cluster's writer to its internal topics: idempotent, acks=all, so a retried write is neither duplicated nor
 * reordered. `write` resolves with the record's partition and offset once the broker acknowledged it.
 */
import rdkafka from 'node-rdkafka';
import { nativeConfig } from '../../source/native-config.js';
import { KafkaError, errorMessage } from '../../common/errors.js';

export class LogProducer {
  private readonly producer: rdkafka.Producer;
  private readonly pending = new Map<number, { resolve: (at: { partition: number; offset: number }) => void; reject: (error: Error) => void }>();
  private next = 0;

  constructor(kafka: Readonly<Record<string, string>>) {
    this.producer = new rdkafka.Producer(nativeConfig({ ...kafka, dr_cb: true, 'enable.idempotence': true, 'linger.ms': 0 }), { acks: -1 });
  }

  async connect(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.producer.connect({ timeout: 30_000 }, (err) => (err ? reject(new KafkaError(`cannot reach Kafka: ${errorMessage(err)}`, true, err)) : resolve())),
    );
    this.producer.setPollInterval(10);
    this.producer.on('delivery-report', (err, report) => {
      const id = report.opaque as number;
      const waiter = this.pending.get(id);
      this.pending.delete(id);
      if (err) waiter?.reject(new KafkaError(`cannot write to ${report.topic}: ${err.message}`, true, err));
      else waiter?.resolve({ partition: report.partition, offset: report.offset });
    });
  }

  /** A record (`value` null: a tombstone) on partition 0 of `topic` (the internal topics are keyed, compacted, read whole). */
  write(topic: string, key: string, value: string | null): Promise<{ partition: number; offset: number }> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.producer.produce(topic, 0, value === null ? null : Buffer.from(value), key, Date.now(), id);
      } catch (error) {
        this.pending.delete(id);
        reject(new KafkaError(`cannot write to ${topic}: ${errorMessage(error)}`, true, error));
      }
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.producer.flush(10_000, () => resolve()));
    await new Promise<void>((resolve) => this.producer.disconnect(() => resolve()));
  }
}

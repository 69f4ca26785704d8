/** Small Kafka helpers for the demo, the bench and the tests: create a topic, produce records, read committed offsets. */
import rdkafka from 'node-rdkafka';

export interface ProduceRecord {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  partition?: number;
  headers?: Record<string, string | Buffer>[];
}

export async function createTopic(bootstrap: string, topic: string, partitions = 1): Promise<void> {
  const admin = rdkafka.AdminClient.create({ 'bootstrap.servers': bootstrap });
  try {
    await new Promise<void>((resolve, reject) =>
      admin.createTopic({ topic, num_partitions: partitions, replication_factor: 1 }, 30_000, (err) =>
        err && err.code !== rdkafka.CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS ? reject(err) : resolve(),
      ),
    );
  } finally {
    admin.disconnect();
  }
}

/** A connected producer with delivery reports; `send` resolves once every record is acknowledged by the broker. */
export interface TestProducer {
  send(topic: string, records: readonly ProduceRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** How long `send` waits for room in the local queue, and then for the broker's acknowledgements, before failing. */
const SEND_TIMEOUT_MS = 120_000;

/**
 * Idempotent (acks=all): a produce retry after a lost acknowledgement can neither duplicate nor reorder records
 * within a partition, so the fault suite's order check cannot fail because of the producer.
 */
export async function connectProducer(bootstrap: string): Promise<TestProducer> {
  const producer = new rdkafka.Producer(
    { 'bootstrap.servers': bootstrap, dr_cb: true, 'enable.idempotence': true, 'linger.ms': 5, 'queue.buffering.max.messages': 1_000_000 },
    { acks: -1 }, // all in-sync replicas (idempotence requires it)
  );
  await new Promise<void>((resolve, reject) => producer.connect({ timeout: 30_000 }, (err) => (err ? reject(err) : resolve())));
  producer.setPollInterval(10);
  let pending = 0;
  let failure: { message: string } | undefined;
  let wake: (() => void) | undefined;
  producer.on('delivery-report', (err) => {
    if (err) failure = err;
    pending -= 1;
    if (pending === 0) wake?.();
  });
  return {
    send: async (topic, records) => {
      const deadline = Date.now() + SEND_TIMEOUT_MS;
      for (const r of records) {
        const value = r.value === null ? null : Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
        for (;;) {
          try {
            producer.produce(topic, r.partition ?? null, value, r.key ?? null, Date.now(), undefined, r.headers as never);
            pending += 1;
            break;
          } catch (error) {
            if ((error as { code?: number }).code !== rdkafka.CODES.ERRORS.ERR__QUEUE_FULL) throw error;
            if (Date.now() > deadline) throw new Error(`produce to ${topic}: the local queue stayed full for ${SEND_TIMEOUT_MS} ms`);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
      }
      if (pending > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (wake = resolve)),
          new Promise<void>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`produce to ${topic}: ${pending} records unacknowledged after ${SEND_TIMEOUT_MS} ms`)), Math.max(1, deadline - Date.now()));
          }),
        ]).finally(() => clearTimeout(timer));
      }
      if (failure) throw new Error(`produce failed: ${failure.message}`);
    },
    close: () => new Promise<void>((resolve) => producer.disconnect(() => resolve())),
  };
}

export async function produce(bootstrap: string, topic: string, records: readonly ProduceRecord[]): Promise<void> {
  const producer = await connectProducer(bootstrap);
  try {
    await producer.send(topic, records);
  } finally {
    await producer.close();
  }
}

/** Committed offsets of a consumer group by partition (-1001 when none), read without joining the group. */
export async function committedOffsets(bootstrap: string, group: string, topic: string, partitions: number): Promise<Map<number, number>> {
  const consumer = new rdkafka.KafkaConsumer({ 'bootstrap.servers': bootstrap, 'group.id': group, 'enable.auto.commit': false }, {});
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(err) : resolve())));
  try {
    const toppars = Array.from({ length: partitions }, (_, partition) => ({ topic, partition }));
    const result = await new Promise<rdkafka.TopicPartitionOffset[]>((resolve, reject) =>
      consumer.committed(toppars, 10_000, (err, offsets) => (err ? reject(err) : resolve(offsets))),
    );
    return new Map(result.map((o) => [o.partition, o.offset]));
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

/** The high watermark (end offset) of each partition of a topic. */
export async function endOffsets(bootstrap: string, topic: string, partitions: number): Promise<number[]> {
  const consumer = new rdkafka.KafkaConsumer({ 'bootstrap.servers': bootstrap, 'group.id': `ends-${topic}-${Date.now()}`, 'enable.auto.commit': false }, {});
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(err) : resolve())));
  try {
    const ends: number[] = [];
    for (let partition = 0; partition < partitions; partition++) {
      ends.push(
        await new Promise<number>((resolve, reject) =>
          consumer.queryWatermarkOffsets(topic, partition, 10_000, (err, offsets) => (err ? reject(err) : resolve(offsets.highOffset))),
        ),
      );
    }
    return ends;
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

export interface ReadRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Header name -> value as text (the last one wins when a name repeats). */
  readonly headers: Record<string, string>;
}

/** Reads `count` records of a topic from the beginning with a throwaway group; fails after `timeoutMs`. */
export async function readTopic(bootstrap: string, topic: string, count: number, timeoutMs = 30_000): Promise<ReadRecord[]> {
  const consumer = new rdkafka.KafkaConsumer(
    { 'bootstrap.servers': bootstrap, 'group.id': `read-${topic}-${Date.now()}`, 'enable.auto.commit': false },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(err) : resolve())));
  const records: ReadRecord[] = [];
  try {
    consumer.subscribe([topic]);
    const deadline = Date.now() + timeoutMs;
    while (records.length < count) {
      if (Date.now() > deadline) throw new Error(`read ${records.length} of ${count} records from ${topic} in ${timeoutMs} ms`);
      const messages = await new Promise<rdkafka.Message[]>((resolve, reject) => consumer.consume(100, (err, m) => (err ? reject(err) : resolve(m))));
      for (const m of messages) {
        const headers: Record<string, string> = {};
        for (const h of m.headers ?? []) for (const [name, value] of Object.entries(h)) headers[name] = Buffer.isBuffer(value) ? value.toString() : String(value);
        records.push({ partition: m.partition, offset: m.offset, key: typeof m.key === 'string' ? Buffer.from(m.key) : (m.key ?? null), value: m.value, headers });
      }
    }
    return records;
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

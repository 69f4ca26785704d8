/** The bench's records: JSON values like the seed's iot measurements, padded to a size, with a sequence number and produce time. */
import { connectProducer, createTopic } from '../test/support/kafka-tools.js';

/** `{"seq":..,"ts":..,"iot_id":..,"metric":"temperature","value":..,"pad":"..."}` of about `size` bytes. */
export function measurement(seq: number, ts: number, size: number): string {
  const head = `{"seq":${seq},"ts":${ts},"iot_id":${seq % 1000},"metric":"temperature","value":${(20 + (seq % 100) / 10).toFixed(1)},"pad":"`;
  return `${head}${'x'.repeat(Math.max(0, size - head.length - 2))}"}`;
}

const SCHEMA =
  '{"type":"struct","optional":false,"fields":[{"field":"seq","type":"int64"},{"field":"ts","type":"int64"},{"field":"iot_id","type":"int32"},' +
  '{"field":"metric","type":"string"},{"field":"value","type":"double"},{"field":"pad","type":"string"}]}';

/** The same measurement in JsonConverter's `{"schema":...,"payload":...}` envelope. */
export function envelope(seq: number, ts: number, size: number): string {
  return `{"schema":${SCHEMA},"payload":${measurement(seq, ts, size)}}`;
}

export type ValueFormat = 'plain' | 'envelope';

/**
 * Produces `count` records with seq from `firstSeq`, round robin over the partitions, in chunks (bounded memory);
 * `ratePerSecond` paces them (the latency phase). Returns when the broker acknowledged all.
 */
export async function produceRecords(
  bootstrap: string,
  topic: string,
  options: { count: number; firstSeq?: number; size: number; partitions: number; format: ValueFormat; ratePerSecond?: number; onProgress?: (done: number) => void },
): Promise<void> {
  const producer = await connectProducer(bootstrap);
  const render = options.format === 'plain' ? measurement : envelope;
  const first = options.firstSeq ?? 0;
  const chunk = options.ratePerSecond ? Math.max(1, Math.ceil(options.ratePerSecond / 50)) : 20_000;
  const started = Date.now();
  try {
    for (let done = 0; done < options.count; ) {
      const n = Math.min(chunk, options.count - done);
      const now = Date.now();
      const records = Array.from({ length: n }, (_, i) => {
        const seq = first + done + i;
        return { value: render(seq, now, options.size), partition: seq % options.partitions };
      });
      await producer.send(topic, records);
      done += n;
      options.onProgress?.(done);
      if (options.ratePerSecond) {
        const due = started + (done / options.ratePerSecond) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  } finally {
    await producer.close();
  }
}

export async function createBenchTopic(bootstrap: string, topic: string, partitions: number): Promise<void> {
  await createTopic(bootstrap, topic, partitions);
}

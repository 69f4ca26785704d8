/** Creates each case's topic and produces its records once; both sides read the same records. */
import { connectProducer, createTopic } from '../../test/support/kafka-tools.js';
import { type ConformanceCase, recordBytes } from './cases.js';
import { topicOf } from './run-case.js';

export async function produceCases(bootstrap: string, cases: readonly ConformanceCase[]): Promise<void> {
  for (const c of cases) await createTopic(bootstrap, topicOf(c), c.partitions);
  const producer = await connectProducer(bootstrap);
  try {
    for (const c of cases) {
      await producer.send(
        topicOf(c),
        c.records.map((r) => ({
          partition: r.partition ?? 0,
          key: recordBytes(r.key, r.keyJson, r.keyHex),
          value: recordBytes(r.value, r.valueJson, r.valueHex),
          headers: r.headers?.map(([name, value]) => ({ [name]: Buffer.from(value, 'utf8') })),
        })),
      );
    }
  } finally {
    await producer.close();
  }
}

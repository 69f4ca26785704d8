/** Ordering modes under random endpoint latency: the order the receiver sees, what is in flight at once, and the commit. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { baseConnector, bootstrap, committed, eventually, freshTopic, runConnector } from '../support/harness.js';

const PARTITIONS = 3;
const KEYS = 4;
const PER_KEY = 6;

/** Values `p<partition>-k<key>-<n>`: each key lives on one partition, its n counts up. */
function records(): { key: string; value: string; partition: number }[] {
  const out: { key: string; value: string; partition: number }[] = [];
  for (let n = 0; n < PER_KEY; n++) {
    for (let k = 0; k < KEYS * PARTITIONS; k++) out.push({ key: `k${k}`, value: `p${k % PARTITIONS}-k${k}-${n}`, partition: k % PARTITIONS });
  }
  return out;
}

interface Seen {
  readonly order: string[];
  /** Most requests of one partition in flight at once. */
  maxPerPartition: number;
  maxTotal: number;
}

/** A receiver answering after 0-20 ms at random, counting what is in flight. */
async function latencyReceiver(seen: Seen): Promise<Receiver> {
  const inFlight = new Map<string, number>();
  let total = 0;
  return startReceiver({
    respond: async (request) => {
      const value = request.body.toString();
      const partition = value.split('-')[0]!;
      inFlight.set(partition, (inFlight.get(partition) ?? 0) + 1);
      total += 1;
      seen.maxPerPartition = Math.max(seen.maxPerPartition, inFlight.get(partition)!);
      seen.maxTotal = Math.max(seen.maxTotal, total);
      seen.order.push(value);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
      inFlight.set(partition, inFlight.get(partition)! - 1);
      total -= 1;
      return { status: 200 };
    },
  });
}

/** The n of each value, per group (partition or key), in arrival order. */
function sequences(order: readonly string[], group: (value: string) => string): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const value of order) by.set(group(value), [...(by.get(group(value)) ?? []), value]);
  return by;
}

describe('ordering', () => {
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    await receiver?.close();
  });

  async function run(mode: 'partition' | 'key' | 'none'): Promise<{ seen: Seen; expected: string[] }> {
    const topic = await freshTopic(`order_${mode}`, PARTITIONS);
    const produced = records();
    await produce(bootstrap(), topic, produced);
    const seen: Seen = { order: [], maxPerPartition: 0, maxTotal: 0 };
    receiver = await latencyReceiver(seen);
    const name = `order_${mode}_${topic}`;
    running = await runConnector({ ...baseConnector(name, topic, receiver.url), ordering: mode, 'http.concurrency': 8 });
    await receiver.waitForAccepted(produced.length, 60_000);
    const perPartition = Array.from({ length: PARTITIONS }, (_, p) => produced.filter((r) => r.partition === p).length);
    await eventually(async () => JSON.stringify(await committed(name, topic, PARTITIONS).catch(() => [])) === JSON.stringify(perPartition), 30_000, 'every partition committed');
    return { seen, expected: produced.map((r) => r.value) };
  }

  const inProducedOrder = (values: readonly string[], expected: readonly string[]): string[] => [...values].sort((a, b) => expected.indexOf(a) - expected.indexOf(b));

  it('partition: one request per partition at a time, each partition in order', async () => {
    const { seen, expected } = await run('partition');

    expect(seen.maxPerPartition).toBe(1);
    for (const values of sequences(seen.order, (v) => v.split('-')[0]!).values()) expect(values).toEqual(inProducedOrder(values, expected));
  });

  it('key: each key in order, several keys of a partition in flight', async () => {
    const { seen, expected } = await run('key');

    for (const values of sequences(seen.order, (v) => v.split('-')[1]!).values()) expect(values).toEqual(inProducedOrder(values, expected));
    expect(seen.maxPerPartition).toBeGreaterThan(1);
  });

  it('none: everything delivered and committed, with requests overtaking each other', async () => {
    const { seen, expected } = await run('none');

    expect([...seen.order].sort()).toEqual([...expected].sort());
    expect(seen.maxTotal).toBeGreaterThan(1);
  });
});

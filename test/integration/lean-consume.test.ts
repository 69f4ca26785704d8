/**
 * The lean consume path against the real broker: node-rdkafka's patched consumeBatch through KafkaSource, over two
 * topics and several partitions, with keys, tombstones and headers (node-rdkafka's producer
 * sends an empty value as null, so empty values are in the unit test); commits stop at the first record
 * not acknowledged. Without the patch built the test says so and checks the standard path instead, unless
 * REQUIRE_LEAN_CONSUME=1 (CI), which makes the missing patch a failure.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { firstValueFrom, scan, filter } from 'rxjs';
import { KafkaSource } from '../../src/source/kafka-source.js';
import type { KafkaRecord } from '../../src/records/record.js';
import { ackRecords } from '../../src/records/record.js';
import { committedOffsets, produce } from '../support/kafka-tools.js';
import { bootstrap, captureLog, freshTopic } from '../support/harness.js';

const PER_PARTITION = 400;

describe('lean consume', () => {
  let source: KafkaSource | undefined;
  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  it('reads keys, tombstones and headers of several topics and partitions in order, and commits only what was acked', async () => {
    const orders = await freshTopic('lean_orders', 3);
    const events = await freshTopic('lean_events', 1);
    const ordersRecords = [0, 1, 2].flatMap((partition) =>
      Array.from({ length: PER_PARTITION }, (_, i) => ({
        partition,
        key: i % 5 === 0 ? null : `k${partition}-${i}`,
        value: i % 7 === 3 ? null : `{"p":${partition},"i":${i}}`,
        headers: i % 3 === 0 ? ([{ trace: `t${i}` }, { 'ü-name': 'wert-ü' }] as Record<string, string | Buffer>[]) : undefined,
      })),
    );
    await produce(bootstrap(), orders, ordersRecords);
    await produce(bootstrap(), events, Array.from({ length: 50 }, (_, i) => ({ partition: 0, value: `e${i}`, key: `ek${i}` })));

    const { log } = captureLog('debug');
    const groupId = `lean-${orders}`;
    source = new KafkaSource(
      { rdkafka: { 'bootstrap.servers': bootstrap() }, producer: {}, groupId, topics: [orders, events], maxInFlightRecords: 20_000, commitIntervalMs: 200, pollMaxRecords: 100 },
      log,
    );
    const lean = source.stats().consumePath === 'lean';
    if (!lean && process.env.REQUIRE_LEAN_CONSUME === '1') throw new Error('node-rdkafka has no consumeBatch: the lean-consume patch is not built (REQUIRE_LEAN_CONSUME=1)');
    if (!lean) process.stderr.write('\nnode-rdkafka has no consumeBatch (patch not built): this test checks the standard consume path\n');

    const total = ordersRecords.length + 50;
    const all = firstValueFrom(
      source.records$.pipe(
        scan((seen: KafkaRecord[], records) => [...seen, ...records], []),
        filter((seen) => seen.length >= total),
      ),
    );
    await source.connect();
    const records = await all;
    expect(records).toHaveLength(total);

    for (const partition of [0, 1, 2]) {
      const got = records.filter((r) => r.topic === orders && r.partition === partition);
      expect(got.map((r) => r.offset)).toEqual(Array.from({ length: PER_PARTITION }, (_, i) => i));
      const sent = ordersRecords.filter((r) => r.partition === partition);
      expect(got.map((r) => r.key?.toString() ?? null)).toEqual(sent.map((r) => r.key));
      expect(got.map((r) => r.value?.toString() ?? null)).toEqual(sent.map((r) => r.value));
      expect(got.map((r) => r.headers.map((h) => `${h.key}=${h.value.toString('hex')}`))).toEqual(
        sent.map((r) => (r.headers ?? []).flatMap((h) => Object.entries(h).map(([k, v]) => `${k}=${Buffer.from(v).toString('hex')}`))),
      );
      expect(got.every((r) => typeof r.timestamp === 'number' && r.timestamp > 1_600_000_000_000)).toBe(true);
    }
    expect(records.filter((r) => r.topic === events).map((r) => `${r.key!.toString()}:${r.value!.toString()}`)).toEqual(
      Array.from({ length: 50 }, (_, i) => `ek${i}:e${i}`),
    );

    // Everything acked except orders/1 from offset 123 on: the commit stops there, the others commit to their ends.
    ackRecords(records.filter((r) => !(r.topic === orders && r.partition === 1 && r.offset >= 123)));
    await source.close();
    source = undefined;
    expect([...(await committedOffsets(bootstrap(), groupId, orders, 3)).entries()].sort()).toEqual([[0, PER_PARTITION], [1, 123], [2, PER_PARTITION]]);
    expect((await committedOffsets(bootstrap(), groupId, events, 1)).get(0)).toBe(50);
  }, 120_000);
});

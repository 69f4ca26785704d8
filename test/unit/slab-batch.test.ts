/** The lean consume path's decoding: a slab batch becomes the same records the standard path makes, with no copy. */
import { describe, expect, it } from '@jest/globals';
import { FlowControl } from '../../src/source/flow-control.js';
import { PinnedSlabs } from '../../src/source/pinned-slabs.js';
import { PollRecords } from '../../src/source/poll-records.js';
import { toKafkaRecord } from '../../src/source/message-record.js';
import type { KafkaRecord } from '../../src/records/record.js';
import { ackRecords } from '../../src/records/record.js';
import { captureLog } from '../support/harness.js';
import { encodeBatch } from './slab-encoder.js';

const polls = (): { polled: PollRecords; flow: FlowControl; pinned: PinnedSlabs } => {
  const flow = new FlowControl(1000);
  return { polled: new PollRecords(flow, () => {}, captureLog().log), flow, pinned: new PinnedSlabs(1 << 20) };
};
const plain = (r: KafkaRecord): object => ({
  topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp,
  key: r.key?.toString() ?? null, value: r.value?.toString() ?? null,
  headers: r.headers.map((h) => [h.key, h.value.toString()]),
});

describe('lean consume: slab batches', () => {
  it('decodes keys, values, null keys, tombstones, empty values, timestamps and headers, over several topics and partitions', () => {
    const { polled, flow } = polls();
    const batch = encodeBatch([
      { topic: 'orders', partition: 0, offset: 5, timestamp: 1_700_000_000_000, key: 'k5', value: '{"a":1}' },
      { topic: 'orders', partition: 0, offset: 6, timestamp: 1_700_000_000_001, key: null, value: null },
      { topic: 'orders', partition: 2, offset: 0, key: 'k', value: '', headers: [['trace', 'abc'], ['empty', null], ['ünï', Buffer.from([0, 255])]] },
      { topic: 'events', partition: 0, offset: 9, value: 'e9', headers: [['only', 'one']] },
      { topic: 'orders', partition: 0, offset: 7, value: 'v7' },
    ]);
    const records = polled.ofSlab(batch, new PinnedSlabs(1 << 20));
    expect(records.map(plain)).toEqual([
      { topic: 'orders', partition: 0, offset: 5, timestamp: 1_700_000_000_000, key: 'k5', value: '{"a":1}', headers: [] },
      { topic: 'orders', partition: 0, offset: 6, timestamp: 1_700_000_000_001, key: null, value: null, headers: [] },
      { topic: 'orders', partition: 2, offset: 0, timestamp: -1, key: 'k', value: '', headers: [['trace', 'abc'], ['empty', ''], ['ünï', Buffer.from([0, 255]).toString()]] },
      { topic: 'events', partition: 0, offset: 9, timestamp: -1, key: null, value: 'e9', headers: [['only', 'one']] },
      { topic: 'orders', partition: 0, offset: 7, timestamp: -1, key: null, value: 'v7', headers: [] },
    ]);
    expect(records[2]!.headers[2]!.value).toEqual(Buffer.from([0, 255]));
    // Views, not copies: every value shares the batch's slab.
    expect(records[0]!.value!.buffer).toBe(batch.data!.buffer);
    expect(records[0]!.raw).toEqual({ key: records[0]!.key, value: records[0]!.value });
    expect(flow.inFlight()).toBe(5);
    // Keys' and values' bytes (headers not counted; null counts 0): k5 {"a":1} | - - | k '' | e9 | v7
    expect(flow.inFlightBytes()).toBe(2 + 7 + 1 + 2 + 2);
    expect(polled.consumed).toBe(5);
    expect([...polled.trackers.keys()].sort()).toEqual(['events/0', 'orders/0', 'orders/2']);
  });

  it('gives records the standard path\'s object shape and values', () => {
    const { polled, pinned } = polls();
    const [lean] = polled.ofSlab(encodeBatch([{ topic: 't', partition: 1, offset: 3, timestamp: 7, key: 'k', value: 'v', headers: [['h', 'x']] }]), pinned);
    const standard = toKafkaRecord({ topic: 't', partition: 1, offset: 3, timestamp: 7, key: Buffer.from('k'), value: Buffer.from('v'), size: 1, headers: [{ h: Buffer.from('x') }] }, lean!.handle, 't');
    expect(Object.keys(lean!)).toEqual(Object.keys(standard));
    expect(plain(lean!)).toEqual(plain(standard));
  });

  it('skips offsets it handed out already, and commits only what was acked, in order', () => {
    const { polled, flow, pinned } = polls();
    const first = polled.ofSlab(encodeBatch([0, 1, 2].map((offset) => ({ topic: 't', partition: 0, offset, value: `v${offset}` }))), pinned);
    const again = polled.ofSlab(encodeBatch([1, 2, 3].map((offset) => ({ topic: 't', partition: 0, offset, value: `v${offset}` }))), pinned);
    expect(again.map((r) => r.offset)).toEqual([3]);
    expect(flow.inFlight()).toBe(4);
    first[1]!.handle.ack(1); // acked out of order: the watermark stays before 0
    expect(polled.trackers.get('t/0')!.committable()).toBeUndefined();
    first[0]!.handle.ack(0);
    expect(polled.trackers.get('t/0')!.committable()).toBe(2);
  });

  it('counts a slab as pinned until its last record is acked, and an empty poll as nothing', () => {
    const { polled, pinned } = polls();
    expect(polled.ofSlab(encodeBatch([]), pinned)).toEqual([]);
    const a = polled.ofSlab(encodeBatch([{ topic: 't', partition: 0, offset: 0, value: 'aaaa' }, { topic: 't', partition: 1, offset: 0, value: 'bbbb' }]), pinned);
    const b = polled.ofSlab(encodeBatch([{ topic: 't', partition: 0, offset: 1, value: 'cc' }]), pinned);
    expect([pinned.pinned(), pinned.live()]).toEqual([10, 2]);
    ackRecords(a.slice(0, 1));
    expect(pinned.pinned()).toBe(10); // one record of the first slab is still in the pipeline
    ackRecords(a.slice(1));
    expect([pinned.pinned(), pinned.live()]).toEqual([2, 1]);
    ackRecords(b);
    expect([pinned.pinned(), pinned.live()]).toEqual([0, 0]);
    expect(new PinnedSlabs(10).overBudget()).toBe(false);
  });

  it('rejects metadata that does not match its counts', () => {
    const { polled, pinned } = polls();
    const batch = encodeBatch([{ topic: 't', partition: 0, offset: 0, value: 'v' }]);
    expect(() => polled.ofSlab({ ...batch, headerCount: 1 }, pinned)).toThrow(/metadata of 48 bytes for 1 messages and 1 headers/);
  });
});

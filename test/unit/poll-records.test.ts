/** PollRecords: a poll's messages become records, counted in flight per partition, re-deliveries skipped, acks settled. */
import { describe, expect, it } from '@jest/globals';
import { FlowControl } from '../../src/source/flow-control.js';
import { PollRecords } from '../../src/source/poll-records.js';
import { captureLog } from '../support/harness.js';
import { messages } from './fake-consumer.js';

describe('PollRecords', () => {
  it('makes one record per message, counts each partition run in flight, and skips offsets it handed out already', () => {
    const flow = new FlowControl(1000);
    const settled: [string, number][] = [];
    const polled = new PollRecords(flow, (id, count) => void settled.push([id, count]), captureLog().log);
    const first = polled.of([...messages('a', 0, 0, 3), ...messages('b', 1, 10, 2), ...messages('a', 0, 3, 1)]);
    expect(first.map((r) => `${r.topic}/${r.partition}@${r.offset}`)).toEqual(['a/0@0', 'a/0@1', 'a/0@2', 'b/1@10', 'b/1@11', 'a/0@3']);
    expect(flow.inFlight()).toBe(6);
    expect(flow.inFlightBytes()).toBe(['v0', 'v1', 'v2', 'v10', 'v11', 'v3'].join('').length); // values' bytes (no keys)
    expect(polled.consumed).toBe(6);

    const again = polled.of([...messages('a', 0, 2, 3)]); // rewound to 2: 2 and 3 again, then 4
    expect(again.map((r) => r.offset)).toEqual([4]);
    expect(flow.inFlight()).toBe(7);
    expect(flow.inFlightBytes()).toBe(['v0', 'v1', 'v2', 'v10', 'v11', 'v3', 'v4'].join('').length); // v2 and v3 again add nothing

    for (const r of first.slice(0, 2)) r.handle.ack(r.offset);
    expect(settled).toEqual([['a/0', 1], ['a/0', 1]]);
    expect(polled.trackers.get('a/0')!.committable()).toBe(2); // the next offset to read: 0 and 1 delivered
    expect(polled.trackers.get('b/1')!.committable()).toBeUndefined(); // nothing delivered there yet
  });
});

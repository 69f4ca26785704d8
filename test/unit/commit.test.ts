import { describe, expect, it } from '@jest/globals';
import { lastValueFrom, of, toArray } from 'rxjs';
import { commit } from '../../src/outcomes/commit.js';
import { PartitionTracker } from '../../src/source/offset-tracker.js';
import type { SinkRecord } from '../../src/records/record.js';
import { sinkRecord } from './fakes.js';

/** Records of `tracker`'s partition, handed out (tracked) as the Kafka source does. */
function handedOut(tracker: PartitionTracker, offsets: readonly number[]): SinkRecord[] {
  return offsets.map((offset) => {
    tracker.track(offset);
    return sinkRecord({ topic: tracker.topic, partition: tracker.partition, offset, handle: tracker });
  });
}

const delivered = (records: SinkRecord[]) => ({ records, attempts: 1 });

describe('commit', () => {
  it('acknowledges the records of each delivery and passes the delivery on unchanged', async () => {
    const tracker = new PartitionTracker('iot', 0);
    const delivery = delivered(handedOut(tracker, [0, 1, 2]));

    const out = await lastValueFrom(of(delivery).pipe(commit(), toArray()));

    expect(out).toHaveLength(1);
    expect(out[0]).toBe(delivery);
    expect(tracker.committable()).toBe(3);
  });

  it('does not commit past a request still in flight when a later one is delivered first', async () => {
    const tracker = new PartitionTracker('iot', 0);
    const records = handedOut(tracker, [0, 1, 2, 3]);

    await lastValueFrom(of(delivered(records.slice(2))).pipe(commit()));
    expect(tracker.committable()).toBeUndefined();

    await lastValueFrom(of(delivered(records.slice(0, 2))).pipe(commit()));
    expect(tracker.committable()).toBe(4);
  });

  it('acks each record through its own partition', async () => {
    const p0 = new PartitionTracker('iot', 0);
    const p1 = new PartitionTracker('iot', 1);
    const [r7] = handedOut(p0, [7]);
    const [r3] = handedOut(p1, [3, 4]);

    await lastValueFrom(of(delivered([r7!, r3!])).pipe(commit()));

    expect(p0.committable()).toBe(8);
    expect(p1.committable()).toBe(4);
  });
});

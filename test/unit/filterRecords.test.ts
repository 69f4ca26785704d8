import { describe, expect, it } from '@jest/globals';
import { lastValueFrom, map, of, toArray } from 'rxjs';
import { commit } from '../../src/outcomes/commit.js';
import { filterRecords } from '../../src/transform/filterRecords.js';
import { PartitionTracker } from '../../src/source/offset-tracker.js';
import type { SinkRecord } from '../../src/records/record.js';
import { sinkRecord } from './fakes.js';

function trackedPoll(metrics: readonly string[]): { tracker: PartitionTracker; poll: SinkRecord[] } {
  const tracker = new PartitionTracker('iot', 0);
  const poll = metrics.map((metric, offset) => {
    tracker.track(offset);
    return sinkRecord({ offset, value: { metric }, handle: tracker });
  });
  return { tracker, poll };
}

const isNotDebug = (r: SinkRecord): boolean => (r.value as { metric: string }).metric !== 'Debug';

describe('filterRecords', () => {
  it('keeps the records that pass, in order', async () => {
    const { poll } = trackedPoll(['Temperature', 'Debug', 'Humidity', 'Debug']);

    const [kept] = await lastValueFrom(of(poll).pipe(filterRecords(isNotDebug), toArray()));

    expect(kept!.map((r) => r.offset)).toEqual([0, 2]);
  });

  it('acks the dropped records, so committing the kept ones moves the watermark past all of them', async () => {
    const { tracker, poll } = trackedPoll(['Temperature', 'Debug', 'Humidity', 'Debug']);

    const requests = await lastValueFrom(of(poll).pipe(filterRecords(isNotDebug), map((records) => ({ records })), toArray()));
    expect(tracker.committable()).toBeUndefined(); // offset 0 is kept and not delivered yet

    await lastValueFrom(of(...requests).pipe(commit()));
    expect(tracker.committable()).toBe(4);
    expect(tracker.inFlight()).toBe(0);
  });

  it('lets the watermark move at once when a whole poll is dropped', async () => {
    const { tracker, poll } = trackedPoll(['Debug', 'Debug']);

    const [kept] = await lastValueFrom(of(poll).pipe(filterRecords(isNotDebug), toArray()));

    expect(kept).toEqual([]);
    expect(tracker.committable()).toBe(2);
  });
});

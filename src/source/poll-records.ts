/**
 * A poll's messages as the records the pipeline carries: one offset tracker per partition (acks become the
 * partition's watermark), offsets already handed out skipped, and records counted in flight per partition run.
 */
import type { Message } from 'node-rdkafka';
import type { Logger } from 'winston';
import type { KafkaRecord } from '../records/record.js';
import { idOf } from '../records/topic-partition.js';
import type { FlowControl } from './flow-control.js';
import { toKafkaRecord } from './message-record.js';
import { PartitionTracker } from './offset-tracker.js';

export class PollRecords {
  /** By "topic/partition": the source commits their watermarks and revokes them in a rebalance. */
  readonly trackers = new Map<string, PartitionTracker>();
  private count = 0;

  constructor(
    private readonly flow: FlowControl,
    /** `count` records of partition `id` were acknowledged (the watermark may have moved). */
    private readonly settled: (id: string, count: number) => void,
    private readonly log: Logger,
  ) {}

  /** Records handed to the pipeline so far. */
  get consumed(): number {
    return this.count;
  }

  /**
   * Per record: one object; per partition run of the poll (polls come in partition runs): one tracker lookup and
   * one flow-control update. Offsets this assignment handed out already (librdkafka rewound the fetch position) are
   * skipped: they are in the pipeline.
   */
  of(messages: readonly Message[]): KafkaRecord[] {
    const records: KafkaRecord[] = [];
    let tracker: PartitionTracker | undefined;
    let run = 0;
    for (const m of messages) {
      if (tracker === undefined || tracker.topic !== m.topic || tracker.partition !== m.partition) {
        if (run > 0) this.flow.add(idOf(tracker!), run);
        tracker = this.tracker(m.topic, m.partition);
        run = 0;
      }
      if (!tracker.track(m.offset)) continue;
      run += 1;
      records.push(toKafkaRecord(m, tracker, tracker.topic));
    }
    if (run > 0) this.flow.add(idOf(tracker!), run);
    this.count += records.length;
    const again = messages.length - records.length;
    if (again > 0) this.log.debug('kafka delivered records again after a pause; skipped (already in the pipeline)', { count: again, first: `${idOf(messages[0]!)}@${messages[0]!.offset}` });
    return records;
  }

  private tracker(topic: string, partition: number): PartitionTracker {
    const id = idOf({ topic, partition });
    let tracker = this.trackers.get(id);
    if (!tracker) {
      tracker = new PartitionTracker(topic, partition, (count) => this.settled(id, count));
      this.trackers.set(id, tracker);
    }
    return tracker;
  }
}

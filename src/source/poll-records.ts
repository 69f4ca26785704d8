/**
 * A poll's messages as the records the pipeline carries: one offset tracker per partition (acks become the
 * partition's watermark), offsets already handed out skipped, and records counted in flight per partition run.
 */
import type { Message } from 'node-rdkafka';
import type { Logger } from 'winston';
import type { KafkaRecord, OffsetHandle } from '../records/record.js';
import { idOf } from '../records/topic-partition.js';
import type { FlowControl } from './flow-control.js';
import { sourceRecord, toKafkaRecord } from './message-record.js';
import { PartitionTracker } from './offset-tracker.js';
import type { PinnedSlabs } from './pinned-slabs.js';
import { F, type NativeBatch, slabBytes, slabHeaders, slabView } from './slab-batch.js';

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
    let bytes = 0;
    for (const m of messages) {
      if (tracker === undefined || tracker.topic !== m.topic || tracker.partition !== m.partition) {
        if (run > 0) this.flow.add(idOf(tracker!), run, bytes);
        tracker = this.tracker(m.topic, m.partition);
        run = 0;
        bytes = 0;
      }
      if (!tracker.track(m.offset)) continue;
      run += 1;
      bytes += (m.value?.length ?? 0) + (typeof m.key === 'string' ? Buffer.byteLength(m.key) : (m.key?.length ?? 0));
      records.push(toKafkaRecord(m, tracker, tracker.topic));
    }
    if (run > 0) this.flow.add(idOf(tracker!), run, bytes);
    return this.handedOut(records, messages.length, messages[0]!);
  }

  /**
   * The same for a lean poll (slab-batch.ts): keys and values are views of the batch's slab, headers are built only
   * for messages that have some, and each partition run's records share one handle that also counts the slab's
   * records still in the pipeline (`pinned`).
   */
  ofSlab(batch: NativeBatch, pinned: PinnedSlabs): KafkaRecord[] {
    const records: KafkaRecord[] = [];
    if (batch.count === 0) return records;
    const view = slabView(batch);
    const { fields, offsets, timestamps, data } = view;
    const slab = pinned.slab(data.byteLength);
    let tracker: PartitionTracker | undefined;
    let handle: OffsetHandle | undefined;
    let run = 0;
    let bytes = 0;
    for (let i = 0; i < view.count; i++) {
      const f = i * F.size;
      const partition = fields[f + F.partition]!;
      const topic = batch.topics[fields[f + F.topic]!]!;
      if (tracker === undefined || tracker.partition !== partition || tracker.topic !== topic) {
        if (run > 0) this.flow.add(idOf(tracker!), run, bytes);
        tracker = this.tracker(topic, partition);
        handle = slab.handle(tracker);
        run = 0;
        bytes = 0;
      }
      const offset = offsets[i]!;
      if (!tracker.track(offset)) continue;
      run += 1;
      const keyLength = fields[f + F.keyLength]!;
      const valueLength = fields[f + F.valueLength]!;
      bytes += Math.max(0, keyLength) + Math.max(0, valueLength);
      const key = slabBytes(data, fields[f + F.keyStart]!, keyLength);
      const value = slabBytes(data, fields[f + F.valueStart]!, valueLength);
      records.push(sourceRecord(tracker.topic, partition, offset, timestamps[i]!, slabHeaders(view, i), key, value, handle!));
    }
    if (run > 0) this.flow.add(idOf(tracker!), run, bytes);
    slab.hold(records.length);
    return this.handedOut(records, view.count, { topic: batch.topics[fields[F.topic]!]!, partition: fields[F.partition]!, offset: offsets[0]! });
  }

  private handedOut(records: KafkaRecord[], read: number, first: { topic: string; partition: number; offset: number }): KafkaRecord[] {
    this.count += records.length;
    const again = read - records.length;
    if (again > 0) this.log.debug('kafka delivered records again after a pause; skipped (already in the pipeline)', { count: again, first: `${idOf(first)}@${first.offset}` });
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

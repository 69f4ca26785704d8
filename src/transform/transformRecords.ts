/**
 * Runs a record transform over each poll: records it drops are acknowledged (their offsets can be committed),
 * records it fails on follow `errors.tolerance` exactly like records a converter cannot read.
 */
import { concatMap, type OperatorFunction } from 'rxjs';
import { NullValueError, TransformError } from '../common/errors.js';
import type { FailedRecord } from '../records/outcome.js';
import { ackRecords, type SinkRecord } from '../records/record.js';
import { settleFailures } from '../records/settleFailures.js';
import { gated, type RecordTransform, type TransformRunOptions } from './record-transform.js';

/**
 * Applies `transform` to every record of every poll, in order. A record the transform answers null for is dropped and
 * acknowledged. A record it throws a TransformError for is a failed record: `onError` `fail` (default) stops the
 * pipeline with that error (naming the record's source topic, partition and offset), `dlq`/`drop` hand the record as
 * it entered this operator to `deadLetters`, then acknowledge it. Any other error stops the pipeline.
 *
 * @example
 * decoded$.pipe(transformRecords((r) => ({ ...r, topic: r.topic.toUpperCase() })))
 * @see settleFailures
 */
export function transformRecords(transform: RecordTransform, options: TransformRunOptions = {}): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  const apply = gated(transform, options);
  return concatMap((records) => {
    const kept: SinkRecord[] = [];
    const dropped: SinkRecord[] = [];
    const failed: FailedRecord[] = [];
    for (const record of records) {
      try {
        const out = apply(record);
        if (out === null) dropped.push(record);
        else kept.push(out);
      } catch (error) {
        if (error instanceof NullValueError) failed.push({ record, error: new NullValueError(record) });
        else if (!(error instanceof TransformError)) throw error;
        // Named by the record as it entered (a router earlier in the chain may have renamed the topic).
        else failed.push({ record, error: error.record === record ? error : new TransformError(record, error.transform, error.reason) });
      }
    }
    if (dropped.length > 0) ackRecords(dropped);
    return settleFailures(kept, failed, options);
  });
}

/**
 * How a record leaves the pipeline without being delivered: the contract every stage (decode, transform, deliver)
 * reports into. The implementation (log, dead-letter topic) lives in ../outcomes and is wired by the connector.
 */
import type { SinkError } from '../common/errors.js';
import type { SinkRecord } from './record.js';

/** What happens to a record that failed for good: stop the pipeline, dead-letter it, or skip it with a warning. */
export type FailureAction = 'fail' | 'dlq' | 'drop';

export interface FailedRecord {
  readonly record: SinkRecord;
  readonly error: SinkError;
}

/** The caller acknowledges the records only after `handle` resolved. */
export interface DeadLetters {
  handle(failed: readonly FailedRecord[], action: 'dlq' | 'drop'): Promise<void>;
}

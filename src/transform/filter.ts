/** Filter: drops every record it applies to (use it with a predicate); dropped records are acknowledged. */
import type { OperatorFunction } from 'rxjs';
import type { SinkRecord } from '../records/record.js';
import type { RecordTransform, TransformDefinition, TransformRunOptions } from './record-transform.js';
import { transformRecords } from './transformRecords.js';

/**
 * Drops the records the predicate holds for (all of them without one; `negate` keeps those instead). A dropped record
 * is acknowledged, so its offset is committed once the records before it are delivered.
 *
 * @example
 * decoded$.pipe(filter({ predicate: recordIsTombstone() }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.Filter
 */
export function filter(options: TransformRunOptions = {}): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(dropRecord, options);
}

const dropRecord: RecordTransform = () => null;

export const filterDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.Filter',
  variants: false,
  doc: 'Drops the records its predicate holds for (all records without a predicate); their offsets are committed.',
  options: {},
  create: () => dropRecord,
};

/** ExtractField ($Key / $Value): replaces the key or value by one of its fields. */
import type { OperatorFunction } from 'rxjs';
import { str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import type { SinkRecord } from '../records/record.js';
import { fieldOf } from '../records/schema.js';
import { type PartOptions, partSchema, partValue, type RecordTransform, recordFailure, requireObject, type TransformDefinition, type TransformRunOptions, withPart } from './record-transform.js';
import { transformRecords } from './transformRecords.js';

export interface ExtractFieldOptions extends PartOptions {
  readonly field: string;
}

/**
 * The key or value becomes the named field. With a schema the field must be in it (else a record error) and its
 * schema becomes the part's; without, a missing field gives null. A null (tombstone) passes unchanged.
 *
 * @example
 * decoded$.pipe(extractField({ part: 'key', field: 'id' }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.ExtractField
 */
export function extractField(options: ExtractFieldOptions & TransformRunOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(extractFieldTransform(options, options.name ?? 'ExtractField'), options);
}

export function extractFieldTransform(options: ExtractFieldOptions, name: string): RecordTransform {
  const part = options.part ?? 'value';
  const { field } = options;
  return (record) => {
    const value = partValue(record, part);
    if (value === null) return record;
    const schema = partSchema(record, part);
    const object = requireObject(record, name, value, schema, 'field extraction');
    if (schema === undefined) return withPart(record, part, object[field] ?? null, undefined);
    const fieldSchema = fieldOf(schema, field)?.schema;
    if (fieldSchema === undefined) recordFailure(record, name, `unknown field ${field} in the ${part} schema (fields: ${(schema.fields ?? []).map((f) => f.name).join(', ')})`);
    return withPart(record, part, object[field] ?? null, fieldSchema);
  };
}

export const extractFieldDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.ExtractField',
  variants: true,
  doc: 'Replaces the key or value by one of its fields. With a schema, a record without that field is a record error.',
  options: { field: { doc: 'The field to extract (required).', format: str(), default: '' } } satisfies ConfigSpec,
  create: (read, part, name) => {
    const field = read.string('field').trim();
    if (field === '') throw new ConfigError('field', 'is required: the name of the field to extract');
    return extractFieldTransform({ part, field }, name);
  },
};

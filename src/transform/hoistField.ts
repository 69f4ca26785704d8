/** HoistField ($Key / $Value): wraps the key or value in a struct (or map) with one field. */
import type { OperatorFunction } from 'rxjs';
import { str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import type { SinkRecord } from '../records/record.js';
import { type ConnectSchema, structSchema } from '../records/schema.js';
import { type PartOptions, partSchema, partValue, type RecordTransform, type TransformDefinition, type TransformRunOptions, withPart } from './record-transform.js';
import { transformRecords } from './transformRecords.js';

export interface HoistFieldOptions extends PartOptions {
  readonly field: string;
}

/**
 * The key or value becomes `{ [field]: what it was }`; with a schema, a struct whose one field has the old schema.
 * As in Connect, a null value is wrapped too (`{ field: null }`): put a RecordIsTombstone predicate on it to keep
 * tombstones.
 *
 * @example
 * decoded$.pipe(hoistField({ field: 'payload' }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.HoistField
 */
export function hoistField(options: HoistFieldOptions & TransformRunOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(hoistFieldTransform(options), options);
}

export function hoistFieldTransform(options: HoistFieldOptions): RecordTransform {
  const part = options.part ?? 'value';
  const schemas = new WeakMap<ConnectSchema, ConnectSchema>();
  return (record) => {
    const schema = partSchema(record, part);
    const value = { [options.field]: partValue(record, part) };
    if (schema === undefined) return withPart(record, part, value, undefined);
    let hoisted = schemas.get(schema);
    if (hoisted === undefined) {
      hoisted = structSchema([{ name: options.field, schema }]);
      schemas.set(schema, hoisted);
    }
    return withPart(record, part, value, hoisted);
  };
}

export const hoistFieldDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.HoistField',
  variants: true,
  doc: 'Wraps the key or value in a struct (or map) with one field.',
  options: { field: { doc: 'The field name (required).', format: str(), default: '' } } satisfies ConfigSpec,
  create: (read, part) => {
    const field = read.string('field').trim();
    if (field === '') throw new ConfigError('field', 'is required: the name of the field to wrap the data in');
    return hoistFieldTransform({ part, field });
  },
};

/** ValueToKey: the key becomes a struct (or map) of fields copied from the value. */
import type { OperatorFunction } from 'rxjs';
import { str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import type { SinkRecord } from '../records/record.js';
import { type ConnectSchema, fieldOf, structSchema } from '../records/schema.js';
import { type RecordTransform, recordFailure, requireObject, type TransformDefinition, type TransformRunOptions, withPart, REPLACE_NULL_WITH_DEFAULT } from './record-transform.js';
import { transformRecords } from './transformRecords.js';
import { sizedHashMap } from '../common/java-hash-map.js';

export interface ValueToKeyOptions {
  /** Value fields that make up the new key. */
  readonly fields: readonly string[];
}

/**
 * Replaces the key by the named fields of the value. With a schema every field must be in the value's schema (else
 * a record error); without, a missing field is null. A tombstone passes unchanged (Connect fails on it).
 *
 * @example
 * decoded$.pipe(valueToKey({ fields: ['userId'] }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.ValueToKey
 */
export function valueToKey(options: ValueToKeyOptions & TransformRunOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(valueToKeyTransform(options, options.name ?? 'ValueToKey'), options);
}

export function valueToKeyTransform(options: ValueToKeyOptions, name: string): RecordTransform {
  const schemas = new WeakMap<ConnectSchema, ConnectSchema>();
  return (record) => {
    if (record.value === null) return record;
    const schema = record.valueSchema;
    const object = requireObject(record, name, record.value, schema, 'copying fields from value to key');
    if (schema === undefined) {
      // Connect puts the fields into a `new HashMap<>(fields.size())`: its order (src/common/java-hash-map.ts).
      return withPart(record, 'key', sizedHashMap(options.fields.length, options.fields.map((field) => [field, object[field] ?? null] as const)), undefined);
    }
    const key: Record<string, unknown> = {};
    for (const field of options.fields) key[field] = object[field] ?? null;
    let keySchema = schemas.get(schema);
    if (keySchema === undefined) {
      const fields = options.fields.map((field) => {
        const found = fieldOf(schema, field);
        if (found === undefined) recordFailure(record, name, `field ${field} does not exist in the value schema`);
        return found;
      });
      keySchema = structSchema(fields);
      schemas.set(schema, keySchema);
    }
    return withPart(record, 'key', key, keySchema);
  };
}

export const valueToKeyDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.ValueToKey',
  variants: false,
  doc: 'Replaces the key by a struct (or map) of fields copied from the value.',
  options: { fields: { doc: 'Comma-separated value fields (required).', format: str(), default: '' }, ...REPLACE_NULL_WITH_DEFAULT } satisfies ConfigSpec,
  create: (read, _part, name) => {
    const fields = read.list('fields');
    if (fields.length === 0) throw new ConfigError('fields', 'is required: comma-separated fields of the value');
    return valueToKeyTransform({ fields }, name);
  },
};

/** MaskField ($Key / $Value): replaces fields with their type's empty value (0, false, "") or a given replacement. */
import type { OperatorFunction } from 'rxjs';
import { str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import { JsonNumber } from '../common/json-text.js';
import type { SinkRecord } from '../records/record.js';
import { type ConnectSchema, fieldOf } from '../records/schema.js';
import { type PartOptions, partSchema, partValue, type RecordTransform, recordFailure, requireObject, type TransformDefinition, type TransformRunOptions, withPart, REPLACE_NULL_WITH_DEFAULT } from './record-transform.js';
import { transformRecords } from './transformRecords.js';
import { copiedHashMap, javaSetOrder } from '../common/java-hash-map.js';
import { javaDouble, javaFloat } from '../common/java-number.js';

export interface MaskFieldOptions extends PartOptions {
  readonly fields: readonly string[];
  /** Written instead of the empty value; must fit the field's type (a number for numeric fields). Not for booleans. */
  readonly replacement?: string;
}

const NUMERIC = new Set(['int8', 'int16', 'int32', 'int64', 'float32', 'float64']);
const INTEGER = new Set(['int8', 'int16', 'int32', 'int64']);

/**
 * Masks the named fields. Without `replacement` a field gets its type's empty value: 0, false, "", an empty array or
 * map; with it, string and numeric fields get the replacement (a replacement a numeric field cannot take, or any
 * replacement for another type, is a record error). Null fields stay null, a named field the schema lacks is ignored (as in
 * Connect); tombstones pass unchanged.
 *
 * @example
 * decoded$.pipe(maskField({ fields: ['ssn'], replacement: '***-**-****' }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.MaskField
 */
export function maskField(options: MaskFieldOptions & TransformRunOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(maskFieldTransform(options, options.name ?? 'MaskField'), options);
}

export function maskFieldTransform(options: MaskFieldOptions, name: string): RecordTransform {
  const part = options.part ?? 'value';
  const { replacement } = options;
  // Connect reads the fields into a HashSet and puts them in its order.
  const fieldOrder = javaSetOrder(options.fields);
  return (record) => {
    const value = partValue(record, part);
    if (value === null) return record;
    const schema = partSchema(record, part);
    const object = requireObject(record, name, value, schema, 'masking fields');
    const fail = (field: string) => (why: string) => recordFailure(record, name, `cannot mask field ${field}: ${why}`);
    if (schema === undefined) {
      // Connect copies the map into a HashMap and puts every field, null where the map has none: its order.
      const puts = fieldOrder.map((field) => {
        const v = object[field];
        return [field, v === null || v === undefined ? null : maskTyped(typeOf(v), replacement, fail(field))] as const;
      });
      return withPart(record, part, copiedHashMap(object, puts), schema);
    }
    // Connect walks the schema's fields and masks those named: a named field the schema lacks is not an error.
    const out: Record<string, unknown> = { ...object };
    for (const field of options.fields) {
      const fieldSchema = fieldOf(schema, field)?.schema;
      if (fieldSchema === undefined) continue;
      if (out[field] === null || out[field] === undefined) continue;
      out[field] = maskTyped(fieldSchema.type, replacement, fail(field));
    }
    return withPart(record, part, out, schema);
  };
}

function typeOf(value: unknown): ConnectSchema['type'] {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'bigint') return 'int64';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof JsonNumber) return 'float64';
  if (Array.isArray(value)) return 'array';
  if (Buffer.isBuffer(value)) return 'bytes';
  return 'map';
}

function maskTyped(type: ConnectSchema['type'], replacement: string | undefined, fail: (why: string) => never): unknown {
  if (replacement === undefined) {
    if (type === 'float64' || type === 'float32') return javaDouble(0); // a masked double is 0.0
    if (NUMERIC.has(type)) return 0;
    if (type === 'boolean') return false;
    if (type === 'string') return '';
    if (type === 'array') return [];
    if (type === 'map' || type === 'struct') return {};
    return fail(`no empty value for type ${type}`);
  }
  if (type === 'string') return replacement;
  if (NUMERIC.has(type)) {
    const n = Number(replacement);
    if (replacement.trim() === '' || !Number.isFinite(n) || (INTEGER.has(type) && !Number.isInteger(n))) return fail(`replacement ${JSON.stringify(replacement)} is not a ${type}`);
    // A double or float field keeps its type: Java writes `5.0` for a replacement `5`.
    return type === 'float64' ? javaDouble(n) : type === 'float32' ? javaFloat(Math.fround(n)) : n;
  }
  return fail(`a replacement is only for string and numeric fields, this one is ${type}`);
}

export const maskFieldDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.MaskField',
  variants: true,
  doc: 'Replaces fields with their type\'s empty value (0, false, "", [] or {}) or with `replacement`.',
  options: {
    fields: { doc: 'Comma-separated fields to mask (required).', format: str(), default: '' },
    replacement: { doc: 'Written instead of the empty value, for string and numeric fields (must parse as a number for numeric ones).', format: str(), default: null },
    ...REPLACE_NULL_WITH_DEFAULT,
  } satisfies ConfigSpec,
  create: (read, part, name) => {
    const fields = read.list('fields');
    if (fields.length === 0) throw new ConfigError('fields', 'is required: a comma-separated list of fields to mask');
    const replacement = read.optionalString('replacement');
    if (replacement === '') throw new ConfigError('replacement', 'must not be empty (leave it out to mask with empty values)');
    return maskFieldTransform({ part, fields, replacement }, name);
  },
};

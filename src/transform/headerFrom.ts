/** HeaderFrom ($Key / $Value): copies or moves fields of the key or value into headers. */
import type { OperatorFunction } from 'rxjs';
import { oneOf, str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import { jsonText } from '../common/json-text.js';
import type { RecordHeader, SinkRecord } from '../records/record.js';
import { type ConnectSchema, fieldOf } from '../records/schema.js';
import { type PartOptions, partSchema, partValue, type RecordTransform, recordFailure, requireObject, type TransformDefinition, type TransformRunOptions, withPart, REPLACE_NULL_WITH_DEFAULT } from './record-transform.js';
import { transformRecords } from './transformRecords.js';
import { copiedMapCapacity, inHashMapOrder } from '../common/java-hash-map.js';

export interface HeaderFromOptions extends PartOptions {
  readonly fields: readonly string[];
  /** One header name per field, in the same order. */
  readonly headers: readonly string[];
  /** `copy` leaves the fields in place, `move` removes them. */
  readonly operation: 'copy' | 'move';
}

/**
 * Adds a header per field: a string as its UTF-8 text, bytes as they are, anything else as JSON text, a null or
 * missing field as an empty value. With `move` the fields leave the key or value (and its schema). Tombstones pass.
 *
 * @example
 * decoded$.pipe(headerFrom({ fields: ['traceId'], headers: ['trace-id'], operation: 'move' }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.HeaderFrom
 */
export function headerFrom(options: HeaderFromOptions & TransformRunOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(headerFromTransform(options, options.name ?? 'HeaderFrom'), options);
}

export function headerFromTransform(options: HeaderFromOptions, name: string): RecordTransform {
  const part = options.part ?? 'value';
  const moved = new Set(options.fields);
  const schemas = new WeakMap<ConnectSchema, ConnectSchema>();
  return (record) => {
    const value = partValue(record, part);
    if (value === null) return record;
    const schema = partSchema(record, part);
    const object = requireObject(record, name, value, schema, 'copying fields to headers');
    const added: RecordHeader[] = options.fields.map((field, i) => {
      if (schema !== undefined && fieldOf(schema, field) === undefined) recordFailure(record, name, `unknown field ${field}`);
      return { key: options.headers[i]!, value: headerBytes(object[field]) };
    });
    const headers = [...record.headers, ...added];
    if (options.operation === 'copy') return { ...record, headers };
    let out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(object)) if (!moved.has(k)) out[k] = v;
    // Without a schema Connect copies the map into a HashMap and removes the fields: its order (src/common/java-hash-map.ts).
    if (schema === undefined) out = inHashMapOrder(out, copiedMapCapacity(Object.keys(object).length));
    let outSchema = schema && schemas.get(schema);
    if (schema !== undefined && outSchema === undefined) {
      outSchema = { ...schema, fields: (schema.fields ?? []).filter((f) => !moved.has(f.name)) };
      schemas.set(schema, outSchema);
    }
    return { ...withPart(record, part, out, outSchema), headers };
  };
}

function headerBytes(value: unknown): Buffer {
  if (value === null || value === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(value)) return value;
  return Buffer.from(typeof value === 'string' ? value : jsonText(value), 'utf8');
}

export const headerFromDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.HeaderFrom',
  variants: true,
  doc: 'Copies or moves fields of the key or value into headers (strings as text, other values as JSON text).',
  options: {
    fields: { doc: 'Comma-separated fields (required).', format: str(), default: '' },
    headers: { doc: 'Comma-separated header names, one per field (required).', format: str(), default: '' },
    operation: { doc: '`copy` or `move` (required).', format: oneOf(['copy', 'move']), default: null },
    ...REPLACE_NULL_WITH_DEFAULT,
  } satisfies ConfigSpec,
  create: (read, part, name) => {
    const fields = read.list('fields');
    const headers = read.list('headers');
    if (fields.length === 0) throw new ConfigError('fields', 'is required: comma-separated fields');
    if (headers.length !== fields.length) throw new ConfigError('headers', `must name one header per field (${fields.length} fields, ${headers.length} headers)`);
    const operation = read.optionalString('operation');
    if (operation === undefined) throw new ConfigError('operation', 'is required: copy or move');
    return headerFromTransform({ part, fields, headers, operation: operation as 'copy' | 'move' }, name);
  },
};

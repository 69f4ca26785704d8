/** Flatten ($Key / $Value): nested structs (or maps) become top-level fields named `outer.inner`. */
import type { OperatorFunction } from 'rxjs';
import { str } from '../common/config/formats.js';
import type { ConfigSpec } from '../common/config/spec.js';
import type { SinkRecord } from '../records/record.js';
import type { ConnectField, ConnectSchema } from '../records/schema.js';
import { isPlainObject, type PartOptions, partSchema, partValue, type RecordTransform, recordFailure, requireObject, type TransformDefinition, type TransformRunOptions, withPart } from './record-transform.js';
import { transformRecords } from './transformRecords.js';

export interface FlattenOptions extends PartOptions {
  /** Between the names of the outer and inner field; `.` by default. */
  readonly delimiter?: string;
}

/**
 * Flattens nested structs (with a schema) or nested maps (without) into one level, joining names with `delimiter`.
 * Arrays stay as they are. With a schema, a field under an optional struct becomes optional. Tombstones pass.
 *
 * @example
 * decoded$.pipe(flatten({ delimiter: '_' }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.Flatten
 */
export function flatten(options: FlattenOptions & TransformRunOptions = {}): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(flattenTransform(options, options.name ?? 'Flatten'), options);
}

export function flattenTransform(options: FlattenOptions, name: string): RecordTransform {
  const part = options.part ?? 'value';
  const delimiter = options.delimiter ?? '.';
  const schemas = new WeakMap<ConnectSchema, ConnectSchema>();
  return (record) => {
    const value = partValue(record, part);
    if (value === null) return record;
    const schema = partSchema(record, part);
    const object = requireObject(record, name, value, schema, 'flattening');
    const out: Record<string, unknown> = {};
    if (schema === undefined) {
      flattenMap(object, '', delimiter, out);
      return withPart(record, part, out, undefined);
    }
    let flat = schemas.get(schema);
    if (flat === undefined) {
      const fields: ConnectField[] = [];
      // Connect refuses a map inside a struct (it cannot name the map's keys in a schema): a record error, as there.
      flattenSchema(schema, '', delimiter, false, fields, (field) => recordFailure(record, name, `Flatten transformation does not support MAP for record with schemas (for field ${field}).`));
      flat = { ...schema, fields };
      schemas.set(schema, flat);
    }
    flattenStruct(object, schema, '', delimiter, out);
    return withPart(record, part, out, flat);
  };
}

/** Connect's naming: the outer name, the delimiter, the inner name; no delimiter while the outer name is empty. */
function joined(prefix: string, delimiter: string, name: string): string {
  return prefix === '' ? name : prefix + delimiter + name;
}

function flattenMap(object: Record<string, unknown>, prefix: string, delimiter: string, out: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(object)) {
    const name = joined(prefix, delimiter, key);
    if (isPlainObject(value)) flattenMap(value, name, delimiter, out);
    else out[name] = value;
  }
}

function flattenStruct(object: Record<string, unknown> | null, schema: ConnectSchema, prefix: string, delimiter: string, out: Record<string, unknown>): void {
  for (const field of schema.fields ?? []) {
    const name = joined(prefix, delimiter, field.name);
    const value = object === null ? null : (object[field.name] ?? null);
    if (field.schema.type === 'struct') flattenStruct(isPlainObject(value) ? value : null, field.schema, name, delimiter, out);
    else out[name] = value;
  }
}

function flattenSchema(schema: ConnectSchema, prefix: string, delimiter: string, optionalParent: boolean, out: ConnectField[], refuseMap: (field: string) => never): void {
  for (const field of schema.fields ?? []) {
    const name = joined(prefix, delimiter, field.name);
    const optional = optionalParent || field.schema.optional;
    if (field.schema.type === 'map') refuseMap(name);
    if (field.schema.type === 'struct') flattenSchema(field.schema, name, delimiter, optional, out, refuseMap);
    else out.push({ name, schema: optional === field.schema.optional ? field.schema : { ...field.schema, optional } });
  }
}

export const flattenDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.Flatten',
  variants: true,
  doc: 'Flattens nested structs or maps into top-level fields named `outer<delimiter>inner`; arrays stay as they are.',
  options: { delimiter: { doc: 'Put between the outer and inner field names.', format: str(), default: '.' } } satisfies ConfigSpec,
  create: (read, part, name) => flattenTransform({ part, delimiter: read.string('delimiter') }, name),
};

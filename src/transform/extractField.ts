/** ExtractField ($Key / $Value): replaces the key or value by one of its fields. */
import type { OperatorFunction } from 'rxjs';
import { bool, str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import type { SinkRecord } from '../records/record.js';
import { type ConnectSchema, fieldOf } from '../records/schema.js';
import { isPlainObject, type PartOptions, partSchema, partValue, type RecordTransform, recordFailure, requireObject, type TransformDefinition, type TransformRunOptions, withPart } from './record-transform.js';
import { transformRecords } from './transformRecords.js';
import { FIELD_SYNTAX_VERSION, fieldPathSteps, fieldSyntaxVersion } from './field-path.js';

export interface ExtractFieldOptions extends PartOptions {
  /** The field's name; with `path`, its steps (`field.syntax.version=V2`: `order.customer.id`). */
  readonly field: string;
  /** The steps to a nested field (default: just `field`). */
  readonly path?: readonly string[];
  /** With a schema, a null field whose schema has a default gives the default (Connect's default: true). */
  readonly replaceNullWithDefault?: boolean;
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
  const { field, replaceNullWithDefault = true } = options;
  const path = options.path ?? [field];
  return (record) => {
    const value = partValue(record, part);
    if (value === null) return record;
    const schema = partSchema(record, part);
    let object = requireObject(record, name, value, schema, 'field extraction');
    const fieldSchema = schema && schemaAt(schema, path);
    if (schema !== undefined && fieldSchema === undefined) recordFailure(record, name, `unknown field ${field} in the ${part} schema (fields: ${(schema.fields ?? []).map((f) => f.name).join(', ')})`);
    // Each step but the last must be a map (a struct with a schema); a null or missing one gives null, as in Connect.
    for (const step of path.slice(0, -1)) {
      const inner = own(object, step);
      if (inner === null) return withPart(record, part, null, fieldSchema);
      if (!isPlainObject(inner)) recordFailure(record, name, `only a ${schema ? 'struct' : 'map'} is supported for nested field access, found ${Array.isArray(inner) ? 'an array' : typeof inner} at ${step}`);
      object = inner;
    }
    const found = own(object, path[path.length - 1]!);
    if (fieldSchema === undefined) return withPart(record, part, found, undefined);
    return withPart(record, part, found === null && replaceNullWithDefault && fieldSchema.defaultValue !== undefined ? fieldSchema.defaultValue : found, fieldSchema);
  };
}

/** The schema of the field the path leads to, or undefined when a step is not a field there. */
function schemaAt(schema: ConnectSchema, path: readonly string[]): ConnectSchema | undefined {
  let current: ConnectSchema | undefined = schema;
  for (const step of path) current = current && fieldOf(current, step)?.schema;
  return current;
}

/** An own property's value, null when absent. */
function own(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? (object[key] ?? null) : null;
}

export const extractFieldDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.ExtractField',
  variants: true,
  doc: 'Replaces the key or value by one of its fields. With a schema, a record without that field is a record error.',
  options: {
    field: { doc: 'The field to extract (required); with `field.syntax.version=V2` a dotted path to a nested field.', format: str(), default: '' },
    [FIELD_SYNTAX_VERSION]: { doc: '`V1`: `field` names a top-level field (dots and all). `V2`: a dotted path (`order.customer.id`), a name holding dots in backticks (`` `a.b`.c ``).', format: str(), default: 'V1' },
    'replace.null.with.default': { doc: 'With a schema: a null field whose schema has a default gives the default.', format: bool(), default: true },
  } satisfies ConfigSpec,
  create: (read, part, name) => {
    const field = read.string('field').trim();
    if (field === '') throw new ConfigError('field', 'is required: the name of the field to extract');
    const path = fieldPathSteps(field, fieldSyntaxVersion(read.string(FIELD_SYNTAX_VERSION)), 'field');
    return extractFieldTransform({ part, field, path, replaceNullWithDefault: read.boolean('replace.null.with.default') }, name);
  },
};

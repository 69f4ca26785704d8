/**
 * JsonConverter's schema JSON (the `"schema"` of a `schemas.enable=true` envelope) -> a ConnectSchema, cached per
 * schema text so a topic's records share one object. A schema Connect cannot read (a type it does not know, such as
 * `float64`: its JSON names are `float` and `double`) makes the record bad, with Connect's message.
 */
import { BadDataError } from '../common/errors.js';
import type { ConnectField, ConnectSchema, ConnectType } from '../records/schema.js';

/** Connect's JSON type names -> its schema types. */
const TYPES: Readonly<Record<string, ConnectType>> = {
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  float: 'float32',
  double: 'float64',
  boolean: 'boolean',
  string: 'string',
  bytes: 'bytes',
  array: 'array',
  map: 'map',
  struct: 'struct',
};
const CACHE_LIMIT = 1000;
const cache = new Map<string, ConnectSchema | undefined>();

/** The ConnectSchema an envelope's `schema` describes; undefined when it is null. Throws BadDataError as Connect does. */
export function envelopeSchema(json: unknown): ConnectSchema | undefined {
  if (json === null || json === undefined) return undefined;
  const text = JSON.stringify(json, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (cache.has(text)) return cache.get(text);
  const schema = read(json);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, schema);
  return schema;
}

function read(json: unknown): ConnectSchema {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new BadDataError('malformed', 'Schema must contain \'type\' field');
  const node = json as Record<string, unknown>;
  if (typeof node.type !== 'string') throw new BadDataError('malformed', 'Schema must contain \'type\' field');
  const type = Object.prototype.hasOwnProperty.call(TYPES, node.type) ? TYPES[node.type] : undefined;
  if (type === undefined) throw new BadDataError('malformed', `Unknown schema type: ${node.type}`);
  const schema: { -readonly [K in keyof ConnectSchema]: ConnectSchema[K] } = { type, optional: node.optional === true };
  if (typeof node.name === 'string') schema.name = node.name;
  if (typeof node.version === 'number') schema.version = node.version;
  if (typeof node.doc === 'string') schema.doc = node.doc;
  if (typeof node.parameters === 'object' && node.parameters !== null) schema.parameters = node.parameters as Record<string, string>;
  if ('default' in node) schema.defaultValue = node.default;
  if (type === 'struct') {
    const fields: ConnectField[] = [];
    for (const f of Array.isArray(node.fields) ? (node.fields as unknown[]) : []) {
      const fieldSchema = read(f);
      const name = (f as { field?: unknown }).field;
      if (typeof name !== 'string') throw new BadDataError('malformed', 'Struct schema\'s field name not specified properly');
      // Connect's SchemaBuilder refuses an empty field name and a name given twice.
      if (name === '') throw new BadDataError('malformed', 'fieldName cannot be null.');
      if (fields.some((other) => other.name === name)) throw new BadDataError('malformed', `Cannot create field because of field name duplication ${name}`);
      fields.push({ name, schema: fieldSchema });
    }
    schema.fields = fields;
  } else if (type === 'array') {
    schema.valueSchema = read(node.items);
  } else if (type === 'map') {
    schema.keySchema = read(node.keys);
    schema.valueSchema = read(node.values);
  }
  return schema;
}

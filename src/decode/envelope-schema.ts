/**
 * JsonConverter's schema JSON (the `"schema"` of a `schemas.enable=true` envelope) -> a ConnectSchema, cached per
 * schema text so a topic's records share one object. A schema that is not Connect's JSON form gives undefined: the
 * value still goes on, only transforms that need a schema treat it as schemaless.
 */
import type { ConnectField, ConnectSchema, ConnectType } from '../records/schema.js';

const TYPES = new Set<ConnectType>(['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string', 'bytes', 'array', 'map', 'struct']);
const CACHE_LIMIT = 1000;
const cache = new Map<string, ConnectSchema | undefined>();

/** The ConnectSchema an envelope's `schema` describes; undefined when it is null or not Connect's schema JSON. */
export function envelopeSchema(json: unknown): ConnectSchema | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const text = JSON.stringify(json, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (cache.has(text)) return cache.get(text);
  const schema = read(json);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, schema);
  return schema;
}

function read(json: unknown): ConnectSchema | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const node = json as Record<string, unknown>;
  const type = node.type as ConnectType;
  if (!TYPES.has(type)) return undefined;
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
      if (fieldSchema === undefined || typeof name !== 'string') return undefined;
      fields.push({ name, schema: fieldSchema });
    }
    schema.fields = fields;
  } else if (type === 'array') {
    schema.valueSchema = read(node.items);
    if (schema.valueSchema === undefined) return undefined;
  } else if (type === 'map') {
    schema.keySchema = read(node.keys);
    schema.valueSchema = read(node.values);
    if (schema.keySchema === undefined || schema.valueSchema === undefined) return undefined;
  }
  return schema;
}

/**
 * JsonConverter with `schemas.enable=true`: a payload number whose schema says float64 or float32 is written as Java
 * prints a Double or Float (`21` under a float64 field becomes `21.0`), as Connect converts the payload to the
 * schema's type before writing it. Schemas without a float field leave the payload untouched (the usual case).
 */
import { JsonNumber } from '../common/json-text.js';
import type { ConnectSchema } from '../records/schema.js';
import { float32ToJson, float64ToJson } from './connect-json.js';

const hasFloats = new WeakMap<ConnectSchema, boolean>();

/** The payload with the numbers at float positions of `schema` in Java's text; the same object when there are none. */
export function withJavaFloats(payload: unknown, schema: ConnectSchema | undefined): unknown {
  if (schema === undefined || !containsFloat(schema)) return payload;
  return convert(payload, schema);
}

function containsFloat(schema: ConnectSchema): boolean {
  let known = hasFloats.get(schema);
  if (known === undefined) {
    known =
      schema.type === 'float32' ||
      schema.type === 'float64' ||
      (schema.fields ?? []).some((f) => containsFloat(f.schema)) ||
      (schema.valueSchema !== undefined && containsFloat(schema.valueSchema)) ||
      (schema.keySchema !== undefined && containsFloat(schema.keySchema));
    hasFloats.set(schema, known);
  }
  return known;
}

function convert(value: unknown, schema: ConnectSchema): unknown {
  if (value === null || value === undefined || !containsFloat(schema)) return value;
  switch (schema.type) {
    case 'float64':
    case 'float32': {
      const n = typeof value === 'number' ? value : value instanceof JsonNumber ? Number(value.text) : typeof value === 'bigint' ? Number(value) : undefined;
      if (n === undefined) return value;
      return schema.type === 'float64' ? float64ToJson(n) : float32ToJson(Math.fround(n));
    }
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const field of schema.fields ?? []) if (field.name in out) out[field.name] = convert(out[field.name], field.schema);
      return out;
    }
    case 'array':
      return Array.isArray(value) && schema.valueSchema ? value.map((item) => convert(item, schema.valueSchema!)) : value;
    case 'map': {
      // JsonConverter writes a map with string keys as an object, others as [key, value] pairs.
      if (Array.isArray(value)) return value.map((pair) => (Array.isArray(pair) && pair.length === 2 ? [convert(pair[0], schema.keySchema!), convert(pair[1], schema.valueSchema!)] : pair));
      if (typeof value !== 'object' || !schema.valueSchema) return value;
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, convert(v, schema.valueSchema!)]));
    }
    default:
      return value;
  }
}

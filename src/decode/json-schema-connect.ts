/**
 * JSON Schema data -> the JSON Kafka Connect writes for it (Confluent's JsonSchemaData to Connect data, then
 * JsonConverter with `schemas.enable=false`): objects get exactly the schema's properties, in its order, absent
 * (or null) ones as the property's `default` if it has one (Connect's Struct.get answers the schema default), else
 * null; Connect decimals follow `decimal.format`; everything else (combinators, `$ref`) passes as written.
 */
import { BadDataError, errorMessage } from '../common/errors.js';
import { type DecimalFormat, decimalNumberToJson, float32ToJson, float64ToJson } from './connect-json.js';
import { parseJsonExact } from './exact-json.js';
import { type ConnectField, type ConnectSchema, structSchema } from '../records/schema.js';

type Mapper = (value: unknown) => unknown;

interface JsonSchemaNode {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  title?: string;
  default?: unknown;
  'connect.parameters'?: Record<string, string>;
  'connect.type'?: string;
}

const CONNECT_DECIMAL = 'org.apache.kafka.connect.data.Decimal';

/**
 * The reader for one schema: the JSON text after the wire-format header -> Connect JSON. Text that is not JSON:
 * BadDataError. Integers beyond 2^53 stay exact (BigInt); other numbers are float64s, as Connect reads them.
 */
export function jsonSchemaReader(schemaText: string, format: DecimalFormat): (payload: string) => unknown {
  const mapper = compile(JSON.parse(schemaText) as JsonSchemaNode, format);
  return (payload) => {
    let data: unknown;
    try {
      data = parseJsonExact(payload);
    } catch (error) {
      throw new BadDataError('malformed', `invalid JSON (${errorMessage(error)})`, error);
    }
    return mapper ? mapper(data) : data;
  };
}

function compile(schema: JsonSchemaNode, format: DecimalFormat): Mapper | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  if (schema.title === CONNECT_DECIMAL) {
    const scale = Number(schema['connect.parameters']?.scale ?? 0);
    return (value) => (typeof value === 'number' ? decimalNumberToJson(value, scale, format) : value);
  }
  // `number` is Connect's float64 (float32 with connect.type): written with Java's text, 21.0 rather than 21.
  if (schema.type === 'number' || (Array.isArray(schema.type) && schema.type.includes('number'))) {
    if (schema['connect.type'] === 'float32') return (value) => (typeof value === 'number' ? float32ToJson(Math.fround(value)) : value);
    return (value) => (typeof value === 'number' ? float64ToJson(value) : value);
  }
  if (schema.properties) {
    const fields = Object.entries(schema.properties).map(([name, property]) => {
      const mapper = compile(property, format);
      const fallback = isObject(property) && property.default !== undefined && property.default !== null ? property.default : null;
      const rendered = fallback !== null && mapper ? mapper(fallback) : fallback;
      // An object default is made anew per record (from the schema's default, as structuredClone would drop a
      // JsonNumber's class): a pipeline step that changes one record must not change the next.
      const fresh = (): unknown => (mapper ? mapper(structuredClone(fallback)) : structuredClone(fallback));
      return { name, mapper, fallback: typeof rendered === 'object' && rendered !== null ? fresh : () => rendered };
    });
    return (value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const object = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const { name, mapper, fallback } of fields) {
        const field = object[name];
        out[name] = field === undefined || field === null ? fallback() : mapper ? mapper(field) : field;
      }
      return out;
    };
  }
  if (schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)) {
    const items = compile(schema.items, format);
    return items && ((value) => (Array.isArray(value) ? value.map(items) : value));
  }
  return undefined;
}

function isObject(node: unknown): node is JsonSchemaNode {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/**
 * The Connect schema JsonSchemaData gives a JSON Schema, for the transforms: objects with properties are structs
 * (a property is optional unless `required`), integer is int64, number float64, arrays of one item schema arrays.
 * Undefined for what has no plain Connect form (combinators, `$ref`, untyped).
 */
export function jsonSchemaConnectSchema(schemaText: string): ConnectSchema | undefined {
  try {
    return toConnect(JSON.parse(schemaText) as JsonSchemaNode, false);
  } catch {
    return undefined;
  }
}

const JSON_TYPES: Readonly<Record<string, ConnectSchema['type']>> = { integer: 'int64', number: 'float64', string: 'string', boolean: 'boolean' };

function toConnect(node: JsonSchemaNode & { required?: string[] }, optional: boolean): ConnectSchema | undefined {
  if (!isObject(node)) return undefined;
  const types = (Array.isArray(node.type) ? node.type : [node.type]).filter((t) => t !== 'null');
  const nullable = optional || (Array.isArray(node.type) && node.type.includes('null'));
  if (types.length !== 1) return undefined;
  const type = types[0]!;
  const name = node.title === undefined ? {} : { name: node.title };
  if (type === 'object' && node.properties) {
    const fields: ConnectField[] = [];
    for (const [field, property] of Object.entries(node.properties)) {
      const schema = toConnect(property, !(node.required ?? []).includes(field));
      if (schema === undefined) return undefined;
      fields.push({ name: field, schema });
    }
    return structSchema(fields, { ...name, optional: nullable });
  }
  if (type === 'array' && node.items) {
    const items = toConnect(node.items, false);
    return items && { type: 'array', optional: nullable, valueSchema: items };
  }
  const primitive = JSON_TYPES[type];
  return primitive === undefined ? undefined : { type: primitive, optional: nullable, ...name };
}

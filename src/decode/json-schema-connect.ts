/**
 * JSON Schema data -> the JSON Kafka Connect writes for it (Confluent's JsonSchemaData to Connect data, then
 * JsonConverter with `schemas.enable=false`): objects get exactly the schema's properties, in its order, absent
 * (or null) ones as the property's `default` if it has one (Connect's Struct.get answers the schema default), else
 * null; Connect decimals follow `decimal.format`; everything else (combinators, `$ref`) passes as written.
 */
import { BadDataError, errorMessage } from '../common/errors.js';
import { type DecimalFormat, decimalNumberToJson } from './connect-json.js';
import { parseJsonExact } from './exact-json.js';

type Mapper = (value: unknown) => unknown;

interface JsonSchemaNode {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  title?: string;
  default?: unknown;
  'connect.parameters'?: Record<string, string>;
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
  if (schema.properties) {
    const fields = Object.entries(schema.properties).map(([name, property]) => {
      const mapper = compile(property, format);
      const fallback = isObject(property) && property.default !== undefined && property.default !== null ? property.default : null;
      const rendered = fallback !== null && mapper ? mapper(fallback) : fallback;
      // An object default is copied per record: a pipeline step that changes one record must not change the next.
      return { name, mapper, fallback: typeof rendered === 'object' && rendered !== null ? () => structuredClone(rendered) : () => rendered };
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

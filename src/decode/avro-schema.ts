/**
 * An Avro writer schema -> the Connect schema Confluent's AvroData gives it, matching how avro-connect.ts renders the
 * values: records are structs, `[null, X]` is an optional X, other unions are `io.confluent.connect.avro.Union`
 * structs, enums are strings, MapEntry arrays are maps, decimals are Connect Decimals (bytes).
 */
import type avro from 'avsc';
import { type ConnectSchema, DECIMAL_SCHEMA_NAME, primitiveSchema, structSchema } from '../records/schema.js';
import { isMapEntry, unionFieldName } from './avro-connect.js';

const PRIMITIVES: Readonly<Record<string, ConnectSchema['type']>> = {
  int: 'int32',
  long: 'int64',
  float: 'float32',
  double: 'float64',
  boolean: 'boolean',
  string: 'string',
  enum: 'string',
  bytes: 'bytes',
  fixed: 'bytes',
};

export function avroConnectSchema(type: avro.Type, seen = new Map<avro.Type, ConnectSchema>()): ConnectSchema {
  const known = seen.get(type);
  if (known) return known;
  const primitive = PRIMITIVES[type.typeName];
  if (primitive) return primitiveSchema(primitive);
  if (type.typeName === 'logical:decimal') {
    const scale = String((type as unknown as { scale?: number }).scale ?? 0);
    return { type: 'bytes', optional: false, name: DECIMAL_SCHEMA_NAME, version: 1, parameters: { scale } };
  }
  if (type.typeName.startsWith('logical:')) return avroConnectSchema((type as unknown as { underlyingType: avro.Type }).underlyingType, seen);
  switch (type.typeName) {
    case 'null':
      return primitiveSchema('string', true);
    case 'array': {
      const items = (type as avro.types.ArrayType).itemsType;
      if (isMapEntry(items)) {
        return { type: 'map', optional: false, keySchema: avroConnectSchema(items.field('key')!.type, seen), valueSchema: avroConnectSchema(items.field('value')!.type, seen) };
      }
      return { type: 'array', optional: false, valueSchema: avroConnectSchema(items, seen) };
    }
    case 'map':
      return { type: 'map', optional: false, keySchema: primitiveSchema('string'), valueSchema: avroConnectSchema((type as avro.types.MapType).valuesType, seen) };
    case 'record':
    case 'error': {
      const record = type as avro.types.RecordType;
      // A recursive record refers to itself: the inner mention is a struct without fields (never expanded further).
      seen.set(type, structSchema([], { name: record.name, optional: true }));
      const schema = structSchema(record.fields.map((f) => ({ name: f.name, schema: avroConnectSchema(f.type, seen) })), { name: record.name });
      seen.set(type, schema);
      return schema;
    }
    case 'union:wrapped': {
      const branches = (type as avro.types.WrappedUnionType).types;
      const nonNull = branches.filter((b) => b.typeName !== 'null');
      if (branches.length === 2 && nonNull.length === 1) return { ...avroConnectSchema(nonNull[0]!, seen), optional: true };
      const fields = nonNull.map((b) => ({ name: unionFieldName(b), schema: { ...avroConnectSchema(b, seen), optional: true } }));
      return structSchema(fields, { name: 'io.confluent.connect.avro.Union', optional: branches.length !== nonNull.length });
    }
    default:
      return primitiveSchema('string', true);
  }
}

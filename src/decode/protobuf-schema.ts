/**
 * A Protobuf message type -> the Connect schema Confluent's ProtobufData gives it, matching how protobuf-connect.ts
 * renders the values: real oneofs first as optional `<name>_<index>` structs, then the fields in declaration order;
 * message fields and proto3 `optional` fields are optional; enums are strings; well-known Timestamp, Date,
 * TimeOfDay and Decimal are Connect's logical types.
 */
import protobuf from 'protobufjs';
import { type ConnectField, type ConnectSchema, DATE_SCHEMA_NAME, DECIMAL_SCHEMA_NAME, primitiveSchema, structSchema, TIME_SCHEMA_NAME, TIMESTAMP_SCHEMA_NAME } from '../records/schema.js';

const SCALARS: Readonly<Record<string, ConnectSchema['type']>> = {
  double: 'float64',
  float: 'float32',
  int32: 'int32',
  sint32: 'int32',
  sfixed32: 'int32',
  uint32: 'int64',
  fixed32: 'int64',
  int64: 'int64',
  sint64: 'int64',
  sfixed64: 'int64',
  uint64: 'int64',
  fixed64: 'int64',
  bool: 'boolean',
  string: 'string',
  bytes: 'bytes',
};

const KNOWN: Readonly<Record<string, ConnectSchema>> = {
  'google.protobuf.Timestamp': { type: 'int64', optional: false, name: TIMESTAMP_SCHEMA_NAME, version: 1 },
  'google.type.Date': { type: 'int32', optional: false, name: DATE_SCHEMA_NAME, version: 1 },
  'google.type.TimeOfDay': { type: 'int32', optional: false, name: TIME_SCHEMA_NAME, version: 1 },
  'confluent.type.Decimal': { type: 'bytes', optional: false, name: DECIMAL_SCHEMA_NAME, version: 1 },
};

export function protobufConnectSchema(type: protobuf.Type, seen = new Map<protobuf.Type, ConnectSchema>()): ConnectSchema {
  const known = KNOWN[type.fullName.slice(1)];
  if (known) return known;
  const existing = seen.get(type);
  if (existing) return existing;
  seen.set(type, structSchema([], { name: type.fullName.slice(1), optional: true })); // a recursive mention: not expanded
  const realOneofs = type.oneofsArray.filter((o) => !(o.fieldsArray.length === 1 && o.fieldsArray[0]!.options?.proto3_optional));
  const inOneof = new Set(realOneofs.flatMap((o) => o.fieldsArray));
  const fields: ConnectField[] = realOneofs.map((oneof) => ({
    name: `${oneof.name}_${type.oneofsArray.indexOf(oneof)}`,
    schema: structSchema(
      oneof.fieldsArray.map((f) => ({ name: f.name, schema: { ...fieldSchema(f, seen), optional: true } })),
      { name: 'io.confluent.connect.protobuf.Union', optional: true },
    ),
  }));
  for (const f of type.fieldsArray) {
    if (inOneof.has(f)) continue;
    const schema = fieldSchema(f, seen);
    const optional = (f.resolvedType instanceof protobuf.Type && !f.repeated && !(f instanceof protobuf.MapField)) || f.options?.proto3_optional === true;
    fields.push({ name: f.name, schema: optional ? { ...schema, optional: true } : schema });
  }
  const schema = structSchema(fields, { name: type.fullName.slice(1) });
  seen.set(type, schema);
  return schema;
}

function fieldSchema(field: protobuf.Field, seen: Map<protobuf.Type, ConnectSchema>): ConnectSchema {
  const single = singleSchema(field.type, field.resolvedType, seen);
  if (field instanceof protobuf.MapField) return { type: 'map', optional: false, keySchema: singleSchema(field.keyType, null, seen), valueSchema: single };
  if (field.repeated) return { type: 'array', optional: false, valueSchema: single };
  return single;
}

function singleSchema(typeName: string, resolved: protobuf.Enum | protobuf.Type | null, seen: Map<protobuf.Type, ConnectSchema>): ConnectSchema {
  if (resolved instanceof protobuf.Enum) return primitiveSchema('string');
  if (resolved instanceof protobuf.Type) return protobufConnectSchema(resolved, seen);
  return primitiveSchema(SCALARS[typeName] ?? 'string');
}

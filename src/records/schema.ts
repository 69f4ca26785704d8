/**
 * A Kafka Connect schema, as far as transforms need one: what a converter knew about a key or value (JsonConverter's
 * envelope with `schemas.enable=true`, a registry schema), carried on the record next to the value it describes. A
 * transform that changes the value changes this too. Values stay in the JSON form Connect's JsonConverter writes
 * (a Timestamp is epoch milliseconds, a Date days since the epoch, a Time milliseconds since midnight).
 */

export type ConnectType = 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'boolean' | 'string' | 'bytes' | 'array' | 'map' | 'struct';

export interface ConnectField {
  readonly name: string;
  readonly schema: ConnectSchema;
}

export interface ConnectSchema {
  readonly type: ConnectType;
  readonly optional: boolean;
  /** Logical or record name, e.g. `org.apache.kafka.connect.data.Timestamp` or `com.acme.Order`. */
  readonly name?: string;
  readonly version?: number;
  readonly doc?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly defaultValue?: unknown;
  /** struct only, in order. */
  readonly fields?: readonly ConnectField[];
  /** array: the items' schema; map: the values' schema. */
  readonly valueSchema?: ConnectSchema;
  /** map only. */
  readonly keySchema?: ConnectSchema;
}

export const TIMESTAMP_SCHEMA_NAME = 'org.apache.kafka.connect.data.Timestamp';
export const DATE_SCHEMA_NAME = 'org.apache.kafka.connect.data.Date';
export const TIME_SCHEMA_NAME = 'org.apache.kafka.connect.data.Time';
export const DECIMAL_SCHEMA_NAME = 'org.apache.kafka.connect.data.Decimal';

/** A schema of a primitive type. */
export function primitiveSchema(type: ConnectType, optional = false, name?: string): ConnectSchema {
  return name === undefined ? { type, optional } : { type, optional, name };
}

/** A struct schema with these fields. */
export function structSchema(fields: readonly ConnectField[], rest: Partial<Omit<ConnectSchema, 'type' | 'fields'>> = {}): ConnectSchema {
  return { optional: false, ...rest, type: 'struct', fields };
}

/** The schema's field called `name`, if any. */
export function fieldOf(schema: ConnectSchema, name: string): ConnectField | undefined {
  return schema.fields?.find((f) => f.name === name);
}

/** TimestampConverter ($Key / $Value): converts a timestamp between string, unix, Date, Time and Timestamp forms. */
import type { OperatorFunction } from 'rxjs';
import { oneOf, str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import type { SinkRecord } from '../records/record.js';
import { type ConnectSchema, DATE_SCHEMA_NAME, fieldOf, TIME_SCHEMA_NAME, TIMESTAMP_SCHEMA_NAME } from '../records/schema.js';
import { javaDateFormat, type JavaDateFormat } from './java-date-format.js';
import { asNumber, type PartOptions, partSchema, partValue, type RecordTransform, recordFailure, requireObject, type TransformDefinition, type TransformRunOptions, withPart, REPLACE_NULL_WITH_DEFAULT } from './record-transform.js';
import { transformRecords } from './transformRecords.js';
import { copiedHashMap } from '../common/java-hash-map.js';

export const TIMESTAMP_TARGETS = ['string', 'unix', 'Date', 'Time', 'Timestamp'] as const;
export const UNIX_PRECISIONS = ['seconds', 'milliseconds', 'microseconds', 'nanoseconds'] as const;

export interface TimestampConverterOptions extends PartOptions {
  /** The field holding the timestamp; empty or absent: the whole key or value. */
  readonly field?: string;
  readonly targetType: (typeof TIMESTAMP_TARGETS)[number];
  /** SimpleDateFormat pattern, for reading strings and for the `string` target. */
  readonly format?: string;
  readonly unixPrecision?: (typeof UNIX_PRECISIONS)[number];
}

const DAY_MS = 86_400_000;
const PER_MS: Record<(typeof UNIX_PRECISIONS)[number], number> = { seconds: 1 / 1000, milliseconds: 1, microseconds: 1000, nanoseconds: 1_000_000 };

/**
 * Reads the timestamp (a string in `format`, a unix number in `unixPrecision`, or a Connect Date/Time/Timestamp) and
 * writes it as `targetType`, in UTC. Values keep the JSON form JsonConverter writes: Timestamp as epoch ms, Date as
 * days since the epoch, Time as ms since midnight. A string that does not match `format` is a record error; null passes.
 *
 * @example
 * decoded$.pipe(timestampConverter({ field: 'ts', targetType: 'string', format: "yyyy-MM-dd'T'HH:mm:ss'Z'" }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.TimestampConverter
 */
export function timestampConverter(options: TimestampConverterOptions & TransformRunOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(timestampConverterTransform(options, options.name ?? 'TimestampConverter'), options);
}

export function timestampConverterTransform(options: TimestampConverterOptions, name: string): RecordTransform {
  const part = options.part ?? 'value';
  const field = options.field ?? '';
  const pattern = options.format === undefined || options.format === '' ? undefined : javaDateFormat(options.format);
  const perMs = PER_MS[options.unixPrecision ?? 'milliseconds'];
  const convert = (value: unknown, schema: ConnectSchema | undefined, fail: (why: string) => never): unknown => {
    if (value === null || value === undefined) return null;
    const ms = toEpochMs(value, schema, pattern, perMs, fail);
    return fromEpochMs(ms, options.targetType, pattern, perMs, fail);
  };
  const target = targetSchema(options.targetType);
  return (record) => {
    const value = partValue(record, part);
    const schema = partSchema(record, part);
    const fail = (why: string): never => recordFailure(record, name, why);
    if (field === '') {
      if (value === null) return record;
      return withPart(record, part, convert(value, schema, fail), schema && { ...target, optional: schema.optional });
    }
    if (value === null) return record;
    const object = requireObject(record, name, value, schema, 'converting timestamp fields');
    const fieldSchema = schema && fieldOf(schema, field)?.schema;
    if (schema !== undefined && fieldSchema === undefined) fail(`unknown field ${field}`);
    const converted = convert(object[field], fieldSchema, (why) => fail(`field ${field}: ${why}`));
    // Without a schema Connect copies the map into a HashMap: its order (src/common/java-hash-map.ts).
    const out = schema === undefined ? copiedHashMap(object, [[field, converted]]) : { ...object, [field]: converted };
    const outSchema = schema && { ...schema, fields: schema.fields!.map((f) => (f.name === field ? { name: f.name, schema: { ...target, optional: f.schema.optional } } : f)) };
    return withPart(record, part, out, outSchema);
  };
}

function toEpochMs(value: unknown, schema: ConnectSchema | undefined, pattern: JavaDateFormat | undefined, perMs: number, fail: (why: string) => never): number {
  if (typeof value === 'string') {
    if (pattern === undefined) return fail('a string timestamp needs the format option');
    return pattern.parse(value) ?? fail(`${JSON.stringify(value)} does not match the format`);
  }
  const number = asNumber(value);
  if (number === undefined) return fail(`expected a string or a number, found ${value === null ? 'null' : typeof value}`);
  const n = Number(number);
  if (schema?.name === DATE_SCHEMA_NAME) return n * DAY_MS;
  if (schema?.name === TIME_SCHEMA_NAME || schema?.name === TIMESTAMP_SCHEMA_NAME) return n;
  return Math.trunc(n / perMs);
}

function fromEpochMs(ms: number, target: TimestampConverterOptions['targetType'], pattern: JavaDateFormat | undefined, perMs: number, fail: (why: string) => never): unknown {
  switch (target) {
    case 'string':
      return pattern ? pattern.format(ms) : fail('the string target needs the format option');
    case 'unix':
      return Math.trunc(ms * perMs);
    case 'Date':
      return Math.floor(ms / DAY_MS);
    case 'Time':
      return ((ms % DAY_MS) + DAY_MS) % DAY_MS;
    case 'Timestamp':
      return ms;
  }
}

function targetSchema(target: TimestampConverterOptions['targetType']): ConnectSchema {
  switch (target) {
    case 'string':
      return { type: 'string', optional: false };
    case 'unix':
      return { type: 'int64', optional: false };
    case 'Date':
      return { type: 'int32', optional: false, name: DATE_SCHEMA_NAME, version: 1 };
    case 'Time':
      return { type: 'int32', optional: false, name: TIME_SCHEMA_NAME, version: 1 };
    case 'Timestamp':
      return { type: 'int64', optional: false, name: TIMESTAMP_SCHEMA_NAME, version: 1 };
  }
}

export const timestampConverterDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.TimestampConverter',
  variants: true,
  doc: 'Converts a timestamp field (or the whole key or value) between a formatted string, a unix number and Connect\'s Date, Time and Timestamp (UTC).',
  options: {
    field: { doc: 'The field holding the timestamp; empty: the whole key or value.', format: str(), default: '' },
    'target.type': { doc: `What to convert to: ${TIMESTAMP_TARGETS.join(', ')} (required).`, format: str(), default: '' },
    format: { doc: 'A SimpleDateFormat pattern (UTC), needed to read strings and for target.type=string.', format: str(), default: '' },
    'unix.precision': { doc: 'Unit of unix numbers read or written.', format: oneOf(UNIX_PRECISIONS), default: 'milliseconds' },
    ...REPLACE_NULL_WITH_DEFAULT,
  } satisfies ConfigSpec,
  create: (read, part, name) => {
    const targetType = read.string('target.type');
    if (!(TIMESTAMP_TARGETS as readonly string[]).includes(targetType)) throw new ConfigError('target.type', `must be one of ${TIMESTAMP_TARGETS.join(', ')}`);
    const format = read.string('format');
    if (targetType === 'string' && format === '') throw new ConfigError('format', 'is required with target.type=string: a SimpleDateFormat pattern');
    try {
      if (format !== '') javaDateFormat(format);
    } catch (error) {
      throw new ConfigError('format', (error as Error).message);
    }
    return timestampConverterTransform({ part, field: read.string('field'), targetType: targetType as TimestampConverterOptions['targetType'], format, unixPrecision: read.string('unix.precision') as TimestampConverterOptions['unixPrecision'] }, name);
  },
};

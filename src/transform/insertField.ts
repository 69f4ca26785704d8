/** InsertField ($Key / $Value): adds the record's topic, partition, offset, timestamp and/or a static value as fields. */
import { str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import type { OperatorFunction } from 'rxjs';
import type { SinkRecord } from '../records/record.js';
import { type ConnectField, type ConnectSchema, fieldOf, primitiveSchema, TIMESTAMP_SCHEMA_NAME } from '../records/schema.js';
import { type PartOptions, partSchema, partValue, type RecordTransform, recordFailure, requireObject, type TransformDefinition, type TransformRunOptions, withPart, REPLACE_NULL_WITH_DEFAULT } from './record-transform.js';
import { transformRecords } from './transformRecords.js';
import { copiedHashMap } from '../common/java-hash-map.js';

export interface InsertFieldOptions extends PartOptions {
  /** Field for the topic name; a trailing `!` makes the field required in the schema, `?` (or nothing) optional. */
  readonly topicField?: string;
  readonly partitionField?: string;
  readonly offsetField?: string;
  /** Field for the record timestamp (epoch ms; a Connect Timestamp in a schema). */
  readonly timestampField?: string;
  readonly staticField?: string;
  readonly staticValue?: string;
}

const CLASS = 'org.apache.kafka.connect.transforms.InsertField';

/**
 * Adds fields from the record's metadata to its value (or key). A null value (tombstone) passes unchanged. With a
 * schema the struct's schema grows by the new fields; without, the map gets them.
 *
 * @example
 * decoded$.pipe(insertField({ topicField: 'source_topic', offsetField: 'source_offset' }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.InsertField
 */
export function insertField(options: InsertFieldOptions & TransformRunOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(insertFieldTransform(options, options.name ?? 'InsertField'), options);
}

interface Insertion {
  readonly name: string;
  readonly schema: ConnectSchema;
  readonly value: (record: SinkRecord) => unknown;
}

function insertion(spec: string | undefined, type: ConnectSchema['type'], value: (record: SinkRecord) => unknown, logical?: string): Insertion[] {
  if (spec === undefined || spec.trim() === '') return [];
  const trimmed = spec.trim();
  const required = trimmed.endsWith('!');
  const name = trimmed.endsWith('!') || trimmed.endsWith('?') ? trimmed.slice(0, -1) : trimmed;
  return [{ name, schema: primitiveSchema(type, !required, logical), value }];
}

export function insertFieldTransform(options: InsertFieldOptions, name: string): RecordTransform {
  const part = options.part ?? 'value';
  const insertions = [
    ...insertion(options.topicField, 'string', (r) => r.topic),
    ...insertion(options.partitionField, 'int32', (r) => r.partition),
    ...insertion(options.offsetField, 'int64', (r) => r.offset),
    ...insertion(options.timestampField, 'int64', (r) => r.timestamp ?? null, TIMESTAMP_SCHEMA_NAME),
    ...insertion(options.staticField, 'string', () => options.staticValue ?? null),
  ];
  const schemas = new WeakMap<ConnectSchema, ConnectSchema>();
  return (record) => {
    const value = partValue(record, part);
    if (value === null) return record;
    const schema = partSchema(record, part);
    const object = requireObject(record, name, value, schema, 'field insertion');
    // Without a schema Connect copies the map into a HashMap and puts the fields: its order (src/common/java-hash-map.ts).
    // A record without a timestamp gets no timestamp field there.
    if (schema === undefined) {
      const puts = insertions.filter((i) => i.schema.name !== TIMESTAMP_SCHEMA_NAME || record.timestamp !== undefined).map((i) => [i.name, i.value(record)] as const);
      return withPart(record, part, copiedHashMap(object, puts), undefined);
    }
    const out: Record<string, unknown> = { ...object };
    for (const i of insertions) out[i.name] = i.value(record);
    let grown = schemas.get(schema);
    if (grown === undefined) {
      for (const i of insertions) if (fieldOf(schema, i.name)) recordFailure(record, name, `field ${i.name} is already in the schema`);
      const added: ConnectField[] = insertions.map((i) => ({ name: i.name, schema: i.schema }));
      grown = { ...schema, fields: [...(schema.fields ?? []), ...added] };
      schemas.set(schema, grown);
    }
    return withPart(record, part, out, grown);
  };
}

const FIELD_DOC = 'a trailing `!` makes it a required field of the schema, `?` (the default) an optional one';

export const insertFieldDefinition: TransformDefinition = {
  className: CLASS,
  variants: true,
  doc: 'Adds the topic, partition, offset, timestamp and/or a static value as fields of the key or value (a struct or map). Tombstones pass unchanged.',
  options: {
    'topic.field': { doc: `Field for the topic name; ${FIELD_DOC}.`, format: str(), default: null },
    'partition.field': { doc: 'Field for the partition (int32).', format: str(), default: null },
    'offset.field': { doc: 'Field for the offset (int64).', format: str(), default: null },
    'timestamp.field': { doc: 'Field for the record timestamp (epoch ms; a Connect Timestamp with a schema).', format: str(), default: null },
    'static.field': { doc: 'Field for `static.value`.', format: str(), default: null },
    'static.value': { doc: 'The value of `static.field`.', format: str(), default: null },
    ...REPLACE_NULL_WITH_DEFAULT,
  } satisfies ConfigSpec,
  create: (read, part, name) => {
    const options: InsertFieldOptions = {
      part,
      topicField: read.optionalString('topic.field'),
      partitionField: read.optionalString('partition.field'),
      offsetField: read.optionalString('offset.field'),
      timestampField: read.optionalString('timestamp.field'),
      staticField: read.optionalString('static.field'),
      staticValue: read.optionalString('static.value'),
    };
    if (options.staticField !== undefined && options.staticValue === undefined) throw new ConfigError('static.value', 'is required with static.field');
    if (Object.entries(options).every(([k, v]) => k === 'part' || v === undefined)) throw new ConfigError('topic.field', 'set at least one of topic.field, partition.field, offset.field, timestamp.field, static.field');
    return insertFieldTransform(options, name);
  },
};

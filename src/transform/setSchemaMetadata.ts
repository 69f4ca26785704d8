/** SetSchemaMetadata ($Key / $Value): sets the schema's name and/or version. */
import type { OperatorFunction } from 'rxjs';
import { int, str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import type { SinkRecord } from '../records/record.js';
import type { ConnectSchema } from '../records/schema.js';
import { type PartOptions, partSchema, partValue, type RecordTransform, recordFailure, type TransformDefinition, type TransformRunOptions, withPart, REPLACE_NULL_WITH_DEFAULT } from './record-transform.js';
import { transformRecords } from './transformRecords.js';

export interface SetSchemaMetadataOptions extends PartOptions {
  readonly schemaName?: string;
  readonly schemaVersion?: number;
}

/**
 * Gives the key's or value's schema a new name and/or version; the data stays the same. A record without a schema
 * (JsonConverter with schemas.enable=false, StringConverter) is a record error, as in Connect; a null passes.
 *
 * @example
 * decoded$.pipe(setSchemaMetadata({ schemaName: 'com.acme.Order', schemaVersion: 2 }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.SetSchemaMetadata
 */
export function setSchemaMetadata(options: SetSchemaMetadataOptions & TransformRunOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(setSchemaMetadataTransform(options, options.name ?? 'SetSchemaMetadata'), options);
}

export function setSchemaMetadataTransform(options: SetSchemaMetadataOptions, name: string): RecordTransform {
  const part = options.part ?? 'value';
  const schemas = new WeakMap<ConnectSchema, ConnectSchema>();
  return (record) => {
    const schema = partSchema(record, part);
    if (schema === undefined) {
      if (partValue(record, part) === null) return record;
      return recordFailure(record, name, `the ${part} has no schema (its converter gives none) to update the metadata of`);
    }
    let updated = schemas.get(schema);
    if (updated === undefined) {
      updated = { ...schema, ...(options.schemaName !== undefined && { name: options.schemaName }), ...(options.schemaVersion !== undefined && { version: options.schemaVersion }) };
      schemas.set(schema, updated);
    }
    return withPart(record, part, partValue(record, part), updated);
  };
}

export const setSchemaMetadataDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.SetSchemaMetadata',
  variants: true,
  doc: 'Sets the name and/or version of the key\'s or value\'s schema (records without a schema are a record error).',
  options: {
    'schema.name': { doc: 'The schema\'s new name.', format: str(), default: null },
    'schema.version': { doc: 'The schema\'s new version.', format: int(0, 2 ** 31 - 1), default: null },
    ...REPLACE_NULL_WITH_DEFAULT,
  } satisfies ConfigSpec,
  create: (read, part, name) => {
    const schemaName = read.optionalString('schema.name');
    const version = read.optionalString('schema.version');
    if (schemaName === undefined && version === undefined) throw new ConfigError('schema.name', 'set schema.name and/or schema.version');
    return setSchemaMetadataTransform({ part, schemaName, schemaVersion: version === undefined ? undefined : Number(version) }, name);
  },
};

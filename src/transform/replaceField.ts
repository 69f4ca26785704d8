/** ReplaceField ($Key / $Value): keeps (include), drops (exclude) and renames fields of a struct or map. */
import type { OperatorFunction } from 'rxjs';
import { str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import type { SinkRecord } from '../records/record.js';
import type { ConnectSchema } from '../records/schema.js';
import { type PartOptions, partSchema, partValue, type RecordTransform, requireObject, type TransformDefinition, type TransformRunOptions, withPart, REPLACE_NULL_WITH_DEFAULT } from './record-transform.js';
import { transformRecords } from './transformRecords.js';
import { sizedHashMap } from '../common/java-hash-map.js';

export interface ReplaceFieldOptions extends PartOptions {
  /** Fields to drop (Connect's `exclude`, formerly `blacklist`). */
  readonly exclude?: readonly string[];
  /** Fields to keep, all others dropped, when not empty (`include`, formerly `whitelist`). */
  readonly include?: readonly string[];
  /** Old name -> new name. */
  readonly renames?: Readonly<Record<string, string>>;
}

/**
 * Filters and renames the top-level fields of the value (or key). A field is kept when `include` is empty or names
 * it and `exclude` does not. Tombstones pass unchanged.
 *
 * @example
 * decoded$.pipe(replaceField({ exclude: ['password'], renames: { ts: 'timestamp' } }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.ReplaceField
 */
export function replaceField(options: ReplaceFieldOptions & TransformRunOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(replaceFieldTransform(options, options.name ?? 'ReplaceField'), options);
}

export function replaceFieldTransform(options: ReplaceFieldOptions, name: string): RecordTransform {
  const part = options.part ?? 'value';
  const exclude = new Set(options.exclude ?? []);
  const include = new Set(options.include ?? []);
  const renames = new Map(Object.entries(options.renames ?? {}));
  const keeps = (field: string): boolean => !exclude.has(field) && (include.size === 0 || include.has(field));
  const schemas = new WeakMap<ConnectSchema, ConnectSchema>();
  return (record) => {
    const value = partValue(record, part);
    if (value === null) return record;
    const schema = partSchema(record, part);
    const object = requireObject(record, name, value, schema, 'field replacement');
    const out: Record<string, unknown> = {};
    if (schema === undefined) {
      // Connect puts the kept fields into a `new HashMap<>(size)`: its order (src/common/java-hash-map.ts).
      const kept = Object.entries(object).filter(([field]) => keeps(field)).map(([field, v]) => [renames.get(field) ?? field, v] as const);
      return withPart(record, part, sizedHashMap(Object.keys(object).length, kept), undefined);
    }
    let replaced = schemas.get(schema);
    if (replaced === undefined) {
      const fields = (schema.fields ?? []).filter((f) => keeps(f.name)).map((f) => ({ name: renames.get(f.name) ?? f.name, schema: f.schema }));
      replaced = { ...schema, fields };
      schemas.set(schema, replaced);
    }
    for (const f of schema.fields ?? []) if (keeps(f.name)) out[renames.get(f.name) ?? f.name] = object[f.name] ?? null;
    return withPart(record, part, out, replaced);
  };
}

export const replaceFieldDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.ReplaceField',
  variants: true,
  doc: 'Keeps, drops and renames top-level fields of the key or value. Tombstones pass unchanged.',
  options: {
    exclude: { doc: 'Comma-separated fields to drop.', format: str(), default: '' },
    include: { doc: 'Comma-separated fields to keep (all others dropped); empty keeps all.', format: str(), default: '' },
    renames: { doc: 'Comma-separated `old:new` pairs.', format: str(), default: '' },
    blacklist: { doc: 'Deprecated name of `exclude`.', format: str(), default: '' },
    whitelist: { doc: 'Deprecated name of `include`.', format: str(), default: '' },
    ...REPLACE_NULL_WITH_DEFAULT,
  } satisfies ConfigSpec,
  create: (read, part, name) => {
    const renames: Record<string, string> = {};
    for (const pair of read.list('renames')) {
      const [from, to, extra] = pair.split(':').map((s) => s.trim());
      if (!from || !to || extra !== undefined) throw new ConfigError('renames', `must be comma-separated old:new pairs, not ${JSON.stringify(pair)}`);
      renames[from] = to;
    }
    return replaceFieldTransform({ part, exclude: [...read.list('exclude'), ...read.list('blacklist')], include: [...read.list('include'), ...read.list('whitelist')], renames }, name);
  },
};

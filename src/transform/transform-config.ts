/**
 * Kafka Connect's `transforms` / `transforms.<name>.*` and `predicates` / `predicates.<name>.*` keys: parsed and
 * checked into plain settings (class, options) before anything connects, then built into one operator.
 */
import type { Logger } from 'winston';
import type { OperatorFunction } from 'rxjs';
import { bool, str } from '../common/config/formats.js';
import { validatedWith } from '../common/config/convict-validate.js';
import type { ConfigSpec } from '../common/config/spec.js';
import { ConfigError, describeRecords, NullValueError } from '../common/errors.js';
import type { NullValueBehavior } from '../decode/converter-config.js';
import type { DeadLetters, FailureAction } from '../records/outcome.js';
import type { SinkRecord } from '../records/record.js';
import { castDefinition } from './cast.js';
import { dropHeadersDefinition } from './dropHeaders.js';
import { extractFieldDefinition } from './extractField.js';
import { filterDefinition } from './filter.js';
import { flattenDefinition } from './flatten.js';
import { headerFromDefinition } from './headerFrom.js';
import { hoistFieldDefinition } from './hoistField.js';
import { insertFieldDefinition } from './insertField.js';
import { insertHeaderDefinition } from './insertHeader.js';
import { maskFieldDefinition } from './maskField.js';
import { PREDICATE_DEFINITIONS } from './predicates.js';
import { gated, type OptionReader, type PredicateDefinition, type RecordPart, type RecordTransform, type TransformDefinition } from './record-transform.js';
import { regexRouterDefinition } from './regexRouter.js';
import { replaceFieldDefinition } from './replaceField.js';
import { setSchemaMetadataDefinition } from './setSchemaMetadata.js';
import { timestampConverterDefinition } from './timestampConverter.js';
import { timestampRouterDefinition } from './timestampRouter.js';
import { transformRecords } from './transformRecords.js';
import { valueToKeyDefinition } from './valueToKey.js';

export const TRANSFORM_DEFINITIONS: readonly TransformDefinition[] = [
  insertFieldDefinition, replaceFieldDefinition, maskFieldDefinition, extractFieldDefinition, hoistFieldDefinition, valueToKeyDefinition,
  castDefinition, timestampConverterDefinition, flattenDefinition, setSchemaMetadataDefinition, timestampRouterDefinition, regexRouterDefinition,
  filterDefinition, insertHeaderDefinition, dropHeadersDefinition, headerFromDefinition,
];

/** Keys every transform takes besides its own. */
const COMMON_TRANSFORM_OPTIONS = {
  type: { doc: 'The transform class.', format: str(), default: '' },
  predicate: { doc: 'Apply only to records this predicate (a name in `predicates`) holds for.', format: str(), default: null },
  negate: { doc: 'Apply to the records the predicate does NOT hold for.', format: bool(), default: false },
} satisfies ConfigSpec;

export interface TransformSetting {
  /** The name in `transforms`. */
  readonly name: string;
  /** As written, e.g. `org.apache.kafka.connect.transforms.InsertField$Value`. */
  readonly type: string;
  /** The transform's own options (the `transforms.<name>.` prefix taken off), as written. */
  readonly options: Readonly<Record<string, string>>;
  readonly predicate?: { readonly name: string; readonly type: string; readonly options: Readonly<Record<string, string>> };
  readonly negate: boolean;
}

export interface TransformSettings {
  /** In the order of `transforms`; empty when the connector has none. */
  readonly chain: readonly TransformSetting[];
}

/** Whether a connector key belongs to the transforms and predicates (and is checked by `parseTransforms`). */
export function isTransformKey(key: string): boolean {
  return key === 'transforms' || key === 'predicates' || key.startsWith('transforms.') || key.startsWith('predicates.');
}

/** The transforms and predicates of a connector config; a ConfigError naming the key for anything wrong. */
export function parseTransforms(raw: Readonly<Record<string, unknown>>): TransformSettings {
  const names = nameList(raw, 'transforms');
  const predicateNames = nameList(raw, 'predicates');
  for (const key of Object.keys(raw)) {
    if (!isTransformKey(key) || key === 'transforms' || key === 'predicates') continue;
    const [group, name] = key.split('.') as [string, string];
    const listed = group === 'transforms' ? names : predicateNames;
    if (!listed.includes(name)) throw new ConfigError(key, `${group} ${JSON.stringify(name ?? '')} is not listed in ${group}${listed.length ? ` (${listed.join(', ')})` : ''}`);
  }
  const predicates = new Map(predicateNames.map((name) => [name, predicateSetting(raw, name)]));
  const chain = names.map((name): TransformSetting => {
    const prefix = `transforms.${name}.`;
    const own = optionsOf(raw, prefix);
    const common = validated(COMMON_TRANSFORM_OPTIONS, prefix, pick(own, Object.keys(COMMON_TRANSFORM_OPTIONS)));
    const type = String(common.get('type'));
    const predicateName = common.get('predicate') === null ? undefined : String(common.get('predicate'));
    const predicate = predicateName === undefined ? undefined : predicates.get(predicateName);
    if (predicateName !== undefined && predicate === undefined) throw new ConfigError(`${prefix}predicate`, `predicate ${predicateName} is not defined in predicates${predicateNames.length ? ` (${predicateNames.join(', ')})` : ''}`);
    if (predicateName === undefined && own.negate !== undefined) throw new ConfigError(`${prefix}negate`, 'needs a predicate (transforms.<name>.predicate) to negate');
    const options = omit(own, Object.keys(COMMON_TRANSFORM_OPTIONS));
    const setting: TransformSetting = { name, type, options, negate: common.get('negate') as boolean, ...(predicate && { predicate }) };
    buildTransform(setting); // checks class and options now, before anything connects
    return setting;
  });
  for (const predicate of predicates.values()) buildPredicate(predicate.name, predicate.type, predicate.options);
  return { chain };
}

export interface ApplyTransformsOptions {
  readonly deadLetters?: DeadLetters;
  readonly onError?: FailureAction;
  /**
   * `behavior.on.null.values`, applied after the transforms when there are any (as the HTTP sink applies it to what
   * the transforms hand it): decode then passes nulls on, see `decodeNullPolicy`.
   */
  readonly onNull?: NullValueBehavior;
  readonly log?: Logger;
}

/**
 * The null policy `decode` should apply: the configured one without transforms; with transforms, nulls pass on
 * (`delete`) so that the transforms see tombstones (Filter + RecordIsTombstone) and `applyTransforms` applies the
 * policy to what is left.
 */
export function decodeNullPolicy(settings: TransformSettings, onNull: NullValueBehavior | undefined): NullValueBehavior | undefined {
  return settings.chain.length === 0 ? onNull : 'delete';
}

/**
 * The connector's chain as one operator: each record goes through the transforms in order (each gated by its
 * predicate); a record a transform drops is acknowledged, a record one fails on follows `onError`. Without
 * transforms, the polls pass untouched.
 */
export function applyTransforms(settings: TransformSettings, options: ApplyTransformsOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  const steps = settings.chain.map(buildTransform);
  if (steps.length === 0) return (polls$) => polls$ as never;
  const onNull = options.onNull ?? 'fail';
  const chain: RecordTransform = (record) => {
    let current: SinkRecord | null = record;
    for (const step of steps) {
      current = step(current);
      if (current === null) return null;
    }
    if (current.value !== null || onNull === 'delete') return current;
    if (onNull === 'fail') throw new NullValueError(record);
    if (onNull === 'log') options.log?.info('null values skipped', { records: describeRecords([record]) });
    return null;
  };
  return transformRecords(chain, { onError: options.onError, deadLetters: options.deadLetters });
}

function buildTransform(setting: TransformSetting): RecordTransform {
  const prefix = `transforms.${setting.name}.`;
  const { definition, part } = findTransform(setting.type, `${prefix}type`);
  const transform = created(prefix, () => definition.create(reader(definition.options, prefix, setting.options), part, setting.name));
  const predicate = setting.predicate && buildPredicate(setting.predicate.name, setting.predicate.type, setting.predicate.options);
  return gated(transform, { predicate, negate: setting.negate });
}

function buildPredicate(name: string, type: string, options: Readonly<Record<string, string>>): ReturnType<PredicateDefinition['create']> {
  const prefix = `predicates.${name}.`;
  const definition = PREDICATE_DEFINITIONS.find((d) => d.className === type);
  if (definition === undefined) throw new ConfigError(`${prefix}type`, `${type === '' ? 'is required' : `unknown predicate ${JSON.stringify(type)}`}: one of ${PREDICATE_DEFINITIONS.map((d) => d.className).join(', ')}`);
  return created(prefix, () => definition.create(reader(definition.options, prefix, options)));
}

function findTransform(type: string, key: string): { definition: TransformDefinition; part: RecordPart } {
  const [className, variant] = type.split('$') as [string, string | undefined];
  const definition = TRANSFORM_DEFINITIONS.find((d) => d.className === className);
  const allowed = `one of ${TRANSFORM_DEFINITIONS.map((d) => (d.variants ? `${d.className}$Key, ${d.className}$Value` : d.className)).join(', ')}`;
  if (type === '') throw new ConfigError(key, `is required: ${allowed}`);
  if (definition === undefined) throw new ConfigError(key, `unknown transform ${JSON.stringify(type)}: ${allowed}`);
  if (definition.variants && variant !== 'Key' && variant !== 'Value') throw new ConfigError(key, `use ${className}$Key or ${className}$Value`);
  if (!definition.variants && variant !== undefined) throw new ConfigError(key, `${className} has no $Key/$Value variants; write ${className}`);
  return { definition, part: variant === 'Key' ? 'key' : 'value' };
}

function predicateSetting(raw: Readonly<Record<string, unknown>>, name: string): NonNullable<TransformSetting['predicate']> {
  const prefix = `predicates.${name}.`;
  const own = optionsOf(raw, prefix);
  const type = own.type ?? '';
  return { name, type, options: omit(own, ['type']) };
}

/** Reads a definition's options: unknown ones and bad formats are ConfigErrors naming `<prefix><option>`. */
function reader(spec: ConfigSpec, prefix: string, options: Readonly<Record<string, string>>): OptionReader {
  const { get } = validated(spec, prefix, options);
  const wrap = <T>(read: () => T, option: string): T => {
    try {
      return read();
    } catch (error) {
      throw error instanceof ConfigError ? error : new ConfigError(prefix + option, (error as Error).message);
    }
  };
  return {
    string: (o) => wrap(() => String(get(o)), o),
    optionalString: (o) => wrap(() => (get(o) === null ? undefined : String(get(o))), o),
    boolean: (o) => wrap(() => get(o) as boolean, o),
    list: (o) => wrap(() => String(get(o) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''), o),
  };
}

/** Runs a definition's `create`: a ConfigError it throws for one of its options gets the option's full key. */
function created<T>(prefix: string, create: () => T): T {
  try {
    return create();
  } catch (error) {
    if (!(error instanceof ConfigError) || error.key === undefined || error.key.startsWith(prefix)) throw error;
    throw new ConfigError(prefix + error.key, error.message.slice(error.key.length + 2));
  }
}

/** Validates `options` against `spec` under the keys' full names; the create step's ConfigErrors get the prefix too. */
function validated(spec: ConfigSpec, prefix: string, options: Readonly<Record<string, string>>): { get: (option: string) => unknown } {
  for (const option of Object.keys(options)) {
    if (!(option in spec)) {
      const known = Object.keys(spec);
      throw new ConfigError(prefix + option, `unknown option${known.length ? `; allowed: ${known.join(', ')}` : ' (this class takes none besides type, predicate, negate)'}`);
    }
  }
  const prefixed = Object.fromEntries(Object.entries(spec).map(([k, s]) => [prefix + k, s]));
  const get = validatedWith(prefixed, Object.fromEntries(Object.entries(options).map(([k, v]) => [prefix + k, v])));
  return { get: (option) => get(prefix + option) };
}

function nameList(raw: Readonly<Record<string, unknown>>, key: 'transforms' | 'predicates'): string[] {
  const value = raw[key];
  if (value === undefined || value === null) return [];
  const names = String(value).split(',').map((s) => s.trim()).filter((s) => s !== '');
  const seen = new Set<string>();
  for (const name of names) {
    if (name.includes('.')) throw new ConfigError(key, `name ${JSON.stringify(name)} must not contain a dot`);
    if (seen.has(name)) throw new ConfigError(key, `lists ${name} twice`);
    seen.add(name);
  }
  return names;
}

function optionsOf(raw: Readonly<Record<string, unknown>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = String(value);
  return out;
}

function pick(options: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(options).filter(([k]) => keys.includes(k)));
}

function omit(options: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(options).filter(([k]) => !keys.includes(k)));
}

/**
 * The config with the transform or predicate that `key` belongs to made harmless, so `validate` can go on looking for
 * further problems without reporting knock-on ones: a transform leaves the chain, a predicate becomes one that takes
 * no options, a bad `transforms`/`predicates` list takes every key of its kind along.
 */
export function withoutTransformProblem(raw: Readonly<Record<string, unknown>>, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  const [group, name] = key.split('.') as ['transforms' | 'predicates', string | undefined];
  if (name === undefined) {
    for (const k of Object.keys(out)) if (k === group || k.startsWith(`${group}.`)) delete out[k];
    return out;
  }
  for (const k of Object.keys(out)) if (k.startsWith(`${group}.${name}.`)) delete out[k];
  if (group === 'transforms') out.transforms = String(out.transforms ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== name).join(',');
  else out[`predicates.${name}.type`] = PREDICATE_DEFINITIONS.find((d) => Object.keys(d.options).length === 0)!.className;
  return out;
}

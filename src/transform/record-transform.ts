/**
 * What every Single Message Transform is made of: a function from one record to the record it becomes (or null to
 * drop it), the predicate that gates it, and the declaration (Connect class name, options spec, builder) the
 * connector file's `transforms.*` keys are read with. Helpers for reading and replacing a record's key or value.
 */
import { TransformError } from '../common/errors.js';
import { JsonNumber } from '../common/json-text.js';
import type { ConfigSpec } from '../common/config/spec.js';
import { bool } from '../common/config/formats.js';
import type { SinkRecord } from '../records/record.js';
import type { ConnectSchema } from '../records/schema.js';
import type { FailurePolicy } from '../records/settleFailures.js';

/**
 * `replace.null.with.default` (Kafka Connect 3.9's transforms): accepted so files written for 3.9 run. Struct values
 * here already carry their schema's defaults (the converters put them in, as JsonConverter does by default).
 */
export const REPLACE_NULL_WITH_DEFAULT = {
  'replace.null.with.default': { doc: 'Accepted as in Kafka Connect 3.9 (struct values here already carry their fields\' defaults).', format: bool(), default: true },
} satisfies ConfigSpec;

/** Which half of the record a `$Key` / `$Value` transform works on. */
export type RecordPart = 'key' | 'value';

/** One record -> the record it becomes, or null to drop it (it is acknowledged). Throws TransformError for a bad record. */
export type RecordTransform = (record: SinkRecord) => SinkRecord | null;

/** Kafka Connect's predicates: whether a transform applies to a record. */
export type RecordPredicate = (record: SinkRecord) => boolean;

/** What every transform operator takes besides its own options. */
export interface TransformRunOptions extends FailurePolicy {
  /** Names the transform in errors (`transforms.<name>` in a connector file); the class's short name by default. */
  readonly name?: string;
  /** Apply the transform only to records this predicate holds for (others pass unchanged). */
  readonly predicate?: RecordPredicate;
  /** Apply it to the records the predicate does NOT hold for. */
  readonly negate?: boolean;
}

/** For transforms with `$Key` and `$Value` variants. */
export interface PartOptions {
  /** `value` (default) or `key`. */
  readonly part?: RecordPart;
}

/** The typed read access `transform-config` gives a definition's `create` (keys of its own `options` only). */
export interface OptionReader {
  string(option: string): string;
  optionalString(option: string): string | undefined;
  boolean(option: string): boolean;
  /** A comma-separated list, trimmed, empty entries left out. */
  list(option: string): string[];
}

/** A transform as a connector file names it. `create` may throw ConfigError(option, what is allowed). */
export interface TransformDefinition {
  /** Kafka Connect's class name, without the `$Key`/`$Value` suffix. */
  readonly className: string;
  /** Whether Connect has `$Key` and `$Value` variants (the class name must then carry one). */
  readonly variants: boolean;
  readonly doc: string;
  readonly options: ConfigSpec;
  readonly create: (read: OptionReader, part: RecordPart, name: string) => RecordTransform;
}

export interface PredicateDefinition {
  readonly className: string;
  readonly doc: string;
  readonly options: ConfigSpec;
  readonly create: (read: OptionReader) => RecordPredicate;
}

export function partValue(record: SinkRecord, part: RecordPart): unknown {
  return part === 'key' ? record.key : record.value;
}

export function partSchema(record: SinkRecord, part: RecordPart): ConnectSchema | undefined {
  return part === 'key' ? record.keySchema : record.valueSchema;
}

/**
 * The record with its key or value (and that part's schema: none when undefined) replaced. The schema properties stay
 * (undefined when none) so the copy keeps the record's shape: deleting them made every later read of it slow.
 */
export function withPart(record: SinkRecord, part: RecordPart, value: unknown, schema: ConnectSchema | undefined): SinkRecord {
  return part === 'key' ? { ...record, key: value, keySchema: schema } : { ...record, value, valueSchema: schema };
}

/** A map or struct value: a plain object (not an array, bytes, or a JsonNumber holding a number's exact text). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A number as decoded: a plain number, a BigInt (beyond 2^53), or a JsonNumber (a decimal or Java double's text). */
export function asNumber(value: unknown): number | bigint | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  return value instanceof JsonNumber ? Number(value.text) : undefined;
}

/** Stops this record: a TransformError naming the transform and the record. */
export function recordFailure(record: SinkRecord, name: string, reason: string): never {
  throw new TransformError(record, name, reason);
}

/** The struct (with a schema) or map (without) a field transform works on; anything else is the record's fault. */
export function requireObject(record: SinkRecord, name: string, value: unknown, schema: ConnectSchema | undefined, purpose: string): Record<string, unknown> {
  if (schema !== undefined) {
    if (schema.type !== 'struct' || !isPlainObject(value)) recordFailure(record, name, `only a struct is supported for ${purpose}, found ${describe(value, schema)}`);
    return value;
  }
  if (!isPlainObject(value)) recordFailure(record, name, `only a map (JSON object) is supported for ${purpose} without a schema, found ${describe(value, schema)}`);
  return value;
}

function describe(value: unknown, schema: ConnectSchema | undefined): string {
  if (schema !== undefined) return `a ${schema.type} schema`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Buffer.isBuffer(value)) return 'bytes';
  if (value instanceof JsonNumber) return 'a number';
  return `a ${typeof value}`;
}

/** The transform gated by `predicate` / `negate`: records it does not apply to pass unchanged. */
export function gated(transform: RecordTransform, options: Pick<TransformRunOptions, 'predicate' | 'negate'>): RecordTransform {
  const { predicate, negate = false } = options;
  if (predicate === undefined) return transform; // negate means nothing without a predicate
  return (record) => (predicate(record) !== negate ? transform(record) : record);
}

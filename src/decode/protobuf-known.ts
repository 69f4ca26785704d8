/**
 * The .proto files a Protobuf schema may import without a schema reference: Confluent's serializers register schemas
 * that import Google's well-known types (and Confluent's decimal) without references, as its converter knows them.
 * protobufjs bundles seven of them (`protobuf.common`) and ships descriptor.proto; three more are written here.
 */
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';

const BUNDLED = ['any', 'duration', 'empty', 'field_mask', 'struct', 'timestamp', 'wrappers'].map((name) => `google/protobuf/${name}.proto`);

/** Files written here: the type each defines, and its text. */
const WRITTEN: Record<string, { type: string; text: string }> = {
  'google/type/date.proto': { type: 'google.type.Date', text: 'syntax = "proto3"; package google.type; message Date { int32 year = 1; int32 month = 2; int32 day = 3; }' },
  'google/type/timeofday.proto': {
    type: 'google.type.TimeOfDay',
    text: 'syntax = "proto3"; package google.type; message TimeOfDay { int32 hours = 1; int32 minutes = 2; int32 seconds = 3; int32 nanos = 4; }',
  },
  'confluent/type/decimal.proto': {
    type: 'confluent.type.Decimal',
    text: 'syntax = "proto3"; package confluent.type; message Decimal { bytes value = 1; uint32 precision = 2; int32 scale = 3; }',
  },
};

const DESCRIPTOR = 'google/protobuf/descriptor.proto';

/** Every import resolved without a reference, in the order the README lists them. */
export const BUILT_IN_IMPORTS: readonly string[] = [...BUNDLED, DESCRIPTOR, ...Object.keys(WRITTEN)];

let descriptorJson: protobuf.INamespace | undefined;

/** protobufjs's definition of a file, field names as the .proto writes them (its copies camelCase some: `nullValue`). */
function definition(file: string): protobuf.INamespace {
  if (file === DESCRIPTOR) {
    descriptorJson ??= createRequire(import.meta.url)('protobufjs/google/protobuf/descriptor.json') as protobuf.INamespace;
    return protoFieldNames(descriptorJson);
  }
  return protoFieldNames(protobuf.common.get(file)!);
}

/**
 * Adds to `root` each built-in file that an import names and no reference defined (checked by its first type, so a
 * reference registered under another name wins). Returns the imports that are neither, for the error if a type
 * stays unresolved.
 */
export function addBuiltInImports(root: protobuf.Root, imports: Iterable<string>, referenced: ReadonlySet<string>): string[] {
  const unknown: string[] = [];
  for (const file of new Set(imports)) {
    if (referenced.has(file)) continue;
    const written = Object.hasOwn(WRITTEN, file) ? WRITTEN[file] : undefined;
    if (written) {
      if (!root.lookup(written.type)) protobuf.parse(written.text, root, { keepCase: true });
    } else if (BUNDLED.includes(file) || file === DESCRIPTOR) {
      const json = definition(file);
      if (!root.lookup(firstTypeName(json))) root.addJSON(json.nested!);
    } else {
      unknown.push(file);
    }
  }
  return unknown;
}

function firstTypeName(json: protobuf.INamespace, prefix = ''): string {
  const [name, nested] = Object.entries(json.nested ?? {})[0]!;
  const full = prefix ? `${prefix}.${name}` : name;
  return 'fields' in nested || 'values' in nested ? full : firstTypeName(nested as protobuf.INamespace, full);
}

/** A copy with every field (and oneof member) named in snake_case: `nullValue` -> `null_value`. */
function protoFieldNames<T>(json: T): T {
  if (typeof json !== 'object' || json === null) return json;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    if (key === 'fields') out[key] = Object.fromEntries(Object.entries(value as object).map(([name, field]) => [snake(name), field]));
    else if (key === 'oneofs') out[key] = Object.fromEntries(Object.entries(value as Record<string, { oneof: string[] }>).map(([name, o]) => [name, { ...o, oneof: o.oneof.map(snake) }]));
    else if (key === 'nested') out[key] = Object.fromEntries(Object.entries(value as object).map(([name, inner]) => [name, protoFieldNames(inner)]));
    else out[key] = value;
  }
  return out as T;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

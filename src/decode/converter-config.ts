/** Connector-file keys that choose the key and value converters (Kafka Connect's names). */
import { ConfigError } from '../common/errors.js';
import { bool, oneOf, str } from '../common/config/formats.js';
import { type ConfigSpec, type ConfigValues, prefixed } from '../common/config/spec.js';
import type { FailureAction } from '../records/outcome.js';
import { type CompiledSchema, registryConverter } from './registry-converter.js';
import { createRegistryClient, type RegistryClientOptions, type SchemaKind } from './registry-client.js';
import type { DecimalFormat } from './connect-json.js';
import type { IntegerOverflow } from './integer-overflow.js';
import { STRING_ENCODINGS, type StringEncoding, stringEncoding } from './string-decoding.js';
import { decimalFormat, registryClientOptions, type registryConfigSpec } from './registry-config.js';
import {
  AVRO_CONVERTER,
  BYTE_ARRAY_CONVERTER,
  byteArrayConverter,
  type Converter,
  JSON_CONVERTER,
  JSON_SCHEMA_CONVERTER,
  jsonConverter,
  PROTOBUF_CONVERTER,
  STRING_CONVERTER,
  stringConverterFor,
} from './converter.js';

const SUPPORTED = [STRING_CONVERTER, JSON_CONVERTER, BYTE_ARRAY_CONVERTER];
const REGISTRY = [AVRO_CONVERTER, PROTOBUF_CONVERTER, JSON_SCHEMA_CONVERTER];

function converterKeys<P extends 'key' | 'value'>(part: P) {
  return {
    ...prefixed(part, {
      '.converter': {
        doc: `How record ${part}s are read: ${[...SUPPORTED, ...REGISTRY].map((c) => `\`${c}\``).join(', ')} (the last three through a schema registry, see below). Kafka Connect takes the worker's default when absent; without a worker we default to StringConverter.`,
        format: oneOf([...SUPPORTED, ...REGISTRY]),
        default: STRING_CONVERTER,
      },
      '.converter.schemas.enable': {
        doc: `JsonConverter only: ${part}s are \`{"schema":..., "payload":...}\` envelopes and the payload is sent.`,
        format: bool(),
        default: true,
      },
      '.converter.converter.encoding': {
        doc: `StringConverter only (its \`converter.encoding\`): the charset ${part}s are written in: ${STRING_ENCODINGS.join(', ')} (any case; Java's aliases such as \`UTF8\`, \`latin1\`, \`ASCII\`, \`UnicodeBigUnmarked\` too), read as Java reads them (a byte ASCII has no character for is U+FFFD; \`UTF-16\` reads a byte order mark, big-endian without one).`,
        format: str(),
        default: 'UTF-8',
      },
      '.converter.encoding': {
        doc: `Not read, as Kafka Connect's StringConverter does not read it (its key is \`${part}.converter.converter.encoding\`): accepted and ignored, so a file Connect runs is not refused.`,
        format: str(),
        default: null,
      },
      '.converter.integer.overflow': {
        doc: `JsonConverter only, not a Kafka Connect key: integers beyond 64 bits (a JSON number, or an int64 field of an envelope). \`keep\` writes them as they came; \`wrap\` keeps their low 64 bits as Kafka Connect does (18446744073709551617 becomes 1): Connect's bytes, for an endpoint that compares them.`,
        format: oneOf(['keep', 'wrap']),
        default: 'keep',
      },
    } satisfies ConfigSpec),
  };
}

export type NullValueBehavior = 'fail' | 'ignore' | 'delete' | 'log';

/** Connect's own header converters: headers pass through here as their bytes (no stage reads their values), so any of them runs the same. */
const HEADER_CONVERTERS = ['org.apache.kafka.connect.storage.SimpleHeaderConverter', STRING_CONVERTER, 'org.apache.kafka.connect.converters.ByteArrayConverter', 'org.apache.kafka.connect.json.JsonConverter'] as const;

export const converterConfigSpec = {
  ...converterKeys('key'),
  ...converterKeys('value'),
  'header.converter': {
    doc: `How Kafka Connect reads header values: ${HEADER_CONVERTERS.map((c) => `\`${c}\``).join(', ')}. Headers pass through here as their bytes (dead letters keep them, \`HeaderFrom\` adds them, \`HasHeaderKey\` reads their names; no stage reads their values), so each runs the same. Other classes cannot be loaded.`,
    format: oneOf(HEADER_CONVERTERS),
    default: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
  },
  'behavior.on.null.values': {
    doc: 'A record with a null value (tombstone): `fail` (an error, handled per `errors.tolerance`), `ignore` (skip and commit), `log` (skip, commit, log at info), `delete` (send a DELETE without body to the record\'s URL, see `http.url` templates).',
    format: oneOf(['fail', 'ignore', 'delete', 'log']),
    default: 'fail',
  },
} satisfies ConfigSpec;

export interface DecodeOptions {
  readonly key: Converter;
  readonly value: Converter;
  /** Null values (tombstones). Default: fail. */
  readonly onNull?: NullValueBehavior;
  /** Undecodable records and refused nulls: `errors.tolerance`'s answer. Default: fail. */
  readonly onError?: FailureAction;
  /** Ends what the converters hold open (a schema registry's retries and connections); call once the pipeline ended. */
  readonly close?: () => void;
}

/** Which converter reads a key or value, as plain data (the registry client is created at start, not here). */
export type ConverterSettings =
  | { readonly kind: 'plain'; readonly name: string; readonly schemasEnable: boolean; readonly integerOverflow: IntegerOverflow; readonly encoding: StringEncoding }
  | { readonly kind: 'registry'; readonly name: string; readonly schema: SchemaKind; readonly registry: RegistryClientOptions; readonly decimalFormat: DecimalFormat };

/** Everything `decode` needs, as plain data: checked when the connector file is read. */
export interface DecodeSettings {
  readonly key: ConverterSettings;
  readonly value: ConverterSettings;
  readonly onNull: NullValueBehavior;
  readonly onError: FailureAction;
}

export function decodeSettings(values: ConfigValues<typeof converterConfigSpec> & ConfigValues<typeof registryConfigSpec>, onError: FailureAction = 'fail'): DecodeSettings {
  return {
    key: converterSettings('key', values),
    value: converterSettings('value', values),
    onNull: values.get('behavior.on.null.values'),
    onError,
  };
}

/** The converters of `settings`, with the registry clients they talk to (one per converter, closed by `close`). */
export function createDecodeOptions(settings: DecodeSettings): DecodeOptions {
  const key = createConverter(settings.key);
  const value = createConverter(settings.value);
  return {
    key: key.convert,
    value: value.convert,
    onNull: settings.onNull,
    onError: settings.onError,
    close: () => {
      key.close?.();
      value.close?.();
    },
  };
}

function converterSettings(part: 'key' | 'value', values: ConfigValues<typeof converterConfigSpec> & ConfigValues<typeof registryConfigSpec>): ConverterSettings {
  const name = values.string(`${part}.converter`);
  if (name === STRING_CONVERTER || name === BYTE_ARRAY_CONVERTER || name === JSON_CONVERTER) {
    const integerOverflow = values.string(`${part}.converter.integer.overflow`) as IntegerOverflow;
    const encodingName = values.string(`${part}.converter.converter.encoding`);
    const encoding = stringEncoding(encodingName);
    if (encoding === undefined) throw new ConfigError(`${part}.converter.converter.encoding`, `${encodingName} is not supported; use one of ${STRING_ENCODINGS.join(', ')}`);
    return { kind: 'plain', name, schemasEnable: values.boolean(`${part}.converter.schemas.enable`), integerOverflow, encoding };
  }
  const schema = REGISTRY_KINDS[name];
  if (schema === undefined) throw new ConfigError(`${part}.converter`, `${name} is not supported; use one of ${[...SUPPORTED, ...REGISTRY].join(', ')}`);
  return { kind: 'registry', name, schema, registry: registryClientOptions(part, values), decimalFormat: decimalFormat(values) };
}

function createConverter(settings: ConverterSettings): { convert: Converter; close?: () => void } {
  if (settings.kind === 'registry') {
    const { decimalFormat: format } = settings;
    const client = createRegistryClient<CompiledSchema>(settings.registry, async (raw) => (await import('./compile-schema.js')).compileSchema(raw, format));
    return { convert: registryConverter(settings.schema, settings.name, client), close: client.close };
  }
  if (settings.name === BYTE_ARRAY_CONVERTER) return { convert: byteArrayConverter };
  if (settings.name === JSON_CONVERTER) return { convert: jsonConverter(settings.schemasEnable, settings.integerOverflow) };
  return { convert: stringConverterFor(settings.encoding) };
}

const REGISTRY_KINDS: Record<string, SchemaKind> = { [AVRO_CONVERTER]: 'AVRO', [PROTOBUF_CONVERTER]: 'PROTOBUF', [JSON_SCHEMA_CONVERTER]: 'JSON' };

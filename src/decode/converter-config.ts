/** Connector-file keys that choose the key and value converters (Kafka Connect's names). */
import { ConfigError } from '../common/errors.js';
import { bool, oneOf } from '../common/config/formats.js';
import type { ConfigSpec, ConfigValues } from '../common/config/spec.js';
import type { FailureAction } from '../records/outcome.js';
import { type CompiledSchema, compileSchema, registryConverter } from './registry-converter.js';
import { createRegistryClient, type SchemaKind } from './registry-client.js';
import { decimalFormat, registryClientOptions } from './registry-config.js';
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
  stringConverter,
} from './converter.js';

const SUPPORTED = [STRING_CONVERTER, JSON_CONVERTER, BYTE_ARRAY_CONVERTER];
const REGISTRY = [AVRO_CONVERTER, PROTOBUF_CONVERTER, JSON_SCHEMA_CONVERTER];

function converterKeys(part: 'key' | 'value'): ConfigSpec {
  return {
    [`${part}.converter`]: {
      doc: `How record ${part}s are read: ${[...SUPPORTED, ...REGISTRY].map((c) => `\`${c}\``).join(', ')} (the last three through a schema registry, see below). Kafka Connect takes the worker's default when absent; without a worker we default to StringConverter.`,
      format: oneOf([...SUPPORTED, ...REGISTRY]),
      default: STRING_CONVERTER,
    },
    [`${part}.converter.schemas.enable`]: {
      doc: `JsonConverter only: ${part}s are \`{"schema":..., "payload":...}\` envelopes and the payload is sent.`,
      format: bool(),
      default: true,
    },
  };
}

export type NullValueBehavior = 'fail' | 'ignore' | 'delete' | 'log';

export const converterConfigSpec = {
  ...converterKeys('key'),
  ...converterKeys('value'),
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

export function decodeOptions(values: ConfigValues, onError: FailureAction = 'fail'): DecodeOptions {
  const key = converterFor('key', values);
  const value = converterFor('value', values);
  return {
    key: key.convert,
    value: value.convert,
    onNull: values.string('behavior.on.null.values') as NullValueBehavior,
    onError,
    close: () => {
      key.close?.();
      value.close?.();
    },
  };
}

function converterFor(part: 'key' | 'value', values: ConfigValues): { convert: Converter; close?: () => void } {
  const name = values.string(`${part}.converter`);
  switch (name) {
    case STRING_CONVERTER:
      return { convert: stringConverter };
    case BYTE_ARRAY_CONVERTER:
      return { convert: byteArrayConverter };
    case JSON_CONVERTER:
      return { convert: jsonConverter(values.boolean(`${part}.converter.schemas.enable`)) };
    default: {
      const kind = REGISTRY_KINDS[name];
      if (kind === undefined) throw new ConfigError(`${part}.converter`, `${name} is not supported; use one of ${[...SUPPORTED, ...REGISTRY].join(', ')}`);
      const format = decimalFormat(values);
      const client = createRegistryClient<CompiledSchema>(registryClientOptions(part, values), (raw) => compileSchema(raw, format));
      return { convert: registryConverter(kind, name, client), close: client.close };
    }
  }
}

const REGISTRY_KINDS: Record<string, SchemaKind> = { [AVRO_CONVERTER]: 'AVRO', [PROTOBUF_CONVERTER]: 'PROTOBUF', [JSON_SCHEMA_CONVERTER]: 'JSON' };

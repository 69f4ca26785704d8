/** Connector-file keys that choose the key and value converters (Kafka Connect's names). */
import { ConfigError } from '../errors.js';
import { bool, oneOf } from '../config/formats.js';
import type { ConfigSpec, ConfigValues } from '../config/spec.js';
import type { FailureAction } from '../sink/status-policy.js';
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
      doc: `How record ${part}s are read: ${SUPPORTED.map((c) => `\`${c}\``).join(', ')}. Kafka Connect takes the worker's default when absent; without a worker we default to StringConverter.`,
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
}

export function decodeOptions(values: ConfigValues, onError: FailureAction = 'fail'): DecodeOptions {
  return {
    key: converterFor('key', values),
    value: converterFor('value', values),
    onNull: values.string('behavior.on.null.values') as NullValueBehavior,
    onError,
  };
}

function converterFor(part: 'key' | 'value', values: ConfigValues): Converter {
  const name = values.string(`${part}.converter`);
  switch (name) {
    case STRING_CONVERTER:
      return stringConverter;
    case BYTE_ARRAY_CONVERTER:
      return byteArrayConverter;
    case JSON_CONVERTER:
      return jsonConverter(values.boolean(`${part}.converter.schemas.enable`));
    default:
      throw new ConfigError(`${part}.converter`, `${name} (schema registry) is not supported yet; use ${SUPPORTED.join(', ')}`);
  }
}

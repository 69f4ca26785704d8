/** Confluent's HTTP Sink keys for the result and error topics (Connect Reporter) and its licence (Confluent's defaults). */
import { bool, int, oneOf, str } from '../../common/config/formats.js';
import type { ConfluentKeyFamily, ConfluentSpec } from './key-spec.js';

const TOPIC_OPTIONS = 'Other topic settings are not applied: only partitions and replication factor are given at creation (the broker\'s defaults for the rest); an info line at start lists such keys.';

function topicKeys<const T extends 'result' | 'error'>(kind: T) {
  const what = kind === 'result' ? 'delivered record' : 'record whose request failed for good';
  const prefix = `reporter.${kind}.topic` as const;
  return {
    [`${prefix}.name`]: {
      doc: `Every ${what} is reported here, once the broker acknowledged the write its offset is committed. \`\${connector}\` is the connector's name; empty: not reported.`,
      format: str(),
      default: `\${connector}-${kind === 'result' ? 'success' : 'error'}`,
    },
    [`${prefix}.replication.factor`]: { doc: 'Replication factor the topic is created with at start when missing (-1: the broker\'s default); an existing topic is used as it is.', format: int(-1, 32767), default: 3 },
    [`${prefix}.partitions`]: { doc: 'Partitions the topic is created with at start when missing.', format: int(1, 100_000), default: 1 },
    [`${prefix}.key.format`]: { doc: 'The report\'s key (the input record\'s key as text): `string` (its bytes) or `json` (a JSON string).', format: oneOf(['string', 'json']), default: 'json' },
    [`${prefix}.value.format`]: {
      doc: `The report's value as \`string\` (its bytes) or \`json\` (a JSON string): ${kind === 'result' ? 'the response body' : 'per `report.errors.as`'}.`,
      format: oneOf(['string', 'json']),
      default: 'json',
    },
    [`${prefix}.key.format.schemas.enable`]: { doc: 'With `json`: the key in JsonConverter\'s envelope (`{"schema":{"type":"string"},"payload":...}`).', format: bool(), default: false },
    [`${prefix}.value.format.schemas.enable`]: { doc: 'With `json`: the value in JsonConverter\'s envelope.', format: bool(), default: false },
    [`${prefix}.key.format.schemas.cache.size`]: { doc: 'JsonConverter\'s schema cache; a report has one fixed schema, so nothing to cache.', format: int(0, 1_000_000), default: 128 },
    [`${prefix}.value.format.schemas.cache.size`]: { doc: 'JsonConverter\'s schema cache; nothing to cache.', format: int(0, 1_000_000), default: 128 },
  } as Record<`${typeof prefix}.${'name' | 'replication.factor' | 'partitions' | 'key.format' | 'value.format' | 'key.format.schemas.enable' | 'value.format.schemas.enable' | 'key.format.schemas.cache.size' | 'value.format.schemas.cache.size'}`, ConfluentSpec[string]>;
}

export const confluentReporterKeys = {
  'reporter.bootstrap.servers': {
    doc: 'The Kafka cluster the reports are written to. Unset: the cluster the connector reads from (with its `kafka.*` / `producer.override.*` settings).',
    format: str(),
    default: null,
    differs: 'Confluent requires it; here it defaults to the connector\'s own cluster.',
  },
  ...topicKeys('result'),
  ...topicKeys('error'),
} satisfies ConfluentSpec;

export const confluentLicenceKeys = {
  'confluent.license': {
    doc: 'Accepted and not used (this sink needs no licence); one info line at start says so.',
    format: str(),
    default: '',
    sensitive: true,
  },
  'confluent.topic': { doc: 'Accepted and not used (the licence topic).', format: str(), default: '_confluent-command' },
  'confluent.topic.bootstrap.servers': { doc: 'Accepted and not used (the licence topic\'s cluster).', format: str(), default: null },
  'confluent.topic.replication.factor': { doc: 'Accepted and not used.', format: int(-1, 32767), default: 3 },
} satisfies ConfluentSpec;

/** Keys named by prefix: each key under it is taken as described. */
export const CONFLUENT_KEY_FAMILIES: readonly ConfluentKeyFamily[] = [
  {
    prefix: 'reporter.producer.',
    doc: 'Producer settings of the reports (security, timeouts), as Java producer properties; mapped and gated as `producer.override.*` is (librdkafka names, Java stores read, a file from a connector created through the API only under the allowed paths), refused by name where they have no equivalent.',
  },
  {
    prefix: 'reporter.admin.',
    doc: 'Settings of the admin client that creates the reporting topics (security, timeouts), as Java properties; mapped and gated as `producer.override.*` is.',
  },
  {
    prefix: 'reporter.result.topic.',
    doc: 'Any other setting of the result topic: accepted, not applied, listed in one info line at start.',
    differs: TOPIC_OPTIONS,
  },
  {
    prefix: 'reporter.error.topic.',
    doc: 'Any other setting of the error topic: accepted, not applied, listed in one info line at start.',
    differs: TOPIC_OPTIONS,
  },
  { prefix: 'confluent.topic.', doc: 'Client settings of the licence topic: accepted and not used (no licence is checked).' },
];

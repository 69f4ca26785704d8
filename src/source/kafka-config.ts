/**
 * Connector-file keys of the Kafka source: topics, consumer group, flow control, the `kafka.*` passthrough (librdkafka
 * names), Kafka Connect's `consumer.override.*` / `producer.override.*` (Java names, mapped in client-overrides.ts) and
 * Java key and trust stores (store-properties.ts). In a worker, the worker file's client settings come first
 * (worker-clients.ts) and its override policy decides which of the connector's client keys are allowed.
 */
import { ConfigError } from '../common/errors.js';
import { int, str } from '../common/config/formats.js';
import { redactedWhenPrinted } from '../common/config/secret.js';
import type { ConfigSpec, ConfigValues } from '../common/config/spec.js';
import { type ClientRole, isOverrideKey, javaClientProperties, type MappedProperty, overrideProperties, overrideRole } from './client-overrides.js';
import { applyStores, type ClientProperties } from './store-properties.js';
import { type ProviderPolicy, TRUSTED_PROVIDERS } from '../common/config/providers.js';
import { checkNativeEntry, gateClientProperties, type NativeValue, nativeNames } from './native-config.js';
import { inlineClientFiles } from './client-files.js';
import { overrideRefusal, type WorkerClients } from './worker-clients.js';

export { isOverrideKey } from './client-overrides.js';

export const kafkaConfigSpec = {
  topics: { doc: 'Comma-separated topics to read. Exactly one of `topics` and `topics.regex` is required.', format: str(), default: null },
  'topics.regex': { doc: 'Java-style regular expression of topics to read (instead of `topics`).', format: str(), default: null },
  'max.in.flight.records': {
    doc: 'Backpressure bound: records read but not yet delivered and committed. At it the consumer first reads one record per poll for up to 1 s (commits usually free the window meanwhile, and librdkafka keeps its prefetch), then pauses its partitions (and keeps polling); it resumes below half. In flight stays under twice the bound; bounds under 100 pause at once. Also bounds the duplicates a crash can cause. The default leaves each of six partitions about 10,000 records: librdkafka queues records a partition\'s chunk at a time, and a smaller window could fill with a few partitions\' records while the others had nothing to send (docs/performance.md).',
    format: int(1, 10_000_000),
    default: 60_000,
  },
  'max.in.flight.bytes': {
    doc: 'The same bound in bytes of the records\' keys and values: whichever of the two is nearer its bound decides, so large records pause the consumer before the record count would. Like the count, the bytes can pass it by one poll (at most what librdkafka prefetched: `queued.max.messages.kbytes`).',
    format: int(1024, 4_294_967_296),
    default: 64 * 1024 * 1024,
  },
  'offset.flush.interval.ms': {
    doc: 'How often delivered offsets are committed (Kafka Connect worker key; Connect defaults to 60000). Offsets are also committed on shutdown and before partitions are revoked.',
    format: int(10, 3_600_000),
    default: 1000,
  },
} satisfies ConfigSpec;

/** librdkafka properties given as `kafka.<property>` in the connector file (and the environment). */
const KAFKA_PREFIX = 'kafka.';

/** A key passed to the Kafka clients rather than declared in a spec: `kafka.*`, `consumer.override.*`, `producer.override.*`. */
export function isKafkaClientKey(key: string): boolean {
  return key.startsWith(KAFKA_PREFIX) || isOverrideKey(key);
}

export interface KafkaSourceOptions {
  /** librdkafka global properties (bootstrap, security, ...); the source adds group and commit settings. */
  readonly rdkafka: Record<string, string | number | boolean>;
  /** librdkafka properties of the dead-letter and reporter producer: `kafka.*` and `producer.override.*`. */
  readonly producer: Record<string, string | number | boolean>;
  readonly groupId: string;
  /** Topic names, or a single librdkafka regex (`^...`). */
  readonly topics: readonly string[];
  readonly maxInFlightRecords: number;
  /** The bound in bytes of keys and values (`max.in.flight.bytes`); none when left out. */
  readonly maxInFlightBytes?: number;
  readonly commitIntervalMs: number;
  /** Most records one poll returns (`consumer.override.max.poll.records`; librdkafka has no such property). */
  readonly pollMaxRecords?: number;
  /** The producer-role clients asked for by name (`derived`), built like `producer`: Confluent's reporter clients. */
  readonly derived?: Readonly<Record<string, Record<string, string | number | boolean>>>;
}

/**
 * A producer-role client of the connector's beyond its dead-letter producer (Confluent's `reporter.producer.*` and
 * `reporter.admin.*`): the producer's settings, another broker list, and Java client properties on top, each named by
 * the key that gave it; mapped and gated like the connector's own keys.
 */
export interface DerivedClient {
  /** Replaces the broker list (`reporter.bootstrap.servers`). */
  readonly bootstrap?: string;
  /** Java client properties, applied last. */
  readonly java: readonly { readonly key: string; readonly name: string; readonly value: string }[];
}

/** Properties the source owns: setting them in the file would break at-least-once delivery. */
const OWNED = ['group.id', 'enable.auto.commit', 'enable.auto.offset.store', 'rebalance_cb', 'offset_commit_cb'];
/** The same, as librdkafka names them (`enable.auto.commit` is an alias of `auto.commit.enable`). */
const OWNED_NATIVE = [...OWNED, 'auto.commit.enable'];

/** Whether a client property came from the connector's config (`kafka.*` or an override), not the worker file. */
function isConnectorKey(key: string | undefined): boolean {
  return key !== undefined && (key.startsWith(KAFKA_PREFIX) || isOverrideKey(key));
}

export function kafkaSourceOptions(
  name: string,
  values: ConfigValues<typeof kafkaConfigSpec>,
  passthrough: Record<string, string>,
  env: NodeJS.ProcessEnv,
  /** Which config this is: a connector from the API gets the gate's refusals and the allowed paths. */
  policy: ProviderPolicy = TRUSTED_PROVIDERS,
  /** The worker file's settings for its connectors' clients, and its override policy. */
  clients?: WorkerClients,
  /** More producer-role clients to build, by name (see DerivedClient). */
  derived: Readonly<Record<string, DerivedClient>> = {},
): KafkaSourceOptions {
  const topics = values.optionalString('topics');
  const regex = values.optionalString('topics.regex');
  if ((topics === undefined) === (regex === undefined)) {
    throw new ConfigError('topics', 'set exactly one of topics (comma list) and topics.regex');
  }
  const topicList = topics === undefined ? [regex!.startsWith('^') ? regex! : `^${regex!}`] : topics.split(',').map((t) => t.trim()).filter(Boolean);
  if (topicList.length === 0) throw new ConfigError('topics', 'must name at least one topic');

  // the worker file's settings (or the environment's broker), then the connector's kafka.*, then its overrides
  const kafkaKeys: [string, string, string][] = [];
  const overrides: Record<ClientRole, [string, string][]> = { consumer: [], producer: [] };
  for (const [key, value] of Object.entries(passthrough)) {
    const role = overrideRole(key);
    const property = role === undefined ? key.slice(KAFKA_PREFIX.length) : key.slice(`${role}.override.`.length);
    const refusal = clients && overrideRefusal(clients.policy, property, role === undefined);
    if (refusal !== undefined) throw new ConfigError(key, refusal);
    if (role !== undefined) {
      overrides[role].push([key, value]);
      continue;
    }
    if (!key.startsWith(KAFKA_PREFIX)) continue;
    checkNativeEntry(property, value, () => key);
    if (nativeNames(property).some((n) => OWNED_NATIVE.includes(n))) throw new ConfigError(key, 'is managed by the sink (offsets are committed only after delivery); remove it');
    kafkaKeys.push([property, key, value]);
  }
  const client = (role: ClientRole, extra?: DerivedClient): { properties: ClientProperties; pollMaxRecords?: number } => {
    const properties: ClientProperties = { 'bootstrap.servers': clients?.bootstrapServers ?? env.KAFKA_BOOTSTRAP_SERVERS ?? 'localhost:9092' };
    const origin = new Map<string, string>();
    const extraKeys = new Set(extra?.java.map((k) => k.key));
    let pollMaxRecords: number | undefined;
    const set = (key: string, mapped: readonly MappedProperty[]): void => {
      for (const { property, value } of mapped) {
        if (property === 'max.poll.records') {
          pollMaxRecords = Number(value);
          if (pollMaxRecords < 1) throw new ConfigError(key, 'must be at least 1');
          continue;
        }
        properties[property] = value;
        origin.set(property, key);
      }
    };
    for (const { key, name, value } of clients?.[role] ?? []) set(key, javaClientProperties(role, name, key, value));
    for (const [property, key, value] of kafkaKeys) {
      properties[property] = value;
      origin.set(property, key);
    }
    for (const [key, value] of overrides[role]) set(key, overrideProperties(role, key, value));
    if (extra?.bootstrap !== undefined) properties['bootstrap.servers'] = extra.bootstrap;
    for (const { key, name, value } of extra?.java ?? []) set(key, javaClientProperties(role, name, key, value));
    // The gate: every name and value; the connector's own properties also get, for a connector from the API, the
    // refusals and the allowed paths (the worker file's are the operator's). Then the stores, then the files read here.
    const own: Record<string, NativeValue> = Object.fromEntries(Object.entries(properties).filter(([property]) => isConnectorKey(origin.get(property)) || extraKeys.has(origin.get(property) ?? '')));
    gateClientProperties(own, origin, policy);
    Object.assign(properties, own);
    gateClientProperties(properties, origin, TRUSTED_PROVIDERS);
    applyStores(properties, origin);
    inlineClientFiles(properties, origin, policy);
    return { properties, pollMaxRecords };
  };
  const consumer = client('consumer');
  return {
    rdkafka: redactedWhenPrinted(consumer.properties),
    producer: redactedWhenPrinted(client('producer').properties),
    groupId: `connect-${name}`,
    topics: topicList,
    maxInFlightRecords: values.number('max.in.flight.records'),
    maxInFlightBytes: values.number('max.in.flight.bytes'),
    commitIntervalMs: values.number('offset.flush.interval.ms'),
    ...(consumer.pollMaxRecords === undefined ? {} : { pollMaxRecords: consumer.pollMaxRecords }),
    ...(Object.keys(derived).length === 0 ? {} : { derived: Object.fromEntries(Object.entries(derived).map(([name, extra]) => [name, redactedWhenPrinted(client('producer', extra).properties)])) }),
  };
}

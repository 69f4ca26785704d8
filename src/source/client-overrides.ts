/**
 * Kafka Connect's `consumer.override.*` and `producer.override.*` keys: Java client property names mapped onto the
 * librdkafka property with the same meaning. A Java-only property (no librdkafka equivalent) is refused with a line
 * saying so; a property the table does not know goes to librdkafka under its own name (librdkafka refuses names it
 * does not know when the client is created).
 *
 * @example
 *   overrideProperties('consumer', 'consumer.override.fetch.max.wait.ms', '50') // [{ property: 'fetch.wait.max.ms', value: '50' }]
 * @see https://kafka.apache.org/documentation/#connect_configs (per-connector client overrides)
 */
import { ConfigError } from '../common/errors.js';

const CONSUMER_OVERRIDE_PREFIX = 'consumer.override.';
const PRODUCER_OVERRIDE_PREFIX = 'producer.override.';

export type ClientRole = 'consumer' | 'producer';

/** A Java property as librdkafka spells it, or why it cannot be given. */
type Rule = { readonly to: string; readonly value?: (value: string, key: string) => string } | { readonly refuse: string };

const JAVA_ONLY = 'is a Java client property with no librdkafka equivalent; remove it';
const same = (...names: string[]): [string, Rule][] => names.map((n) => [n, { to: n }]);
const refused = (reason: string, ...names: string[]): [string, Rule][] => names.map((n) => [n, { refuse: reason }]);

/** Properties both clients take. */
const COMMON: [string, Rule][] = [
  ...same('bootstrap.servers', 'client.id', 'client.dns.lookup', 'security.protocol', 'sasl.mechanism', 'sasl.kerberos.service.name'),
  ...same('metadata.max.age.ms', 'connections.max.idle.ms', 'reconnect.backoff.ms', 'reconnect.backoff.max.ms', 'retry.backoff.ms', 'retry.backoff.max.ms'),
  ...same('socket.connection.setup.timeout.ms', 'ssl.cipher.suites', 'ssl.key.password'),
  // Key and trust stores stay under their Java names: store-properties.ts turns them into librdkafka's.
  ...same('ssl.truststore.location', 'ssl.truststore.password', 'ssl.truststore.type', 'ssl.truststore.certificates'),
  ...same('ssl.keystore.location', 'ssl.keystore.password', 'ssl.keystore.type', 'ssl.keystore.certificate.chain', 'ssl.keystore.key'),
  ['receive.buffer.bytes', { to: 'socket.receive.buffer.bytes' }],
  ['send.buffer.bytes', { to: 'socket.send.buffer.bytes' }],
  // Java: an empty value turns host name verification off.
  ['ssl.endpoint.identification.algorithm', { to: 'ssl.endpoint.identification.algorithm', value: (v) => (v.trim() === '' ? 'none' : v.toLowerCase()) }],
  ...refused(JAVA_ONLY, 'interceptor.classes', 'metric.reporters', 'metrics.num.samples', 'metrics.recording.level', 'metrics.sample.window.ms', 'auto.include.jmx.reporter'),
  ...refused(JAVA_ONLY, 'security.providers', 'ssl.provider', 'ssl.keymanager.algorithm', 'ssl.trustmanager.algorithm', 'ssl.secure.random.implementation', 'ssl.engine.factory.class'),
  ...refused('is a Java client property with no librdkafka equivalent (librdkafka negotiates the highest TLS version both sides support); remove it', 'ssl.protocol', 'ssl.enabled.protocols'),
  ...refused(JAVA_ONLY, 'sasl.login.callback.handler.class', 'sasl.client.callback.handler.class', 'sasl.login.class'),
];

const CONSUMER: [string, Rule][] = [
  ...COMMON,
  ...same('fetch.max.bytes', 'fetch.min.bytes', 'isolation.level', 'max.partition.fetch.bytes', 'session.timeout.ms', 'heartbeat.interval.ms'),
  ...same('max.poll.interval.ms', 'group.instance.id', 'client.rack', 'check.crcs', 'allow.auto.create.topics'),
  ['fetch.max.wait.ms', { to: 'fetch.wait.max.ms' }],
  ['request.timeout.ms', { to: 'socket.timeout.ms' }],
  // Java's `none` (fail when the group has no offset) is librdkafka's `error`.
  ['auto.offset.reset', { to: 'auto.offset.reset', value: (v) => (v.trim().toLowerCase() === 'none' ? 'error' : v.trim().toLowerCase()) }],
  ['partition.assignment.strategy', { to: 'partition.assignment.strategy', value: assignors }],
  ...refused('is managed by the sink (offsets are committed only after delivery); remove it', 'group.id', 'enable.auto.commit', 'auto.commit.interval.ms'),
  ...refused('is not used: records are read by key.converter and value.converter; remove it', 'key.deserializer', 'value.deserializer'),
  ...refused(JAVA_ONLY, 'default.api.timeout.ms', 'exclude.internal.topics', 'group.protocol', 'group.remote.assignor'),
];

const PRODUCER: [string, Rule][] = [
  ...COMMON,
  ...same('linger.ms', 'batch.size', 'compression.type', 'request.timeout.ms', 'retries', 'max.in.flight.requests.per.connection'),
  ['delivery.timeout.ms', { to: 'message.timeout.ms' }],
  ['max.request.size', { to: 'message.max.bytes' }],
  ['buffer.memory', { to: 'queue.buffering.max.kbytes', value: (v, key) => String(Math.max(1, Math.ceil(wholeNumber(v, key) / 1024))) }],
  ...refused('is managed by the sink (dead letters are written idempotently with acks=all); remove it', 'acks', 'enable.idempotence', 'transactional.id'),
  ...refused('is not used: dead letters keep the record\'s bytes as read; remove it', 'key.serializer', 'value.serializer'),
  ...refused(JAVA_ONLY, 'partitioner.class', 'partitioner.ignore.keys', 'max.block.ms', 'metadata.max.idle.ms'),
];

const RULES: Record<ClientRole, ReadonlyMap<string, Rule>> = { consumer: new Map(CONSUMER), producer: new Map(PRODUCER) };

/** `consumer.override.*` or `producer.override.*`: a key the connector file may hold besides the declared ones. */
export function isOverrideKey(key: string): boolean {
  return key.startsWith(CONSUMER_OVERRIDE_PREFIX) || key.startsWith(PRODUCER_OVERRIDE_PREFIX);
}

/** Which client an override key is for, or undefined for any other key. */
export function overrideRole(key: string): ClientRole | undefined {
  if (key.startsWith(CONSUMER_OVERRIDE_PREFIX)) return 'consumer';
  if (key.startsWith(PRODUCER_OVERRIDE_PREFIX)) return 'producer';
  return undefined;
}

/** A librdkafka property to set, from one override key. */
export interface MappedProperty {
  readonly property: string;
  readonly value: string;
}

/**
 * One override key as the librdkafka properties to set (`sasl.jaas.config` gives two); `max.poll.records` comes back
 * under its own name (the source reads it: it caps the records one poll returns). A refused key throws a ConfigError
 * naming it; no message repeats the value (it may hold a password).
 */
export function overrideProperties(role: ClientRole, key: string, value: string): MappedProperty[] {
  return javaClientProperties(role, key.slice((role === 'consumer' ? CONSUMER_OVERRIDE_PREFIX : PRODUCER_OVERRIDE_PREFIX).length), key, value);
}

/**
 * One Java client property `name` (given under `key`: an override key, or a worker file's `consumer.*`, `producer.*`
 * or top-level security key) as the librdkafka properties to set, by the same rules as the override keys.
 */
export function javaClientProperties(role: ClientRole, name: string, key: string, value: string): MappedProperty[] {
  if (name === '') throw new ConfigError(key, 'names no property');
  if (role === 'consumer' && name === 'max.poll.records') return [{ property: name, value: String(wholeNumber(value, key)) }];
  if (name === 'sasl.jaas.config') return jaasProperties(key, value);
  const rule = RULES[role].get(name);
  if (rule === undefined) return [{ property: name, value }];
  if ('refuse' in rule) throw new ConfigError(key, rule.refuse);
  return [{ property: rule.to, value: rule.value ? rule.value(value, key) : value }];
}

const ASSIGNORS: Record<string, string> = {
  'org.apache.kafka.clients.consumer.RangeAssignor': 'range',
  'org.apache.kafka.clients.consumer.RoundRobinAssignor': 'roundrobin',
  range: 'range',
  roundrobin: 'roundrobin',
};

/** Java assignor class names -> librdkafka's names; cooperative and sticky assignors are refused (eager rebalancing here). */
function assignors(value: string, key: string): string {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => {
      const name = ASSIGNORS[v];
      if (name === undefined) throw new ConfigError(key, `${v} has no librdkafka equivalent here; use org.apache.kafka.clients.consumer.RangeAssignor or RoundRobinAssignor (the source rebalances eagerly)`);
      return name;
    })
    .join(',');
}

/** `...PlainLoginModule required username="u" password="p";` (or ScramLoginModule) -> librdkafka's SASL user and password. */
function jaasProperties(key: string, value: string): MappedProperty[] {
  if (!/\.(PlainLoginModule|ScramLoginModule)\s+required\b/.test(value)) {
    throw new ConfigError(key, 'only the PlainLoginModule and ScramLoginModule lines (username and password) have a librdkafka equivalent; for OAUTHBEARER use the sasl.oauthbearer.* properties');
  }
  const option = (name: string): string | undefined => new RegExp(`\\b${name}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(value)?.[1]?.replace(/\\(.)/g, '$1');
  const username = option('username');
  const password = option('password');
  if (username === undefined || password === undefined) throw new ConfigError(key, 'needs username="..." and password="..." options');
  return [
    { property: 'sasl.username', value: username },
    { property: 'sasl.password', value: password },
  ];
}

function wholeNumber(value: string, key: string): number {
  if (!/^\s*\d+\s*$/.test(value)) throw new ConfigError(key, 'must be a whole number');
  return Number(value);
}

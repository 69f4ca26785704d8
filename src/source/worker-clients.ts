/**
 * What a worker file gives the Kafka clients of its connectors, as a Kafka Connect worker does: `bootstrap.servers`,
 * then the file's security keys (`security.protocol`, `sasl.*`, `ssl.*`), then `consumer.*` for every connector's
 * consumer and `producer.*` for every dead-letter and reporter producer; and `connector.client.config.override.policy`,
 * which decides what a connector may set itself (`kafka.*`, `consumer.override.*`, `producer.override.*`).
 *
 * @example
 *   workerClients({ 'bootstrap.servers': 'kafka:9093', 'consumer.fetch.max.wait.ms': '50' }, {})
 *   // { bootstrapServers: 'kafka:9093', consumer: [{ key: 'consumer.fetch.max.wait.ms', name: 'fetch.max.wait.ms', value: '50' }], producer: [], policy: 'All' }
 * @see https://kafka.apache.org/39/documentation.html#connect_configs
 */
import { ConfigError } from '../common/errors.js';
import { redactedWhenPrinted } from '../common/config/secret.js';
import { type ClientRole, javaClientProperties } from './client-overrides.js';
import { applyStores, type ClientProperties } from './store-properties.js';

/** Connect's three policies: no override, the principal's keys only, or any (Connect's default since 3.0, KIP-722). */
export type OverridePolicy = 'None' | 'Principal' | 'All';

export const OVERRIDE_POLICY_KEY = 'connector.client.config.override.policy';

/** One worker-file key for a client: the Java property it names, under the key that gave it (for errors). */
export interface WorkerClientKey {
  readonly key: string;
  readonly name: string;
  readonly value: string;
}

/** Plain data (it goes to task processes over their IPC channel): it may hold passwords, never log it. */
export interface WorkerClients {
  readonly bootstrapServers: string;
  /** In the order they apply: the security keys, then `consumer.*`. */
  readonly consumer: readonly WorkerClientKey[];
  /** The security keys, then `producer.*`. */
  readonly producer: readonly WorkerClientKey[];
  readonly policy: OverridePolicy;
}

const SECURITY = /^(security\.protocol|sasl\..+|ssl\..+)$/;
const POLICY_PACKAGE = 'org.apache.kafka.connect.connector.policy.';

/**
 * The clients' settings from a worker properties file. Its `bootstrap.servers` wins; a file without it falls back to
 * `KAFKA_BOOTSTRAP_SERVERS`, then `localhost:9092` (Connect's default). Every key is mapped now, so a Java-only or
 * sink-managed property stops the worker with an error naming its key.
 */
export function workerClients(properties: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): WorkerClients {
  const security = Object.entries(properties).filter(([key]) => SECURITY.test(key)).map(([key, value]) => ({ key, name: key, value }));
  const prefixed = (role: ClientRole): WorkerClientKey[] =>
    Object.entries(properties)
      .filter(([key]) => key.startsWith(`${role}.`))
      .map(([key, value]) => ({ key, name: key.slice(role.length + 1), value }));
  const clients: WorkerClients = {
    bootstrapServers: properties['bootstrap.servers'] ?? env.KAFKA_BOOTSTRAP_SERVERS ?? 'localhost:9092',
    consumer: [...security, ...prefixed('consumer')],
    producer: [...security, ...prefixed('producer')],
    policy: overridePolicy(properties[OVERRIDE_POLICY_KEY]),
  };
  for (const role of ['consumer', 'producer'] as const) for (const { key, name, value } of clients[role]) javaClientProperties(role, name, key, value);
  return clients;
}

/**
 * The worker file's broker and security keys as librdkafka properties (`sasl.jaas.config` as user and password, key
 * and trust stores read): what the worker's own clients (cluster mode's config and status topics) need. Not its
 * `consumer.*` / `producer.*` keys: those are for the connectors' clients, as in Connect.
 */
export function workerOwnClientProperties(clients: WorkerClients): ClientProperties {
  const properties: ClientProperties = { 'bootstrap.servers': clients.bootstrapServers };
  const origin = new Map<string, string>();
  for (const { key, name, value } of clients.producer.filter((k) => SECURITY.test(k.key))) {
    for (const mapped of javaClientProperties('producer', name, key, value)) {
      properties[mapped.property] = mapped.value;
      origin.set(mapped.property, key);
    }
  }
  applyStores(properties, origin);
  return redactedWhenPrinted(properties);
}

function overridePolicy(text: string | undefined): OverridePolicy {
  if (text === undefined || text.trim() === '') return 'All';
  const name = text.trim().replace(POLICY_PACKAGE, '').replace(/ConnectorClientConfigOverridePolicy$/, '');
  const policy = (['None', 'Principal', 'All'] as const).find((p) => p.toLowerCase() === name.toLowerCase());
  if (policy === undefined) throw new ConfigError(OVERRIDE_POLICY_KEY, `${text} is not a policy here: use None, Principal or All (custom policy classes cannot be loaded)`);
  return policy;
}

/** What Principal allows, by Java name (`consumer.override.*`) and by librdkafka name (`kafka.*`). */
const PRINCIPAL_JAVA = new Set(['sasl.jaas.config', 'sasl.mechanism', 'security.protocol']);
const PRINCIPAL_LIBRDKAFKA = new Set(['sasl.username', 'sasl.password', 'sasl.mechanism', 'sasl.mechanisms', 'security.protocol']);

/**
 * Why the worker's policy refuses a connector's client key (`kafka.<librdkafka name>`, `consumer.override.<Java
 * name>`, `producer.override.<Java name>`), or undefined when it allows it.
 */
export function overrideRefusal(policy: OverridePolicy, property: string, librdkafkaName: boolean): string | undefined {
  if (policy === 'All') return undefined;
  if (policy === 'Principal' && (librdkafkaName ? PRINCIPAL_LIBRDKAFKA : PRINCIPAL_JAVA).has(property)) return undefined;
  const allowed = policy === 'None' ? 'no client setting' : `only ${[...(librdkafkaName ? PRINCIPAL_LIBRDKAFKA : PRINCIPAL_JAVA)].join(', ')}`;
  return `sets the connector's Kafka client, which the worker's ${OVERRIDE_POLICY_KEY}=${policy} refuses (it allows ${allowed} per connector); set it in the worker file or remove it`;
}

/**
 * Where a connector config's secrets are sent, and which keys decide it: the one table that `restoreRedacted`
 * (secret.ts) reads to tell whether a `[redacted]` may bring a stored secret back.
 *
 * Three families of secrets, each with its own destinations:
 * - Kafka (`kafka.*`, `consumer.override.*`, `producer.override.*`: SASL password, key and store passwords, OAuth
 *   client secret): the broker list under every name librdkafka takes for it, the SASL mechanism, the security
 *   protocol and the OAUTHBEARER token endpoint, set on any of the three prefixes (the consumer, the dead-letter and
 *   reporter producer and the base properties all reach librdkafka).
 * - Schema registry (`key.converter.*`, `value.converter.*`): the registry URLs.
 * - HTTP (every other key: authorization header, basic auth, OAuth2 client secret, proxy password, key and trust
 *   store passwords, a URL's own password): the endpoint URL (scheme, host, port, and so any template in it), the
 *   proxy host and port and the OAuth2 token URL.
 */

/**
 * Prefixes under which a key goes to librdkafka (the source's `kafka.*`, Kafka Connect's client overrides, and
 * Confluent's reporter clients: `reporter.bootstrap.servers`, `reporter.producer.*`, `reporter.admin.*`).
 */
const KAFKA_PREFIXES = ['kafka.', 'consumer.override.', 'producer.override.', 'reporter.producer.', 'reporter.admin.', 'reporter.'] as const;

/**
 * librdkafka properties that decide where Kafka secrets go: `metadata.broker.list` and its alias
 * `bootstrap.servers`, `sasl.mechanisms` and its alias `sasl.mechanism`, `security.protocol`, and what says where
 * an OAUTHBEARER token is asked for (the OIDC token endpoint that receives `sasl.oauthbearer.client.secret`).
 */
const KAFKA_DESTINATIONS: ReadonlySet<string> = new Set([
  'bootstrap.servers',
  'metadata.broker.list',
  'security.protocol',
  'sasl.mechanism',
  'sasl.mechanisms',
  'sasl.oauthbearer.token.endpoint.url',
  'sasl.oauthbearer.method',
  'sasl.oauthbearer.metadata.authentication.type',
]);

/** Keys that decide where HTTP secrets go: the endpoint, the proxy in front of it, the OAuth2 token endpoint (Aiven's and Confluent's names). */
const HTTP_DESTINATIONS: ReadonlySet<string> = new Set(['http.url', 'http.api.url', 'http.proxy.host', 'http.proxy.port', 'oauth2.access.token.url', 'oauth2.token.url']);

const REGISTRY_PREFIX = /^(key|value)\.converter\./;
const REGISTRY_DESTINATION = /^(key|value)\.converter\.schema\.registry\.url$/;

/**
 * The librdkafka property a Kafka client key sets, as librdkafka reads its name: node-rdkafka hands it a C string,
 * so the name ends at the first NUL. Undefined for a key that is not a Kafka client key.
 */
function kafkaProperty(key: string): string | undefined {
  const prefix = KAFKA_PREFIXES.find((p) => key.startsWith(p));
  return prefix === undefined ? undefined : key.slice(prefix.length).split('\0')[0];
}

export type SecretFamily = 'kafka' | 'registry' | 'http';

/** Which family a secret key belongs to: where it is sent. */
export function secretFamily(key: string): SecretFamily {
  if (kafkaProperty(key) !== undefined) return 'kafka';
  if (REGISTRY_PREFIX.test(key)) return 'registry';
  return 'http';
}

/** Whether `key` decides where the secrets of `family` are sent. */
export function decidesDestinationOf(family: SecretFamily, key: string): boolean {
  switch (family) {
    case 'kafka': {
      const property = kafkaProperty(key);
      return property !== undefined && KAFKA_DESTINATIONS.has(property);
    }
    case 'registry':
      return REGISTRY_DESTINATION.test(key);
    case 'http':
      return HTTP_DESTINATIONS.has(key);
  }
}

/**
 * A connector file (Kafka Connect keys) -> a validated SinkConfig. Everything is checked before anything
 * connects; the first problem becomes one ConfigError naming the key and what is allowed.
 */
import { authConfigSpec, authSettings, createAuthorizer } from '../deliver/auth/auth-config.js';
import { converterConfigSpec, createDecodeOptions, type DecodeOptions, decodeSettings } from '../decode/converter-config.js';
import { registryConfigSpec } from '../decode/registry-config.js';
import { ConfigError } from '../common/errors.js';
import type { PostOptions } from '../deliver/post.js';
import { connectorName, pipelineConfigSpec } from './pipeline-config.js';
import { concurrencySetting, createConcurrency, httpConfigSpec, httpServiceOptions } from '../deliver/http-config.js';
import { proxyConfigSpec } from '../common/net/proxy-config.js';
import { rateLimitConfigSpec, tokenBucket } from '../deliver/rate-limit.js';
import { reporterConfigSpec, reporterOptions } from '../outcomes/reporter.js';
import { tlsConfigSpec } from '../common/net/tls-config.js';
import { orderingConfigSpec, orderingKey } from '../request/ordering.js';
import { requestConfigSpec, requestOptions } from '../request/request-config.js';
import { retryConfigSpec, retryOptions } from '../deliver/retry-config.js';
import { statusPolicy, statusPolicyConfigSpec } from '../deliver/status-policy.js';
import { deadLetterConfigSpec, deadLetterOptions, toleranceAction } from '../outcomes/dead-letter-config.js';
import { isTransformKey, parseTransforms } from '../transform/transform-config.js';
import { type DerivedClient, isKafkaClientKey, kafkaConfigSpec, kafkaSourceOptions } from '../source/kafka-config.js';
import type { WorkerClients } from '../source/worker-clients.js';
import { validatedWith } from '../common/config/convict-validate.js';
import { allowedFilePath, maskedError, PATH_KEY, type ProviderPolicy, referenceMask, resolveReferences, TRUSTED_PROVIDERS } from '../common/config/providers.js';
import { isSecretKey, redactConfig, Secret } from '../common/config/secret.js';
import { type ConfigSpec, configReader, type ReaderOf } from '../common/config/spec.js';
import { suggestKey } from './key-suggestion.js';
import { applyConfluent, reporterClients } from './confluent/apply.js';
import { CONFLUENT_KEY_GROUPS, isConfluentSecret } from './confluent/confluent-spec.js';
import { inConfluentTerms, isConfluentConfig, translateConfluent } from './confluent/translate.js';
import type { ConnectorSettings } from './connector-settings.js';

/** Every key a connector file may hold (besides `kafka.*`), grouped by the component that declares it. */
export const CONNECTOR_CONFIG_GROUPS = {
  Connector: pipelineConfigSpec,
  Kafka: kafkaConfigSpec,
  Converters: converterConfigSpec,
  'Schema registry': registryConfigSpec,
  Request: requestConfigSpec,
  Authorization: authConfigSpec,
  HTTP: httpConfigSpec,
  TLS: tlsConfigSpec,
  Proxy: proxyConfigSpec,
  Retry: retryConfigSpec,
  'Status codes': statusPolicyConfigSpec,
  'Errors and dead-letter queue': deadLetterConfigSpec,
  'Rate limit': rateLimitConfigSpec,
  'Reporting topics': reporterConfigSpec,
  Ordering: orderingConfigSpec,
} satisfies Record<string, ConfigSpec>;

/** What a file under Confluent's class may hold: Kafka Connect's common keys, then Confluent's own (`validate`). */
export const CONFLUENT_CONFIG_GROUPS: Record<string, ConfigSpec> = {
  Connector: pipelineConfigSpec,
  Kafka: kafkaConfigSpec,
  Converters: converterConfigSpec,
  'Schema registry': registryConfigSpec,
  'Errors and dead-letter queue': deadLetterConfigSpec,
  ...CONFLUENT_KEY_GROUPS,
};

const SPEC = {
  ...pipelineConfigSpec,
  ...kafkaConfigSpec,
  ...converterConfigSpec,
  ...registryConfigSpec,
  ...requestConfigSpec,
  ...authConfigSpec,
  ...httpConfigSpec,
  ...tlsConfigSpec,
  ...proxyConfigSpec,
  ...retryConfigSpec,
  ...statusPolicyConfigSpec,
  ...deadLetterConfigSpec,
  ...rateLimitConfigSpec,
  ...reporterConfigSpec,
  ...orderingConfigSpec,
} satisfies ConfigSpec;

/** A connector file's values, typed by the specs of every component. */
export type ConnectorValues = ReaderOf<typeof CONNECTOR_CONFIG_GROUPS>;

/** A connector ready to run: the settings with their components created (converters, authorizer, limiters). */
export interface SinkConfig extends Omit<ConnectorSettings, 'decode' | 'post'> {
  readonly decode: DecodeOptions;
  /** Everything `post` needs except the `send` function. */
  readonly post: Omit<PostOptions, 'send'>;
  /** What this config was built from. */
  readonly settings: ConnectorSettings;
}

/**
/**
 * `providers`: which `${...}` references may be resolved (default: all, for the operator's own files). A failure names
 * the key and the reference, never the value a reference resolved to (`referenceMask`). `clients`: the worker file's
 * settings for the connector's Kafka clients and its override policy (default: the environment's broker). A file naming Confluent's
 * class is read with Confluent's keys and defaults (./confluent/), translated onto the same settings.
 */
export function connectorSettings(raw: unknown, env: NodeJS.ProcessEnv = process.env, providers?: ProviderPolicy, clients?: WorkerClients): ConnectorSettings {
  try {
    return settingsOf(raw, env, providers, clients);
  } catch (error) {
    throw typeof raw === 'object' && raw !== null ? maskedError(error, referenceMask(raw as Record<string, unknown>, env, providers)) : error;
  }
}

function settingsOf(raw: unknown, env: NodeJS.ProcessEnv, providers: ProviderPolicy | undefined, clients: WorkerClients | undefined): ConnectorSettings {
  if (!isConfluentConfig(raw)) return ownSettings(raw, env, providers, clients);
  const { internal, origin, extras, redacted } = translateConfluent(raw, env, providers, isSensitiveKey);
  try {
    return applyConfluent(ownSettings(internal, env, providers, clients, reporterClients(extras)), extras, redacted);
  } catch (error) {
    throw inConfluentTerms(error, origin, Object.keys(SPEC));
  }
}

function ownSettings(raw: unknown, env: NodeJS.ProcessEnv, providers: ProviderPolicy | undefined, clients: WorkerClients | undefined, derived: Record<string, DerivedClient> = {}): ConnectorSettings {
  const { values, secret, passthrough, transformKeys, redacted } = validate(raw, env, providers);
  const name = connectorName(values);
  const ordering = values.get('ordering');
  const recordKey = orderingKey(ordering);
  const http = httpServiceOptions(values, secret);
  const deadLetter = deadLetterOptions(name, values);
  const onError = toleranceAction(values, deadLetter);
  const rateLimit = values.number('http.rate.limit');
  return {
    name,
    tasksMax: values.number('tasks.max'),
    source: kafkaSourceOptions(name, values, passthrough, env, providers, clients, derived),
    decode: decodeSettings(values, onError),
    ordering,
    batch: {
      enabled: values.boolean('batching.enabled'),
      maxSize: values.number('batch.max.size'),
      lingerMs: values.number('batch.linger.ms'),
      keyOf: recordKey,
    },
    request: requestOptions(values),
    http,
    post: {
      authorization: authSettings(values, secret),
      policy: statusPolicy(values, onError, deadLetter.topic !== undefined),
      retry: retryOptions(values),
      concurrency: concurrencySetting(values),
      keyOf: (request) => recordKey(request.records[0]!),
      rateLimit: rateLimit > 0 ? rateLimit : undefined,
    },
    deadLetter,
    reporter: reporterOptions(values),
    transforms: parseTransforms(transformKeys),
    shutdownTimeoutMs: values.number('shutdown.timeout.ms'),
    warnings: http.transport.tls.rejectUnauthorized
      ? []
      : ['http.ssl.trust.all.certs is true: the endpoint\'s certificate and host name are NOT verified'],
    redacted,
  };
}

/** Creates what the settings describe: the converters (and registry clients), the authorizer, the limiters. */
export function buildSinkConfig(settings: ConnectorSettings): SinkConfig {
  const { authorization, concurrency, rateLimit, ...post } = settings.post;
  return {
    ...settings,
    decode: createDecodeOptions(settings.decode),
    post: {
      ...post,
      authorizer: createAuthorizer(authorization, settings.http.transport),
      concurrency: createConcurrency(concurrency),
      rateLimit: rateLimit === undefined ? undefined : tokenBucket(rateLimit),
    },
    settings,
  };
}

/** A connector file -> settings -> live components, in one step (tests and `.ts` pipelines that want both). */
export function parseConnectorConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): SinkConfig {
  return buildSinkConfig(connectorSettings(raw, env));
}

/** A key whose value is a secret: marked sensitive in its spec (ours or Confluent's), or named like one (`kafka.sasl.password`). */
export function isSensitiveKey(key: string): boolean {
  return (SPEC as ConfigSpec)[key]?.sensitive === true || isSecretKey(key) || isConfluentSecret(key);
}

interface Validated {
  values: ConnectorValues;
  secret: (key: string) => Secret | undefined;
  passthrough: Record<string, string>;
  /** `transforms.*` / `predicates.*` keys, for parseTransforms. */
  transformKeys: Record<string, unknown>;
  redacted: Record<string, unknown>;
}

function validate(raw: unknown, env: NodeJS.ProcessEnv, providers: ProviderPolicy | undefined): Validated {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(undefined, 'a connector file must be a JSON object of "key": value pairs');
  }
  const given: Record<string, unknown> = {};
  const passthrough: Record<string, string> = {};
  const transformKeys: Record<string, unknown> = {};
  const redacted = redactConfig(raw as Record<string, unknown>, isSensitiveKey);
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ConfigError(key, `must be a string, number or boolean, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
    }
    let resolved = typeof value === 'string' ? resolveReferences(key, value, env, providers) : value;
    if (isKafkaClientKey(key)) { // kafka.*, consumer.override.*, producer.override.*: the gate (native-config.ts) checks them as librdkafka reads them
      passthrough[key] = String(resolved);
    } else if (key in SPEC) {
      // A file an API connector names is checked against the allowed paths; what is read is the real path checked.
      if (typeof resolved === 'string' && PATH_KEY.test(key)) resolved = allowedFilePath(key, resolved, providers ?? TRUSTED_PROVIDERS);
      given[key] = resolved;
    } else if (isTransformKey(key)) {
      transformKeys[key] = resolved;
    } else {
      throw new ConfigError(key, `unknown key${suggestKey(key, Object.keys(SPEC))}; see docs/reference.md for the supported keys`);
    }
  }
  for (const [key, spec] of Object.entries(SPEC as ConfigSpec)) {
    if (spec.required && (given[key] === undefined || given[key] === '')) throw new ConfigError(key, `is required: ${spec.doc}`);
  }
  const get = validatedWith(SPEC, given, redacted);
  const values = configReader(get, new Set(Object.keys(given))) as ConnectorValues;
  const secret = (key: string): Secret | undefined => (get(key) === null ? undefined : new Secret(String(get(key))));
  return { values, secret, passthrough, transformKeys, redacted };
}

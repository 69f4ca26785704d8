/**
 * A connector file (Kafka Connect keys) -> a validated SinkConfig. Everything is checked before anything
 * connects; the first problem becomes one ConfigError naming the key and what is allowed.
 */
import { authConfigSpec, authorizerFrom } from '../deliver/auth/auth-config.js';
import { converterConfigSpec, type DecodeOptions, decodeOptions } from '../decode/converter-config.js';
import { registryConfigSpec } from '../decode/registry-config.js';
import { ConfigError } from '../common/errors.js';
import type { BatchOptions } from '../request/batch.js';
import type { PostOptions } from '../deliver/post.js';
import { connectorName, pipelineConfigSpec } from './pipeline-config.js';
import { httpConfigSpec, type HttpServiceOptions, httpServiceOptions, postConcurrency } from '../deliver/http-config.js';
import { proxyConfigSpec } from '../common/net/proxy-config.js';
import { rateLimitConfigSpec, tokenBucket } from '../deliver/rate-limit.js';
import { reporterConfigSpec, type ReporterOptions, reporterOptions } from '../outcomes/reporter.js';
import { tlsConfigSpec } from '../common/net/tls-config.js';
import { type OrderingMode, orderingConfigSpec, orderingKey } from '../request/ordering.js';
import { requestConfigSpec, type RequestOptions, requestOptions } from '../request/request-config.js';
import { retryConfigSpec, retryOptions } from '../deliver/retry-config.js';
import { statusPolicy, statusPolicyConfigSpec } from '../deliver/status-policy.js';
import { deadLetterConfigSpec, type DeadLetterOptions, deadLetterOptions, toleranceAction } from '../outcomes/dead-letter-config.js';
import { KAFKA_PREFIX, kafkaConfigSpec, type KafkaSourceOptions, kafkaSourceOptions } from '../source/kafka-config.js';
import { validatedWith } from '../common/config/convict-validate.js';
import { resolveReferences } from '../common/config/providers.js';
import { isSecretKey, redactConfig, Secret } from '../common/config/secret.js';
import type { ConfigSpec, ConfigValues } from '../common/config/spec.js';

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

const SPEC: ConfigSpec = Object.assign({}, ...Object.values(CONNECTOR_CONFIG_GROUPS));

export interface SinkConfig {
  readonly name: string;
  readonly source: KafkaSourceOptions;
  readonly decode: DecodeOptions;
  readonly ordering: OrderingMode;
  readonly batch: BatchOptions;
  readonly request: RequestOptions;
  readonly http: HttpServiceOptions;
  /** Everything `post` needs except the `send` function. */
  readonly post: Omit<PostOptions, 'send'>;
  /** Error logging and the dead-letter topic (`errors.*`). */
  readonly deadLetter: DeadLetterOptions;
  /** Result and error reporting topics (`reporter.*`). */
  readonly reporter: ReporterOptions;
  readonly shutdownTimeoutMs: number;
  /** Things the user should know at start (e.g. certificate checks are off). */
  readonly warnings: readonly string[];
  /** The config as given, secrets redacted: safe to log or show. */
  readonly redacted: Readonly<Record<string, unknown>>;
}

export function parseConnectorConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): SinkConfig {
  const { values, secret, passthrough, redacted } = validate(raw, env);
  const name = connectorName(values);
  const ordering = values.string('ordering') as OrderingMode;
  const recordKey = orderingKey(ordering);
  const http = httpServiceOptions(values, secret);
  const deadLetter = deadLetterOptions(name, values);
  const onError = toleranceAction(values, deadLetter);
  return {
    name,
    source: kafkaSourceOptions(name, values, passthrough, env),
    decode: decodeOptions(values, onError),
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
      authorizer: authorizerFrom(values, secret, http.transport),
      policy: statusPolicy(values, onError, deadLetter.topic !== undefined),
      retry: retryOptions(values),
      concurrency: postConcurrency(values),
      keyOf: (request) => recordKey(request.records[0]!),
      rateLimit: values.number('http.rate.limit') > 0 ? tokenBucket(values.number('http.rate.limit')) : undefined,
    },
    deadLetter,
    reporter: reporterOptions(values),
    shutdownTimeoutMs: values.number('shutdown.timeout.ms'),
    warnings: http.transport.tls.rejectUnauthorized
      ? []
      : ['http.ssl.trust.all.certs is true: the endpoint\'s certificate and host name are NOT verified'],
    redacted,
  };
}

/** A key whose value is a secret: marked sensitive in its spec, or named like one (`kafka.sasl.password`). */
export function isSensitiveKey(key: string): boolean {
  return SPEC[key]?.sensitive === true || isSecretKey(key);
}

interface Validated {
  values: ConfigValues;
  secret: (key: string) => Secret | undefined;
  passthrough: Record<string, string>;
  redacted: Record<string, unknown>;
}

function validate(raw: unknown, env: NodeJS.ProcessEnv): Validated {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(undefined, 'a connector file must be a JSON object of "key": value pairs');
  }
  const given: Record<string, unknown> = {};
  const passthrough: Record<string, string> = {};
  const redacted = redactConfig(raw as Record<string, unknown>, isSensitiveKey);
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ConfigError(key, `must be a string, number or boolean, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
    }
    const resolved = typeof value === 'string' ? resolveReferences(key, value, env) : value;
    if (key.startsWith(KAFKA_PREFIX)) {
      passthrough[key] = String(resolved);
    } else if (key in SPEC) {
      given[key] = resolved;
    } else {
      throw new ConfigError(key, `unknown key${suggest(key)}; see the README for the supported keys`);
    }
  }
  for (const [key, spec] of Object.entries(SPEC)) {
    if (spec.required && (given[key] === undefined || given[key] === '')) throw new ConfigError(key, `is required: ${spec.doc}`);
  }
  const get = validatedWith(SPEC, given, redacted);
  const values: ConfigValues = {
    string: (key) => String(get(key)),
    optionalString: (key) => (get(key) === null ? undefined : String(get(key))),
    number: (key) => get(key) as number,
    boolean: (key) => get(key) as boolean,
    isSet: (key) => key in given,
  };
  const secret = (key: string): Secret | undefined => (get(key) === null ? undefined : new Secret(String(get(key))));
  return { values, secret, passthrough, redacted };
}

function suggest(key: string): string {
  let best: string | undefined;
  let bestDistance = 4;
  for (const known of Object.keys(SPEC)) {
    const d = distance(key, known);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean ${best}?)` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

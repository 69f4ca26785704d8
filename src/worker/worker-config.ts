/**
 * The worker's own settings, from the environment (the CLI's flags override them): where the REST API listens,
 * how it is protected, where API-created connectors are kept and which pipeline files it runs. Declared as a
 * spec like the connector keys, validated with convict, and rendered into the README's worker table.
 */
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { validatedWith } from '../common/config/convict-validate.js';
import { int, str } from '../common/config/formats.js';
import { PROVIDERS, type ProviderName, type ProviderPolicy } from '../common/config/providers.js';
import { Secret } from '../common/config/secret.js';
import type { ConfigSpec } from '../common/config/spec.js';
import { ConfigError } from '../common/errors.js';
import { type ClusterOptions, clusterOptions } from './cluster/cluster-config.js';
import { OVERRIDE_POLICY_KEY, type WorkerClients, workerClients } from '../source/worker-clients.js';

export const workerConfigSpec = {
  WORKER_HOST: {
    doc: 'Address the REST API binds to. Anything but loopback needs `WORKER_API_TOKEN` or `WORKER_BASIC_AUTH`.',
    format: str(),
    default: '127.0.0.1',
  },
  WORKER_PORT: { doc: "REST API port (Kafka Connect's); 0 picks a free one.", format: int(0, 65535), default: 8083 },
  WORKER_STATE_DIR: {
    doc: 'Where connectors created through the API, paused states and deleted pipeline files are kept (`connectors.json`, owner-only).',
    format: str(),
    default: '.worker',
  },
  WORKER_PIPELINES_DIR: { doc: 'Connector files (`.json`, Kafka Connect `.properties`, `.ts`, `.js`) run at start.', format: str(), default: 'pipelines' },
  WORKER_API_TOKEN: {
    doc: 'When set, every request but `/health` and `/ready` needs `Authorization: Bearer <token>` (or the basic-auth user). Browsers cannot send it: for the status page, set `WORKER_BASIC_AUTH` too.',
    format: str(),
    default: null,
    sensitive: true,
  },
  WORKER_BASIC_AUTH: {
    doc: '`user:password`; when set, requests may authenticate with `Authorization: Basic` (browsers prompt for it, so the status page works).',
    format: str(),
    default: null,
    sensitive: true,
  },
  WORKER_STATISTICS_INTERVAL_MS: {
    doc: "How often librdkafka reports statistics (the consumer lag metric), ms; a connector file's `kafka.statistics.interval.ms` wins.",
    format: int(100, 3_600_000),
    default: 5000,
  },
  WORKER_TASKS_MAX_PER_CONNECTOR: {
    doc: "Most task processes this worker runs for one connector (standalone). `tasks.max` is a maximum, as in Kafka Connect: a connector asking more runs this many tasks, and the worker logs a line saying so. Unset: the number of cores (`os.availableParallelism()`). It does not apply in cluster mode, where tasks run inside the workers that own their task slots.",
    format: int(1, 1024),
    default: null,
  },
  WORKER_TASKS_MAX: {
    doc: "Most task processes this worker runs for all its connectors together (standalone). A connector starting when the others hold them runs fewer tasks (down to one, inside the worker) and the worker logs a line saying so; no REST client can make it start more. Unset: twice the number of cores.",
    format: int(1, 4096),
    default: null,
  },
  WORKER_CONNECTORS_MAX: {
    doc: "Most connectors this worker keeps (those of its pipelines directory count too). Each holds a Kafka consumer, its threads and its prefetch memory, so a REST client may not add them without bound: past it, `POST /connectors` and a `PUT .../config` that would create one answer 400 naming this variable.",
    format: int(1, 100_000),
    default: 256,
  },
  WORKER_STUCK_TIMEOUT_MS: {
    doc: "How long a connector's start, stop or restart may take (keep it above the connectors' `shutdown.timeout.ms`). Past it `/health` answers 500 (`unhealthy`, saying how many connectors are stuck), and a stopping worker stops waiting for it: SIGTERM ends the worker within this bound plus 1 s even while a connector is stuck starting (when a blocked native thread would hold the exit, the process ends by SIGTERM's default action).",
    format: int(100, 3_600_000),
    default: 120_000,
  },
  WORKER_CONFIG_PROVIDERS: {
    doc: "Kafka Connect's `config.providers`: the providers (`env`, `file`, comma-separated) that connectors created through the REST API may use in `${provider:...}` references. Unset: none, and such a config is refused with a 400 naming the key (files in the pipelines directory or given to `run` always resolve).",
    format: str(),
    default: null,
  },
  WORKER_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: {
    doc: "Kafka Connect's `config.providers.file.param.allowed.paths` (KIP-993): absolute directories (or files), comma-separated, that `${file:...}` may read from for API-created connectors; a path outside them or with `..` is refused. Unset: any path, as in Connect.",
    format: str(),
    default: null,
  },
  WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN: {
    doc: "Kafka Connect's `config.providers.env.param.allowlist.pattern` (KIP-887): a regular expression an environment variable's whole name must match for `${env:...}` in API-created connectors. Unset: any variable, as in Connect.",
    format: str(),
    default: null,
  },
} satisfies ConfigSpec;

/** Kafka Connect's worker keys for these settings, as a worker properties file names them. */
const CONNECT_WORKER_KEYS: Readonly<Record<string, WorkerKey>> = {
  'config.providers': 'WORKER_CONFIG_PROVIDERS',
  'config.providers.file.param.allowed.paths': 'WORKER_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS',
  'config.providers.env.param.allowlist.pattern': 'WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN',
  'rest.host.name': 'WORKER_HOST',
  'rest.port': 'WORKER_PORT',
};

export interface WorkerAuth {
  /** `Authorization: Bearer <token>`. */
  readonly token?: Secret;
  /** `Authorization: Basic` with this user and password (what a browser prompts for). */
  readonly basic?: { readonly user: string; readonly password: Secret };
}

export interface WorkerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Holds `connectors.json`: API-created connectors, every connector's paused state, deleted pipeline files. */
  readonly stateDir: string;
  /** Every `.json`/`.ts` pipeline here runs at start; undefined runs none. */
  readonly pipelinesDir: string | undefined;
  readonly auth: WorkerAuth;
  /** librdkafka statistics interval (consumer lag), ms. */
  readonly statisticsIntervalMs: number;
  /** The config references connectors created through the API may resolve (default: none). */
  readonly providers: ProviderPolicy;
  /** Most task processes one connector may run (`tasks.max`, standalone); default the number of cores. */
  readonly tasksMaxPerConnector?: number;
  /** Most task processes of all connectors together (standalone); default twice the number of cores. */
  readonly tasksMax?: number;
  /** Most connectors the worker keeps (`WORKER_CONNECTORS_MAX`). */
  readonly maxConnectors?: number;
  /** A connector operation (start, stop) longer than this makes `/health` unhealthy and is not awaited at close. */
  readonly stuckTimeoutMs?: number;
  /** Cluster mode (the worker file has `group.id`): config and status topics; undefined runs standalone. */
  readonly cluster?: ClusterOptions;
  /**
   * The worker file's settings for its connectors' Kafka clients (`bootstrap.servers`, security, `consumer.*`,
   * `producer.*`) and its override policy; undefined without a worker file (`KAFKA_BOOTSTRAP_SERVERS`, any override).
   */
  readonly clients?: WorkerClients;
}

type WorkerKey = keyof typeof workerConfigSpec;

/**
 * The worker's options from its environment variables; `properties` holds Kafka Connect worker keys (a worker
 * properties file, see `CONNECT_WORKER_KEYS`), used where the variable is unset. `overrides` (the CLI's flags) win.
 */
export function workerOptions(env: NodeJS.ProcessEnv, overrides: Partial<WorkerOptions> = {}, properties: Readonly<Record<string, string>> = {}): WorkerOptions {
  const get = workerSettings({ ...fromConnectKeys(properties), ...fromListeners(properties), ...definedOnly(env) });
  const options: WorkerOptions = {
    host: String(get('WORKER_HOST')),
    port: Number(get('WORKER_PORT')),
    stateDir: resolve(String(get('WORKER_STATE_DIR'))),
    pipelinesDir: resolve(String(get('WORKER_PIPELINES_DIR'))),
    auth: authFrom(get('WORKER_API_TOKEN') as string | null, get('WORKER_BASIC_AUTH') as string | null),
    statisticsIntervalMs: Number(get('WORKER_STATISTICS_INTERVAL_MS')),
    tasksMaxPerConnector: (get('WORKER_TASKS_MAX_PER_CONNECTOR') as number | null) ?? availableParallelism(),
    tasksMax: (get('WORKER_TASKS_MAX') as number | null) ?? 2 * availableParallelism(),
    stuckTimeoutMs: Number(get('WORKER_STUCK_TIMEOUT_MS')),
    maxConnectors: Number(get('WORKER_CONNECTORS_MAX')),
    providers: providerPolicy(
      get('WORKER_CONFIG_PROVIDERS') as string | null,
      get('WORKER_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS') as string | null,
      get('WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN') as string | null,
    ),
    cluster: clusterOptions(properties, env),
    ...(Object.keys(properties).length > 0 ? { clients: workerClients(properties, env) } : {}),
    ...overrides,
  };
  checkExposure(options);
  return options;
}

/** The spec's variables read from `env` (an empty one counts as unset) and validated; a bad one is a ConfigError naming it. */
function workerSettings(env: Readonly<Record<string, string | undefined>>): (key: WorkerKey) => unknown {
  return validatedWith(workerConfigSpec, Object.fromEntries(Object.keys(workerConfigSpec).flatMap((key) => (env[key] ? [[key, env[key]]] : []))));
}

function fromConnectKeys(properties: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).flatMap(([key, value]) => (CONNECT_WORKER_KEYS[key] ? [[CONNECT_WORKER_KEYS[key], value]] : [])));
}

/**
 * Connect's `listeners` (`http://host:port`, comma-separated; it wins over `rest.host.name`/`rest.port`): the first
 * one's host and port. An empty host binds every interface, as in Connect; an `https` listener is refused (the REST
 * API here serves plain HTTP: put a TLS proxy in front).
 */
function fromListeners(properties: Readonly<Record<string, string>>): Record<string, string> {
  const text = properties.listeners?.trim();
  if (!text) return {};
  const first = text.split(',')[0]!.trim();
  const match = /^([a-zA-Z]+):\/\/(\[[^\]]*\]|[^:/]*):(\d+)\/?$/.exec(first);
  if (!match) throw new ConfigError('listeners', `${first} is not protocol://host:port (for example http://0.0.0.0:8083)`);
  const [, protocol, host, port] = match as unknown as [string, string, string, string];
  if (protocol.toLowerCase() !== 'http') throw new ConfigError('listeners', `${protocol} listeners are not supported: the REST API serves http (put a TLS proxy in front); got ${first}`);
  return { WORKER_HOST: host === '' ? '0.0.0.0' : host.replace(/^\[(.*)\]$/, '$1'), WORKER_PORT: port };
}

/** Worker-file keys read elsewhere: cluster mode's (cluster-config.ts), the clients' (worker-clients.ts), and `listeners`. */
const MEANINGFUL = /^(group\.id|bootstrap\.servers|(consumer|producer)\..+|(config|status|offset)\.storage\.(topic|replication\.factor)|heartbeat\.interval\.ms|session\.timeout\.ms|rebalance\.timeout\.ms|task\.slots(\.topic)?|rest\.advertised\.(host\.name|port)|listeners|security\.protocol|sasl\..+|ssl\..+)$/;

/** Kafka Connect worker keys that mean nothing here, and why (the worker starts; each is logged as a warning). */
const IGNORED: readonly [RegExp, string][] = [
  [/^plugin\.path$|^plugin\.discovery$/, 'there are no plugins to load: the HTTP sink is built in'],
  [/^(key|value|header)\.converter(\..+)?$|^internal\.(key|value)\.converter(\..+)?$/, 'worker-level converter defaults are not applied: set key.converter/value.converter in each connector config'],
  [/^offset\.flush\.(interval|timeout)\.ms$/, 'set offset.flush.interval.ms in each connector config (sinks commit per connector)'],
  [/^(offset|status)\.storage\.partitions$/, 'sinks keep offsets in the consumer group connect-<name>; the status topic is created with one partition'],
  [/^admin\..+$/, 'the one topic a connector creates (its dead-letter topic, with errors.deadletterqueue.topic.replication.factor) is created with the producer\'s settings (producer.*)'],
  [/^(connect\.protocol|scheduled\.rebalance\.max\.delay\.ms|worker\.sync\.timeout\.ms|worker\.unsync\.backoff\.ms|task\.shutdown\.graceful\.timeout\.ms|exactly\.once\.source\.support|metric\.reporters|metrics\..+|client\.id|rest\.extension\.classes|access\.control\..+|response\.http\.headers\.config|admin\.listeners|rest\.advertised\.listener|topic\.creation\.enable|config\.providers\.(file|env)\.class|config\.storage\.partitions)$/, "a Java worker setting with no counterpart here (task slots are assigned by the workers' group on Kafka's coordinator, see docs/cluster.md)"],
];

/**
 * One warning per worker-file key this worker does not use, saying why; never silently misread. A key it maps
 * (`CONNECT_WORKER_KEYS`, cluster and security keys, `listeners`) gives none.
 */
export function workerFileWarnings(properties: Readonly<Record<string, string>>): string[] {
  const warnings: string[] = [];
  for (const key of Object.keys(properties)) {
    if (CONNECT_WORKER_KEYS[key] || MEANINGFUL.test(key) || key === OVERRIDE_POLICY_KEY || /^config\.providers\./.test(key)) continue;
    const reason = IGNORED.find(([pattern]) => pattern.test(key))?.[1];
    warnings.push(`worker file key ${key} is ignored: ${reason ?? 'not a key this worker knows (a typo?)'}`);
  }
  if (properties.listeners && (properties['rest.host.name'] || properties['rest.port'])) warnings.push('worker file sets listeners and rest.host.name/rest.port: listeners wins, as in Kafka Connect');
  return warnings;
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).flatMap(([key, value]) => (value ? [[key, value]] : [])));
}

/** The policy for API-created connectors' references: Connect's three provider keys, checked here so a typo stops the worker. */
export function providerPolicy(providers: string | null, allowedPaths: string | null, envPattern: string | null): ProviderPolicy {
  const names = (providers ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  for (const name of names) {
    if (!(PROVIDERS as readonly string[]).includes(name)) throw new ConfigError('WORKER_CONFIG_PROVIDERS', `unknown config provider ${name}; supported: ${PROVIDERS.join(', ')}`);
  }
  const paths = allowedPaths?.split(',').map((p) => p.trim()).filter((p) => p !== '');
  for (const path of paths ?? []) {
    if (!isAbsolute(path)) throw new ConfigError('WORKER_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS', `${path} is not an absolute path`);
  }
  let pattern: RegExp | undefined;
  if (envPattern) {
    try {
      pattern = new RegExp(`^(?:${envPattern})$`);
    } catch (error) {
      throw new ConfigError('WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN', `is not a regular expression: ${(error as Error).message}`);
    }
  }
  return {
    providers: new Set(names as ProviderName[]),
    allowedPaths: paths,
    envPattern: pattern,
    setBy: {
      providers: 'WORKER_CONFIG_PROVIDERS, Connect\'s config.providers',
      allowedPaths: 'WORKER_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS, Connect\'s config.providers.file.param.allowed.paths',
      envPattern: 'WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN, Connect\'s config.providers.env.param.allowlist.pattern',
    },
  };
}

function authFrom(token: string | null, basicText: string | null): WorkerAuth {
  const bearer = token ? new Secret(token) : undefined;
  if (!basicText) return { token: bearer };
  const split = basicText.indexOf(':');
  if (split <= 0) throw new ConfigError('WORKER_BASIC_AUTH', 'must be user:password');
  return { token: bearer, basic: { user: basicText.slice(0, split), password: new Secret(basicText.slice(split + 1)) } };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Off loopback, anyone on the network could create a connector that posts data anywhere: require credentials. */
export function checkExposure(options: Pick<WorkerOptions, 'host' | 'auth'>): void {
  if (isLoopback(options.host) || options.auth.token || options.auth.basic) return;
  throw new ConfigError('WORKER_HOST', `binding the REST API to ${options.host} needs WORKER_API_TOKEN or WORKER_BASIC_AUTH`);
}

/** The README's table of the worker's environment variables, from the spec. */
export function renderWorkerTable(): string {
  const rows = Object.entries(workerConfigSpec).map(([key, spec]: [string, ConfigSpec[string]]) => {
    const fallback = spec.default === null ? '—' : `\`${String(spec.default)}\``;
    return `| \`${key}\` | ${fallback} | ${spec.doc.replaceAll('|', '\\|')}${spec.sensitive ? ' *(secret)*' : ''} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

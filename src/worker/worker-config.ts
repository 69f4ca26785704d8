/**
 * The worker's own settings, from the environment (the CLI's flags override them): where the REST API listens,
 * how it is protected, where API-created connectors are kept and which pipeline files it runs. Declared as a
 * spec like the connector keys, validated with convict, and rendered into the README's worker table.
 */
import { resolve } from 'node:path';
import { validatedWith } from '../common/config/convict-validate.js';
import { int, str } from '../common/config/formats.js';
import { Secret } from '../common/config/secret.js';
import type { ConfigSpec } from '../common/config/spec.js';
import { ConfigError } from '../common/errors.js';

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
  WORKER_PIPELINES_DIR: { doc: 'Connector files (`.json`, `.ts`, `.js`) run at start.', format: str(), default: 'pipelines' },
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
} satisfies ConfigSpec;

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
}

type WorkerKey = keyof typeof workerConfigSpec;

export function workerOptions(env: NodeJS.ProcessEnv, overrides: Partial<WorkerOptions> = {}): WorkerOptions {
  const get = workerSettings(env);
  const options: WorkerOptions = {
    host: String(get('WORKER_HOST')),
    port: Number(get('WORKER_PORT')),
    stateDir: resolve(String(get('WORKER_STATE_DIR'))),
    pipelinesDir: resolve(String(get('WORKER_PIPELINES_DIR'))),
    auth: authFrom(get('WORKER_API_TOKEN') as string | null, get('WORKER_BASIC_AUTH') as string | null),
    statisticsIntervalMs: Number(get('WORKER_STATISTICS_INTERVAL_MS')),
    ...overrides,
  };
  checkExposure(options);
  return options;
}

/** The spec's variables read from `env` (an empty one counts as unset) and validated; a bad one is a ConfigError naming it. */
function workerSettings(env: NodeJS.ProcessEnv): (key: WorkerKey) => unknown {
  return validatedWith(workerConfigSpec, Object.fromEntries(Object.keys(workerConfigSpec).flatMap((key) => (env[key] ? [[key, env[key]]] : []))));
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

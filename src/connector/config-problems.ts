/**
 * Every problem of a connector config, each with its key (`validate`, the REST API's validate endpoint), where
 * `connectorSettings` stops at the first. Each round reads the config (no client or agent is created), notes the problem found, and takes the
 * offending key out (or puts a harmless stand-in for a key that must be present) before the next round.
 */
import { ConfigError, errorMessage, printable } from '../common/errors.js';
import { type ProviderPolicy, referenceCount } from '../common/config/providers.js';
import { connectorSettings } from './connector-config.js';
import type { WorkerClients } from '../source/worker-clients.js';
import { isTransformKey, withoutTransformProblem } from '../transform/transform-config.js';

export interface ConfigProblem {
  /** The key at fault; undefined for the file as a whole. */
  readonly key: string | undefined;
  /** What is wrong, without the key. */
  readonly message: string;
}

/** Stand-ins for keys a config cannot do without, so that the rounds after a problem with them can go on. */
const STAND_INS: Readonly<Record<string, string>> = {
  name: 'validating',
  topics: 'validating',
  'http.url': 'http://127.0.0.1/',
  'http.api.url': 'http://127.0.0.1/', // Confluent's class
  'http.authorization.type': 'none',
};

/** At most this many problems are listed: each round re-reads the whole config, so a config with thousands of bad keys must not take seconds. */
export const MAX_PROBLEMS = 50;

/**
 * At most this many keys in a config (a REST body may hold 1 MB): the rounds re-read the whole config, so 40,000
 * keys held the worker's event loop (its connectors, `/health`) for many seconds per request.
 */
export const MAX_CONFIG_KEYS = 1000;
/** At most this many `${...}` references in a config: each one is resolved (a file read) in every round and mask. */
const MAX_REFERENCES = 100;

/**
 * `providers`: the references the config may resolve (default: all); one it may not is a problem of its key. `clients`:
 * the worker's client settings, whose override policy may refuse a client key.
 */
export function configProblems(raw: unknown, env: NodeJS.ProcessEnv = process.env, providers?: ProviderPolicy, clients?: WorkerClients): ConfigProblem[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return firstProblem(raw, env, providers, clients);
  const count = Object.keys(raw).length;
  if (count > MAX_CONFIG_KEYS) return [{ key: undefined, message: `the config holds ${count} keys; a connector config may hold at most ${MAX_CONFIG_KEYS}` }];
  const references = Object.values(raw).reduce<number>((sum, value) => sum + (typeof value === 'string' ? referenceCount(value) : 0), 0);
  if (references > MAX_REFERENCES) return [{ key: undefined, message: `the config holds ${references} \${...} references; a connector config may hold at most ${MAX_REFERENCES}` }];
  const working: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  const problems: ConfigProblem[] = [];
  const stoodIn = new Set<string>();
  const maxRounds = Math.min(Object.keys(working).length, MAX_PROBLEMS) + Object.keys(STAND_INS).length + 2;
  for (let round = 0; round < maxRounds; round++) {
    const problem = firstProblem(working, env, providers, clients)[0];
    if (problem === undefined) break;
    if (problems.length >= MAX_PROBLEMS) {
      problems.push({ key: undefined, message: `only the first ${MAX_PROBLEMS} problems are listed: fix them and validate again` });
      break;
    }
    const { key } = problem;
    if (!problems.some((p) => p.key === key && p.message === problem.message)) problems.push(problem);
    if (key === undefined || stoodIn.has(key)) break;
    const standIn = STAND_INS[key];
    if (isTransformKey(key)) {
      const rest = withoutTransformProblem(working, key);
      for (const k of Object.keys(working)) if (!(k in rest)) delete working[k];
      Object.assign(working, rest);
    } else if (standIn !== undefined) {
      working[key] = standIn;
      stoodIn.add(key);
    } else if (key in working) {
      delete working[key];
    } else {
      break;
    }
  }
  return problems;
}

function firstProblem(raw: unknown, env: NodeJS.ProcessEnv, providers: ProviderPolicy | undefined, clients: WorkerClients | undefined): ConfigProblem[] {
  try {
    connectorSettings(raw, env, providers, clients);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) {
      const prefix = error.key === undefined ? '' : `${printable(error.key)}: `;
      return [{ key: error.key, message: error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message }];
    }
    return [{ key: undefined, message: errorMessage(error) }];
  }
}

/** A config sent to the worker's API, checked as Kafka Connect checks one: every problem listed in one 400. */
import type { ProviderPolicy } from '../common/config/providers.js';
import { type ConfigProblem, configProblems } from '../connector/config-problems.js';
import { ApiError } from './api-error.js';
import { tasksMaxOf } from './cluster/assignment.js';

/** The worker setting that caps `tasks.max` (named in the refusals). */
export const TASKS_MAX_CAP_KEY = 'WORKER_TASKS_MAX_PER_CONNECTOR';

/** Why a config's `tasks.max` is more task processes than the worker runs per connector; undefined when within `cap`. */
export function tasksMaxOverCap(config: Readonly<Record<string, unknown>>, cap: number | undefined): string | undefined {
  const tasks = tasksMaxOf(config);
  if (cap === undefined || !Number.isInteger(tasks) || tasks <= cap) return undefined;
  return `${tasks} is more than the ${cap} task processes this worker runs per connector (${TASKS_MAX_CAP_KEY})`;
}

/**
 * The config with its name, or a 400 listing every problem, as Kafka Connect answers an invalid config. A
 * reference the worker's `providers` do not allow is a problem of its key, refused before anything is resolved.
 */
export function checked(name: string, config: Record<string, unknown>, env: NodeJS.ProcessEnv, providers: ProviderPolicy, tasksMaxCap?: number): Record<string, unknown> {
  if (config.name !== undefined && config.name !== name) throw new ApiError(400, `Connector name ${String(config.name)} in the config does not match ${name}`);
  const withName = { ...config, name };
  const problems = withCap(configProblems(withName, env, providers), withName, tasksMaxCap);
  if (problems.length > 0) {
    const lines = problems.map((p) => (p.key === undefined ? p.message : `${p.key}: ${p.message}`));
    throw new ApiError(400, `Connector configuration is invalid and contains the following ${problems.length} error(s):\n${lines.join('\n')}`);
  }
  return withName;
}

/** `problems` and, when `tasks.max` is over the worker's cap (and not already a problem), that one. */
export function withCap(problems: ConfigProblem[], config: Readonly<Record<string, unknown>>, cap: number | undefined): ConfigProblem[] {
  const over = problems.some((p) => p.key === 'tasks.max') ? undefined : tasksMaxOverCap(config, cap);
  return over === undefined ? problems : [...problems, { key: 'tasks.max', message: over }];
}

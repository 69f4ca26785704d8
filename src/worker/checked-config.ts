/** A config sent to the worker's API, checked as Kafka Connect checks one: every problem listed in one 400. */
import type { ProviderPolicy } from '../common/config/providers.js';
import { configProblems } from '../connector/config-problems.js';
import { printable } from '../common/errors.js';
import { connectorNameProblem } from '../connector/pipeline-config.js';
import type { WorkerClients } from '../source/worker-clients.js';
import { ApiError } from './api-error.js';

/**
 * The config with its name, or a 400 listing every problem, as Kafka Connect answers an invalid config. A
 * reference the worker's `providers` do not allow is a problem of its key, refused before anything is resolved; so is
 * a client key the worker's override policy (`clients`) refuses.
 */
export function checked(name: string, config: Record<string, unknown>, env: NodeJS.ProcessEnv, providers: ProviderPolicy, clients?: WorkerClients): Record<string, unknown> {
  const nameProblem = connectorNameProblem(name);
  if (nameProblem !== undefined) throw new ApiError(400, `Connector name ${nameProblem}`);
  if (config.name !== undefined && config.name !== name) throw new ApiError(400, `Connector name ${String(config.name)} in the config does not match ${name}`);
  const withName = { ...config, name };
  const problems = configProblems(withName, env, providers, clients);
  if (problems.length > 0) {
    const lines = problems.map((p) => (p.key === undefined ? p.message : `${printable(p.key)}: ${p.message}`));
    throw new ApiError(400, `Connector configuration is invalid and contains the following ${problems.length} error(s):\n${lines.join('\n')}`);
  }
  return withName;
}

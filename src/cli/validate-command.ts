/** `kafka-http-sink validate <file>`: every problem of a connector file, each with its key; nothing connects. */
import { configProblems } from '../connector/config-problems.js';
import { errorMessage } from '../common/errors.js';
import { isConnectorFile, loadPipeline, readConnectorFile, resolvePipelinePath } from '../connector/loadPipeline.js';

export async function validateCommand(target: string, env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  let connector: Record<string, unknown>;
  try {
    const path = resolvePipelinePath(target);
    connector = isConnectorFile(path) ? readConnectorFile(path) : { ...(await loadPipeline(path)).connector };
  } catch (error) {
    out(`${target}: ${errorMessage(error)}`);
    return 2;
  }
  const problems = configProblems(connector, env);
  if (problems.length === 0) {
    out(`${target}: valid (connector ${String(connector.name)})`);
    return 0;
  }
  for (const p of problems) out(`${target}: ${p.key === undefined ? '' : `${p.key}: `}${p.message}`);
  out(`${target}: ${problems.length} problem(s)`);
  return 2;
}

/**
 * `npm run pipeline -- <name|file>`: runs one pipeline until SIGINT/SIGTERM (exit 0) or a failure (exit 1).
 * A bad config prints one line naming the key and exits 2 before anything connects.
 */
import { whatToDo } from '../common/error-hints.js';
import { ConfigError, errorMessage } from '../common/errors.js';
import { createLogger } from '../common/log.js';
import { loadPipeline, resolvePipelinePath } from '../connector/loadPipeline.js';
import { startPipeline } from '../connector/startPipeline.js';
import { connectorSettings } from '../connector/connector-config.js';
import { runTasks } from './run-tasks.js';

export async function runFromCommandLine(target: string | undefined): Promise<number> {
  if (!target) {
    process.stderr.write('usage: npm run pipeline -- <name in pipelines/ | path to a connector .json or pipeline .ts>\n');
    return 2;
  }
  const log = createLogger();
  try {
    const path = resolvePipelinePath(target);
    const definition = await loadPipeline(path);
    const settings = connectorSettings(definition.connector); // a bad file stops here, before any task starts
    if (settings.tasksMax > 1) return await runTasks(definition, path, settings, log);
    const running = await startPipeline(definition, { log });
    const onSignal = (signal: string): void => {
      log.info(`${signal} received`);
      void running.stop();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    await running.done;
    log.info('pipeline stopped cleanly', { committed: Object.fromEntries(running.stats().committed) });
    return 0;
  } catch (error) {
    return reportFailure(error);
  }
}

/** One line on stderr; exit code 2 for a bad config (nothing connected), 1 for anything else. */
export function reportFailure(error: unknown): number {
  if (error instanceof ConfigError) {
    process.stderr.write(`config error: ${error.message}\n`);
    return 2;
  }
  const hint = whatToDo(error);
  process.stderr.write(`error: ${errorMessage(error)}${hint ? ` (what to do: ${hint})` : ''}\n`);
  return 1;
}

/**
 * `run` of a connector with `tasks.max=N` (N > 1): N task processes of it, each with its own consumer in the
 * connector's group (Kafka spreads the partitions over them, every core is used). The worker's task processes
 * (worker/task-processes.ts) run them: one supervisor for both, with the same restarts (1 s doubling to 60 s), the
 * same stop (SIGTERM once, each task drains and commits; SIGKILL past `shutdown.timeout.ms` plus a margin) and the
 * same task command. SIGINT/SIGTERM stops every task; the command exits once all have ended.
 */
import { TRUSTED_PROVIDERS } from '../common/config/providers.js';
import type { Logger } from '../common/log.js';
import type { ConnectorSettings } from '../connector/connector-settings.js';
import { connectorPipeline, type PipelineDefinition } from '../connector/definePipeline.js';
import type { PipelineObserver } from '../connector/observe.js';
import { startTaskProcesses } from '../worker/task-processes.js';

/** `run` reports nothing per task: each task logs for itself. */
const UNOBSERVED: PipelineObserver = { read: () => undefined, requested: () => undefined, finished: () => undefined, failed: () => undefined, statistics: () => undefined, committed: () => undefined };

/** Runs the tasks until SIGINT/SIGTERM (resolves 0 once every task ended); rejects when every task refused its config. */
export async function runTasks(definition: PipelineDefinition, path: string, settings: ConnectorSettings, log: Logger): Promise<number> {
  let onSignal!: (signal: NodeJS.Signals) => void;
  const signalled = new Promise<void>((resolve) => {
    onSignal = (signal) => {
      log.info(`${signal} received: stopping every task (each drains and commits)`);
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  // listening first: a signal while the tasks start stops them as soon as they are up
  const tasks = await startTaskProcesses({
    config: definition.connector,
    settings,
    ...(definition.build === connectorPipeline ? {} : { file: path }),
    providers: TRUSTED_PROVIDERS, // the operator's own file, as a single `run` resolves it
    env: process.env,
    log,
    observer: () => UNOBSERVED,
    statisticsIntervalMs: 60_000,
    held: () => false,
  });
  try {
    await Promise.race([signalled, tasks.done]);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await tasks.stop();
  }
  return 0;
}

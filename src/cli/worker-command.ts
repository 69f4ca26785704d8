/** `kafka-http-sink worker`: a worker until SIGINT/SIGTERM, then every connector stops gracefully. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseProperties } from '../common/config/providers.js';
import { ConfigError } from '../common/errors.js';
import { createLogger } from '../common/log.js';
import { startWorker } from '../worker/worker.js';
import { type WorkerOptions, workerFileWarnings, workerOptions } from '../worker/worker-config.js';

/** The worker's flags as option overrides; a flag it does not know is a ConfigError. */
export function workerFlags(args: readonly string[]): Partial<WorkerOptions> {
  const overrides: { -readonly [K in keyof WorkerOptions]?: WorkerOptions[K] } = {};
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new ConfigError(flag, 'needs a value');
      return next;
    };
    if (flag === '--host') overrides.host = value();
    else if (flag === '--port') overrides.port = Number(value());
    else if (flag === '--state-dir') overrides.stateDir = resolve(value());
    else if (flag === '--pipelines-dir') overrides.pipelinesDir = resolve(value());
    else if (flag === '--no-pipelines') overrides.pipelinesDir = undefined;
    else throw new ConfigError(flag, 'unknown option; see kafka-http-sink worker --help');
  }
  if (overrides.port !== undefined && (!Number.isInteger(overrides.port) || overrides.port < 0 || overrides.port > 65535)) {
    throw new ConfigError('--port', 'must be a port number from 0 to 65535');
  }
  return overrides;
}

export async function workerCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  // A Kafka Connect worker properties file first (`worker.properties`; with `group.id` the worker joins a cluster).
  const file = args[0] !== undefined && !args[0].startsWith('-') ? args[0] : undefined;
  const properties = file === undefined ? {} : Object.fromEntries(parseProperties(readFileSync(file, 'utf8')));
  const options = workerOptions(env, workerFlags(file === undefined ? args : args.slice(1)), properties);
  const log = createLogger();
  for (const warning of workerFileWarnings(properties)) log.warn(warning, { file });
  const worker = await startWorker(options, { env, log });
  process.stdout.write(`worker listening on ${worker.url} (status page ${worker.url}/ui, metrics ${worker.url}/metrics)\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  log.info('stopping the worker: every connector drains and commits');
  await worker.close(); // bounded by WORKER_STUCK_TIMEOUT_MS
  if (worker.abandoned().length > 0) {
    // A connector abandoned while stuck holds a native thread, and the process's exit waits for that thread (for as
    // long as it blocks): if the process is still alive 1 s from now, it ends as SIGTERM ends an unhandled process.
    setTimeout(() => {
      process.removeAllListeners('SIGTERM');
      process.kill(process.pid, 'SIGTERM');
    }, 1000).unref();
  }
  return 0;
}

/** Starts a worker in-process against the test broker, and calls its REST API as a client would. */
import { afterEach } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningPipeline, startPipeline } from '../../src/connector/startPipeline.js';
import { startWorker, type Worker, type WorkerRunOptions } from '../../src/worker/worker.js';
import { workerOptions, type WorkerOptions } from '../../src/worker/worker-config.js';
import { bootstrap, captureLog, type CapturedLog } from './harness.js';

export interface ApiAnswer {
  status: number;
  /** Parsed JSON, or the text when the body is not JSON; undefined when empty. */
  body: unknown;
  text: string;
}

export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'worker-state-'));
}

export async function startTestWorker(
  options: Partial<WorkerOptions> = {},
  env: Record<string, string> = {},
  captured: CapturedLog = captureLog(),
  start: typeof startPipeline = startPipeline,
  run: Partial<WorkerRunOptions> = {},
): Promise<Worker> {
  // As the README tells a user running the seed: the seed's `${env:SERVER_URL}` may be resolved, nothing else.
  const settings = { WORKER_CONFIG_PROVIDERS: 'env', WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN: 'SERVER_URL' };
  // tasksMaxPerConnector, tasksMax: the tests of tasks.max=2 pass on a 1-core runner too
  return startWorker(workerOptions(settings, { port: 0, stateDir: tempStateDir(), pipelinesDir: undefined, statisticsIntervalMs: 500, tasksMaxPerConnector: 8, tasksMax: 16, ...options }), {
    env: { KAFKA_BOOTSTRAP_SERVERS: bootstrap(), ...env },
    log: captured.log,
    rateIntervalMs: 500,
    startPipeline: start,
    ...run,
  });
}

/** startPipeline, counting per connector the pipelines started, those up (started, not yet ended) and the most up at once. */
export function countingStarts(): { start: typeof startPipeline; starts: Map<string, number>; live: Map<string, number>; most: Map<string, number> } {
  const starts = new Map<string, number>();
  const live = new Map<string, number>();
  const most = new Map<string, number>();
  const start: typeof startPipeline = async (definition, options) => {
    const running = await startPipeline(definition, options);
    const name = String(definition.connector.name);
    starts.set(name, (starts.get(name) ?? 0) + 1);
    live.set(name, (live.get(name) ?? 0) + 1);
    most.set(name, Math.max(most.get(name) ?? 0, live.get(name)!));
    let ended = false;
    const end = (): void => {
      if (!ended) live.set(name, live.get(name)! - 1);
      ended = true;
    };
    void running.done.catch(() => undefined).then(end);
    const counted: RunningPipeline = { ...running, stop: () => running.stop().then(end) };
    return counted;
  };
  return { start, starts, live, most };
}

export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, body: parsed, text };
}

/** The connector's state and its task's state, from `GET /connectors/{name}/status`. */
export async function stateOf(base: string, name: string): Promise<string | undefined> {
  const answer = await call(base, 'GET', `/connectors/${name}/status`);
  return answer.status === 200 ? (answer.body as { tasks: { state: string }[] }).tasks[0]?.state : undefined;
}

/**
 * Closes what each test started (the worker, then the receiver) after it: `parts` reads the test file's own
 * variables, `forget` clears them so the next test does not close them again.
 */
export function closeAfterEach(parts: () => readonly ({ close(): Promise<void> } | undefined)[], forget: () => void): void {
  afterEach(async () => {
    for (const part of parts()) await part?.close();
    forget();
  });
}

/**
 * The cluster scenarios' instruments: worker processes (`kafka-http-sink worker <file>`, so they can be killed,
 * stopped and continued), and an ownership sampler that asks every worker, several times a second, which tasks it
 * runs itself (its own `kafka_http_sink_task_state` series, not the status topic) and finds two workers claiming
 * one task at the same moment.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './fault-kit.js';

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
}

/** Every worker process the suite started; killed at the end if still alive. */
export const children: ChildProcess[] = [];

/** `kafka-http-sink worker <file>` as a child process; resolves with its REST URL once it listens. */
export async function spawnWorker(properties: Record<string, string>, env: Record<string, string>, limitMs: number): Promise<WorkerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-worker-'));
  const file = join(dir, 'worker.properties');
  writeFileSync(file, Object.entries({ ...properties, 'rest.port': '0' }).map(([k, v]) => `${k}=${v}`).join('\n'));
  const child = spawn(process.execPath, ['bin/kafka-http-sink.mjs', 'worker', file, '--no-pipelines', '--state-dir', join(dir, 'state')], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
  child.on('exit', () => clearTimeout(limit));
  let stdout = '';
  let stderr = '';
  const logFile = process.env.FAULT_LOG_DIR ? join(process.env.FAULT_LOG_DIR, `worker-${child.pid}.log`) : undefined;
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (logFile) appendFileSync(logFile, chunk);
  });
  for (let waited = 0; ; waited += 50) {
    const url = /worker listening on (http:\/\/\S+) /.exec(stdout)?.[1];
    if (url) return { child, url, output: () => stderr };
    if (waited > 60_000 || child.exitCode !== null) throw new Error(`the worker did not start; it said:\n${stderr}`);
    await sleep(50);
  }
}

/** One answer of one worker: the tasks of the connector it said it runs, and when the question was asked and answered. */
export interface OwnershipSample {
  readonly worker: string;
  readonly sentAt: number;
  readonly receivedAt: number;
  readonly tasks: readonly number[];
}

/** The task ids `connector` runs on the worker whose metrics these are (RUNNING or PAUSED there). */
export function tasksRunning(metrics: string, connector: string): number[] {
  const pattern = new RegExp(`^kafka_http_sink_task_state\\{connector="${connector}",task="(\\d+)",state="(RUNNING|PAUSED)"\\} 1$`, 'gm');
  return [...metrics.matchAll(pattern)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

/**
 * Asks each worker every `everyMs` (each question on its own, answered whenever the worker can: a stopped worker's
 * answers come when it wakes up, and count from then). `stop` ends it and returns every answer; at most `maxSamples`.
 */
export function sampleOwnership(workers: () => readonly WorkerProcess[], connector: string, everyMs = 200, maxSamples = 20_000): { stop: () => Promise<OwnershipSample[]> } {
  const samples: OwnershipSample[] = [];
  const pending = new Set<Promise<void>>();
  const ask = (w: WorkerProcess): void => {
    const sentAt = Date.now();
    const question = fetch(`${w.url}/metrics`, { signal: AbortSignal.timeout(30_000) })
      .then(async (response) => {
        const text = await response.text();
        if (response.ok && samples.length < maxSamples) samples.push({ worker: w.url, sentAt, receivedAt: Date.now(), tasks: tasksRunning(text, connector) });
      })
      .catch(() => undefined) // a killed worker answers nothing
      .finally(() => pending.delete(question));
    pending.add(question);
  };
  const timer = setInterval(() => {
    for (const w of workers()) if (w.child.exitCode === null && w.child.signalCode === null) ask(w);
  }, everyMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...pending]);
      return samples;
    },
  };
}

/**
 * Two answers of two workers claiming one task while their question-to-answer windows overlap: the two claims may
 * have held at the same moment. A task that moves is stopped by its old owner before its new owner gets it (a
 * rebalance round trip and a proof of membership in between), so no such pair exists when ownership is exclusive.
 */
export function doubleOwners(samples: readonly OwnershipSample[]): { task: number; a: OwnershipSample; b: OwnershipSample }[] {
  const sorted = samples.filter((s) => s.tasks.length > 0).sort((x, y) => x.sentAt - y.sentAt);
  const found: { task: number; a: OwnershipSample; b: OwnershipSample }[] = [];
  for (let i = 0; i < sorted.length && found.length < 10; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length && sorted[j]!.sentAt <= a.receivedAt; j++) {
      const b = sorted[j]!;
      const task = b.worker === a.worker ? undefined : a.tasks.find((t) => b.tasks.includes(t));
      if (task !== undefined) found.push({ task, a, b });
    }
  }
  return found;
}

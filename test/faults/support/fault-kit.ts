/**
 * The fault suite's instruments: records that carry unique ids, a receiver that counts which ids it accepted,
 * the sink run as a real child process (so it can be killed), and the one-line figure every scenario prints.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { jest } from '@jest/globals';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectProducer } from '../../../src/devtools/kafka-tools.js';
import { type Receiver, type Responder, startReceiver } from '../../../src/devtools/receiver.js';

/** FAULT_SCALE=full (npm run test:faults) runs the sizes the issue names; the default is the short version in npm test. */
export const FULL = process.env.FAULT_SCALE === 'full';
jest.setTimeout(FULL ? 900_000 : 120_000);

export interface Produced {
  /** ids by partition, in produce order */
  readonly byPartition: string[][];
  readonly total: number;
}

/** Produces `count` JSON records `{"id": "<partition>-<seq>", ...}` spread over `partitions`. */
export async function produceIds(bootstrap: string, topic: string, count: number, partitions: number): Promise<Produced> {
  const byPartition: string[][] = Array.from({ length: partitions }, () => []);
  const producer = await connectProducer(bootstrap);
  try {
    const chunk = 10_000;
    for (let start = 0; start < count; start += chunk) {
      const records = [];
      for (let i = start; i < Math.min(count, start + chunk); i++) {
        const partition = i % partitions;
        const id = `${partition}-${byPartition[partition]!.length}`;
        byPartition[partition]!.push(id);
        records.push({ key: String(i % 97), value: JSON.stringify({ id, metric: 'Temperature', measurement: i % 40 }), partition });
      }
      await producer.send(topic, records);
    }
  } finally {
    await producer.close();
  }
  return { byPartition, total: count };
}

/** A receiver that parses ids out of accepted bodies (one JSON value per line). */
export interface IdReceiver {
  readonly receiver: Receiver;
  /** Every accepted id, in arrival order, duplicates included. */
  readonly ids: string[];
  readonly uniqueCount: () => number;
}

export async function startIdReceiver(respond?: Responder): Promise<IdReceiver> {
  const ids: string[] = [];
  const unique = new Set<string>();
  const receiver = await startReceiver({
    respond,
    onRequest: (request, reply) => {
      if (typeof reply === 'string' || (reply.status ?? 200) >= 300) return;
      for (const line of request.body.toString().split('\n')) {
        if (!line) continue;
        const id = (JSON.parse(line) as { id: string }).id;
        ids.push(id);
        unique.add(id);
      }
    },
  });
  return { receiver, ids, uniqueCount: () => unique.size };
}

export interface Verdict {
  produced: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** Partitions whose first arrivals were not in produce order. */
  outOfOrder: number;
}

export function verdict(produced: Produced, ids: readonly string[]): Verdict {
  const seen = new Set<string>();
  const firstArrivals: string[][] = produced.byPartition.map(() => []);
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    firstArrivals[Number(id.split('-')[0])]!.push(id);
  }
  const lost = produced.byPartition.reduce((n, partition) => n + partition.filter((id) => !seen.has(id)).length, 0);
  const outOfOrder = firstArrivals.filter((arrivals, p) => arrivals.some((id, i) => id !== produced.byPartition[p]![i])).length;
  return { produced: produced.total, delivered: seen.size, lost, duplicates: ids.length - seen.size, outOfOrder };
}

/** The scenario's one-line figure: `scenario  produced  delivered  lost  duplicates  duration`. */
export function report(scenario: string, v: Verdict, startedAt: number, extra = ''): void {
  const line = [scenario.padEnd(22), `produced=${v.produced}`, `delivered=${v.delivered}`, `lost=${v.lost}`, `duplicates=${v.duplicates}`, `duration=${((Date.now() - startedAt) / 1000).toFixed(1)}s`, extra]
    .filter(Boolean)
    .join('  ');
  process.stdout.write(`FAULTS ${line}\n`);
}

/** A connector file on disk, for the sink processes. */
export function connectorFile(connector: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fault-connector-')), 'connector.json');
  writeFileSync(file, JSON.stringify(connector));
  return file;
}

export interface SinkProcess {
  readonly child: ChildProcess;
  /** Resolves once the sink logged `text` (e.g. that it was assigned partitions); rejects after `timeoutMs`. */
  readonly logged: (text: string, timeoutMs: number) => Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/**
 * Runs `npm run pipeline -- <file>` as a child process (killed after `limitMs` at the latest). With FAULT_LOG_DIR
 * set, each process's stderr is also appended to `<dir>/sink-<pid>.log` (LOG_LEVEL passes through) for post-mortems.
 */
export function spawnSink(file: string, env: Record<string, string>, limitMs = 300_000): SinkProcess {
  const logDir = process.env.FAULT_LOG_DIR;
  const child = spawn(process.execPath, ['bin/kafka-http-sink.mjs', 'run', file], {
    env: { ...process.env, LOG_LEVEL: logDir ? (process.env.LOG_LEVEL ?? 'debug') : 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const logFile = logDir ? join(logDir, `sink-${child.pid}.log`) : undefined;
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (logFile) appendFileSync(logFile, chunk);
  });
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stderr });
    }),
  );
  const logged = async (text: string, timeoutMs: number): Promise<void> => {
    for (let waited = 0; !stderr.includes(text); waited += 50) {
      if (waited >= timeoutMs || child.exitCode !== null || child.signalCode !== null) throw new Error(`the sink never logged "${text}"; it said:\n${stderr}`);
      await sleep(50);
    }
  };
  return { child, exited, logged };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The fault suite's instruments: records that carry unique ids, a receiver that counts which ids it accepted,
 * the sink run as a real child process (so it can be killed), and the one-line figure every scenario prints.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { expect, jest } from '@jest/globals';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { committedOffsets, connectProducer } from '../../support/kafka-tools.js';
import { type EarlyResponder, type Receiver, type Responder, startReceiver } from '../../support/receiver.js';

/** FAULT_SCALE=full (npm run test:faults) runs the sizes the issue names; the default is the short version in npm test. */
export const FULL = process.env.FAULT_SCALE === 'full';
jest.setTimeout(FULL ? 900_000 : 120_000);

export interface Produced {
  /** ids by partition, in produce order */
  readonly byPartition: string[][];
  readonly total: number;
}

/**
 * Produces `count` JSON records `{"id": "<partition>-<seq>", ...}` spread over `partitions`; `valueBytes` pads each
 * value to about that size (so that a batch's body spans several reads on the receiver's side).
 */
export async function produceIds(bootstrap: string, topic: string, count: number, partitions: number, valueBytes = 0): Promise<Produced> {
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
        const value = JSON.stringify({ id, metric: 'Temperature', measurement: i % 40 });
        const padded = value.length + 10 < valueBytes ? `${value.slice(0, -1)},"pad":"${'x'.repeat(valueBytes - value.length - 10)}"}` : value;
        records.push({ key: String(i % 97), value: padded, partition });
      }
      await producer.send(topic, records);
    }
  } finally {
    await producer.close();
  }
  return { byPartition, total: count };
}

/**
 * A receiver that parses ids out of the bodies it accepts (one JSON value per line). An id counts as accepted when
 * the endpoint decided to answer 2xx, as a real endpoint would have processed it: even if the answer then comes too
 * late for the sink (delayMs past http.timeout) or is cut (resetMidResponse). Those the sink re-sends: duplicates.
 */
export interface IdReceiver {
  readonly receiver: Receiver;
  /** Every accepted id, in arrival order, duplicates included. */
  readonly ids: string[];
  readonly uniqueCount: () => number;
}

export async function startIdReceiver(respond?: Responder, early?: EarlyResponder): Promise<IdReceiver> {
  const ids: string[] = [];
  const unique = new Set<string>();
  const receiver = await startReceiver({
    respond,
    early,
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

/** Where a scenario's sink commits, and how many records its committed offsets must cover in the end. */
export interface CommittedSpec {
  /** The connector name: the consumer group is `connect-<name>`. */
  readonly name: string;
  readonly topic: string;
  readonly partitions: number;
  /** Records in the topic: the committed offsets, summed over the partitions, must equal it. */
  readonly count: number;
  /** Default: the suite's broker. */
  readonly bootstrap?: string;
}

/** The group's committed offsets summed over the partitions (none yet counts 0); -1 while they cannot be read. */
export async function committedTotal(c: CommittedSpec): Promise<number> {
  const address = c.bootstrap ?? process.env.KAFKA_TEST_BOOTSTRAP ?? '';
  try {
    const offsets = await committedOffsets(address, `connect-${c.name}`, c.topic, c.partitions);
    return Array.from({ length: c.partitions }, (_, p) => Math.max(0, offsets.get(p) ?? 0)).reduce((a, b) => a + b, 0);
  } catch {
    return -1; // the coordinator is not ready (a broker that just restarted): poll again
  }
}

/** Polls the committed total every 200 ms until it reaches `c.count` or `timeoutMs` passed; returns the last one. */
export async function waitForCommitted(c: CommittedSpec, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let total = await committedTotal(c);
  for (let i = 0; i < 10_000 && total < c.count && Date.now() < deadline; i++) {
    await sleep(200);
    total = await committedTotal(c);
  }
  return total;
}

/**
 * Waits, at most `timeoutMs`, until the receiver accepted `ids` distinct ids and the sink committed every record
 * (the sink commits every offset.flush.interval.ms; stopping it before that would leave the check to its shutdown
 * commit). Never throws: the assertions after say what was missing.
 */
export async function waitForDelivery(sink: IdReceiver, ids: number, c: CommittedSpec, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 100_000 && sink.uniqueCount() < ids && Date.now() < deadline; i++) await sleep(50);
  await waitForCommitted(c, Math.max(0, deadline - Date.now()));
}

export interface Ending {
  readonly scenario: string;
  readonly startedAt: number;
  /** The most duplicates the scenario can cause (each scenario says why). */
  readonly maxDuplicates: number;
  readonly committed: CommittedSpec;
  /** Printed at the end of the FAULTS line. */
  readonly extra?: string;
}

/**
 * How every scenario ends: reads the committed offsets (polled up to 15 s until they cover every record), prints
 * the one-line figure, then asserts lost = 0, first arrivals in partition order, duplicates within the scenario's
 * bound, and committed offsets summing to the number of records.
 */
export async function expectDelivered(v: Verdict, end: Ending): Promise<void> {
  const committed = await waitForCommitted(end.committed, 15_000);
  const line = [
    end.scenario.padEnd(22),
    `produced=${v.produced}`,
    `delivered=${v.delivered}`,
    `lost=${v.lost}`,
    `duplicates=${v.duplicates}(max ${end.maxDuplicates})`,
    `outOfOrder=${v.outOfOrder}`,
    `committed=${committed}/${end.committed.count}`,
    `duration=${((Date.now() - end.startedAt) / 1000).toFixed(1)}s`,
    end.extra ?? '',
  ]
    .filter(Boolean)
    .join('  ');
  process.stdout.write(`FAULTS ${line}\n`);
  expect({ lost: v.lost, outOfOrder: v.outOfOrder, committed }).toEqual({ lost: 0, outOfOrder: 0, committed: end.committed.count });
  expect(v.duplicates).toBeLessThanOrEqual(end.maxDuplicates);
}

/** Times `text` occurs in `log` (e.g. 'partitions revoked' in a sink's output). */
export function occurrences(log: string, text: string): number {
  return log.split(text).length - 1;
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
  /** What the sink wrote to stderr so far. */
  readonly output: () => string;
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
  return { child, exited, logged, output: () => stderr };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

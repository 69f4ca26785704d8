/**
 * One run of `npm run bench:connect`: a sink started from nothing against the bench's receiver, watched until every
 * record arrived. Kafka Connect standalone with the conformance suite's reference sink (the conformance harness's
 * start-up), or our pipeline in one process per task (the bench's pipeline process). The receiver's count is
 * sampled every 50 ms with the time of the arrival it counted last: the arrival curve the steady rate comes from.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REFERENCE_CLASS } from '../conformance/harness/run-case.js';
import { rest, startConnect } from '../conformance/harness/sides.js';
import { type BenchReceiver, distEntry, forkSink, nextMessage } from './children.js';
import { type ProcessStats, sumStats } from './proc-stats.js';
import { Progress } from './progress.js';
import { stopPipeline } from './run.js';
import { type ArrivalPoint, steadyRate } from './steady-rate.js';

const SAMPLE_MS = 50;

export interface SideSpec {
  readonly side: 'connect' | 'ours';
  readonly tasks: number;
  readonly latencyMs: number;
}

export interface SideRun extends SideSpec {
  readonly label: string;
  /** Records the receiver counted (a record that arrived twice counts twice). */
  readonly records: number;
  /** Distinct records that arrived, with --verify. */
  readonly distinct?: number;
  readonly allArrived: boolean;
  readonly failure?: string;
  /** Start of the sink's processes to the last record's arrival. */
  readonly totalSeconds: number;
  /** Start of the sink's processes to the first request's arrival. */
  readonly startupSeconds: number;
  /** Between 10% and 90% of the records arrived. */
  readonly steadyRecordsPerSecond?: number;
  /** First arrival to last: the sink's processes' CPU while they delivered, per 1,000 records. */
  readonly cpuMsPer1000: number;
  /** The sink's processes' CPU over the whole run, start-up included. */
  readonly cpuSeconds: number;
  /** Peak RSS of the sink's processes, added up (Connect: one JVM; ours: one process per task). */
  readonly peakRssMb: number;
  readonly requests: number;
  /** Share of a partition's time between its first request and its last with none of its requests at the receiver. */
  readonly partitionIdle?: number;
  /** Mean time from the answer to a partition's request to its next request, ms. */
  readonly partitionGapMs?: number;
}

export interface RunContext {
  readonly root: string;
  readonly bootstrap: string;
  readonly topic: string;
  readonly receiver: BenchReceiver;
  readonly records: number;
  /** The topic's partitions (records went round robin: the receiver tells a body's partition by its records' seq). */
  readonly partitions: number;
  readonly batchSize: number;
  readonly timeoutSeconds: number;
  readonly runId: string;
  /** Count distinct records (by seq) rather than arrivals. */
  readonly verify?: boolean;
  /** Connector keys set on our side only (`--set key=value`), over the shared connector file. */
  readonly ourSettings?: Readonly<Record<string, string>>;
}

/** "ours tasks=1, 20 ms", with the `--set` keys of our runs after it. */
export function labelOf(spec: SideSpec, settings: Readonly<Record<string, string>> = {}): string {
  const set = spec.side === 'ours' ? Object.entries(settings).map(([key, value]) => `${key}=${value}`) : [];
  return `${spec.side === 'connect' ? 'Kafka Connect' : 'ours'} tasks=${spec.tasks}, ${spec.latencyMs} ms${set.length > 0 ? ` [${set.join(', ')}]` : ''}`;
}

/** The connector file both sides run (Connect's gets the reference class): batches of `batchSize`, StringConverter. */
export function connectorFile(name: string, topic: string, url: string, tasks: number, batchSize: number): Record<string, string> {
  return {
    name, topics: topic, 'http.url': url, 'tasks.max': String(tasks),
    'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector',
    'http.authorization.type': 'none', 'http.headers.content.type': 'application/x-ndjson',
    'batching.enabled': 'true', 'batch.max.size': String(batchSize),
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
  };
}

export async function runSide(spec: SideSpec, context: RunContext): Promise<SideRun> {
  await context.receiver.setMode({ latencyMs: spec.latencyMs, countBy: 'newline', verifyRecords: context.verify ? context.records : undefined, partitions: context.partitions });
  const name = `bench-${spec.side}-t${spec.tasks}-l${spec.latencyMs}-${context.runId}`;
  const file = connectorFile(name, context.topic, context.receiver.url, spec.tasks, context.batchSize);
  const started = Date.now();
  return spec.side === 'connect' ? runConnect(spec, context, file, started) : runOurs(spec, context, { ...file, ...context.ourSettings }, started);
}

async function runConnect(spec: SideSpec, context: RunContext, file: Record<string, string>, started: number): Promise<SideRun> {
  // The connector file on the command line, as a standalone user starts it: no REST round trip in the start-up.
  const properties = join(mkdtempSync(join(tmpdir(), 'bench-connect-')), 'connector.properties');
  writeFileSync(properties, Object.entries({ ...file, 'connector.class': REFERENCE_CLASS }).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const side = await startConnect(context.root, context.bootstrap, [properties]).catch((error: unknown) => {
    rmSync(dirname(properties), { recursive: true, force: true });
    throw error;
  });
  let failure: string | undefined;
  // A failed task never delivers the rest: look at its status every 2 s rather than wait for the timeout.
  const status = setInterval(() => {
    void rest(side.base, 'GET', `/connectors/${file.name}/status`).then(({ body }) => {
      const failed = (body as { tasks?: { state?: string; trace?: string }[] }).tasks?.find((t) => t.state === 'FAILED');
      if (failed) failure ??= `a task failed: ${(failed.trace ?? '').split('\n')[0]}`;
    }, () => undefined);
  }, 2000);
  try {
    const result = await watch(spec, context, started, [side.pid!], () => failure);
    if (result.allArrived) [side.dir, dirname(properties)].forEach((dir) => rmSync(dir, { recursive: true, force: true }));
    else return { ...result, failure: `${result.failure ?? 'incomplete'}; Connect's log: ${side.logFile}` };
    return result;
  } finally {
    clearInterval(status);
    await side.stop();
  }
}

async function runOurs(spec: SideSpec, context: RunContext, file: Record<string, string>, started: number): Promise<SideRun> {
  const env = { ...process.env, KAFKA_BOOTSTRAP_SERVERS: context.bootstrap };
  // from the compiled package when it is built, as users run it (as `npm run bench` does); else through tsx
  const from = distEntry() ? 'dist' : 'src';
  const children: ChildProcess[] = Array.from({ length: spec.tasks }, () => forkSink('./pipeline-process.ts', from, [JSON.stringify(file)], { env }));
  let failure: string | undefined;
  for (const child of children) {
    child.on('message', (message: { type: string; message?: string }) => {
      if (message.type === 'failed') failure ??= message.message;
    });
    child.once('exit', (code) => (failure ??= `pipeline process exited with ${String(code)}`));
  }
  try {
    await Promise.all(children.map((child) => nextMessage(child, 'started', 120_000)));
    return await watch(spec, context, started, children.map((c) => c.pid!), () => failure);
  } finally {
    await Promise.all(children.map((child) => stopPipeline(child).catch(() => undefined)));
  }
}

/** Samples the receiver (and the sink's CPU) until every record arrived, the sink failed, or the timeout. */
async function watch(spec: SideSpec, context: RunContext, started: number, pids: readonly number[], failed: () => string | undefined): Promise<SideRun> {
  const label = labelOf(spec, context.ourSettings);
  const progress = new Progress(label, context.records);
  const points: ArrivalPoint[] = [];
  const deadline = started + context.timeoutSeconds * 1000;
  let atFirst: ProcessStats | undefined;
  let stats = sumStats(pids);
  let report = await context.receiver.report();
  const arrived = (): number => (context.verify ? report.unique : report.records);
  while (arrived() < context.records && failed() === undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    const before = sumStats(pids);
    report = await context.receiver.report();
    if (before.cpuMs > 0) stats = before;
    if (report.records > 0) {
      atFirst ??= stats;
      if (points.at(-1)?.records !== report.records) points.push({ at: report.lastAt, records: report.records });
    }
    const [a, b] = [points.at(-2), points.at(-1)];
    progress.update(report.records, { rate: a && b && b.at > a.at ? ((b.records - a.records) * 1000) / (b.at - a.at) : 0, inFlight: report.inFlight });
  }
  const end = sumStats(pids);
  if (end.cpuMs > 0) stats = end;
  const allArrived = arrived() >= context.records;
  const failure = allArrived ? undefined : (failed() ?? `timed out after ${context.timeoutSeconds} s`);
  progress.finish(failure ?? 'done');
  return {
    ...spec, label,
    records: report.records,
    distinct: context.verify ? report.unique : undefined,
    allArrived,
    failure,
    totalSeconds: (report.lastAt - started) / 1000,
    startupSeconds: report.firstAt > 0 ? (report.firstAt - started) / 1000 : Number.NaN,
    steadyRecordsPerSecond: allArrived ? steadyRate(points, context.records) : undefined,
    cpuMsPer1000: ((stats.cpuMs - (atFirst?.cpuMs ?? 0)) / Math.max(1, report.records)) * 1000,
    cpuSeconds: stats.cpuMs / 1000,
    peakRssMb: stats.peakRssBytes / 2 ** 20,
    requests: report.requests,
    ...(report.partitionGaps > 0
      ? { partitionIdle: report.partitionGapMs / (report.partitionGapMs + report.partitionServedMs), partitionGapMs: report.partitionGapMs / report.partitionGaps }
      : {}),
  };
}

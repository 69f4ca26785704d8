/**
 * One pipeline run: the pipeline in its own process against the receiver, sampled every 250 ms (progress bar,
 * timeline for the chart) until every record arrived; then a latency phase: records produced at a steady rate
 * while the pipeline runs, timed from their produce timestamp to their arrival at the receiver.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { forkSink, nextMessage, type BenchReceiver, type PipelineFrom } from './children.js';
import { produceRecords } from './data.js';
import type { PipelineSample } from './pipeline-process.js';
import { Progress } from './progress.js';
import type { LatencySummary } from './receiver-protocol.js';
import type { PipelineRun } from './scenarios.js';

const SAMPLE_MS = 250;
/** seq of latency-phase records: above any pre-produced one, so the stalled check never counts them. */
const PROBE_SEQ = 1_000_000_000;

export interface TimelinePoint {
  /** Seconds since the pipeline was started. */
  readonly t: number;
  readonly recordsPerSecond: number;
  readonly inFlightRequests: number;
  readonly limit: number;
}

export interface RunResult {
  readonly label: string;
  readonly scenario: string;
  readonly records: number;
  /** First to last arrival at the receiver. */
  readonly seconds: number;
  /** Pipeline start to the last arrival (includes joining the group, and the stall). */
  readonly wallSeconds: number;
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly rejected: number;
  readonly latency?: LatencySummary;
  readonly cpuMsPer1000: number;
  /** Offset commits per second, first to last arrival (a commit storm shows here). */
  readonly commitsPerSecond?: number;
  readonly peakRssMb: number;
  /** The source's consume path in the pipeline process (src/source/kafka-consume.ts). */
  readonly consumePath?: string;
  /** Every record arrived (stalled: each pre-produced sequence number seen at least once). */
  readonly allArrived: boolean;
  readonly uniqueArrived?: number;
  readonly failure?: string;
  readonly timeline: readonly TimelinePoint[];
}

export interface RunContext {
  readonly bootstrap: string;
  readonly topic: string;
  readonly receiver: BenchReceiver;
  readonly partitions: number;
  readonly recordSize: number;
  readonly latencySeconds: number;
  readonly timeoutSeconds: number;
  readonly profileDir?: string;
  /** dist: the compiled package under node, as users run it; src (default): through tsx. */
  readonly from?: PipelineFrom;
  /** node/V8 flags of the pipeline processes (bench:consume's `node=` variants). */
  readonly execArgv?: readonly string[];
}

export async function runPipeline(run: PipelineRun, context: RunContext): Promise<RunResult> {
  const { receiver } = context;
  await receiver.setMode(run.receiver);
  const connector = { ...run.connector, 'http.url': receiver.url };
  if (context.profileDir) mkdirSync(context.profileDir, { recursive: true });
  // One profile per thread (node names them CPU.<date>.<pid>.<thread>...); the main thread's is the largest.
  const execArgv = [...(context.execArgv ?? []), ...(context.profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(context.profileDir, run.label.replace(/\W+/g, '-'))] : [])];
  const started = Date.now();
  // tasks.max=N: N pipeline processes in the connector's group, as `run` starts them; their samples are summed.
  const children = Array.from({ length: run.tasks ?? 1 }, () =>
    forkSink('./pipeline-process.ts', context.from ?? 'src', [JSON.stringify(connector)], { execArgv, env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: context.bootstrap } }),
  );
  const samples = new Map<ChildProcess, PipelineSample>();
  let last: PipelineSample | undefined;
  let failure: string | undefined;
  for (const child of children) {
    child.on('message', (message: { type: string; message?: string }) => {
      if (message.type === 'sample') {
        samples.set(child, message as unknown as PipelineSample);
        last = sumSamples([...samples.values()]);
      }
      if (message.type === 'failed') failure = message.message;
    });
    child.once('exit', (code) => (failure ??= code === 0 ? undefined : `pipeline process exited with ${String(code)}`));
  }
  await Promise.all(children.map((child) => nextMessage(child, 'started', 60_000)));

  const target = run.records;
  const verify = run.receiver.verifyRecords !== undefined;
  const progress = new Progress(run.label, target);
  const timeline: TimelinePoint[] = [];
  const deadline = started + context.timeoutSeconds * 1000;
  let previous = 0;
  let cpuAtFirst: number | undefined;
  let commitsAtFirst = 0;
  let report = await receiver.report();
  for (;;) {
    await sleep(SAMPLE_MS);
    const cpuBefore = last?.cpuMs ?? 0;
    const commitsBefore = last?.commits ?? 0;
    report = await receiver.report();
    const arrived = verify ? report.unique : report.records;
    if (arrived > 0 && cpuAtFirst === undefined) {
      cpuAtFirst = cpuBefore;
      commitsAtFirst = commitsBefore;
    }
    timeline.push({ t: (Date.now() - started) / 1000, recordsPerSecond: ((report.records - previous) * 1000) / SAMPLE_MS, inFlightRequests: last?.inFlightRequests ?? 0, limit: last?.limit ?? 0 });
    previous = report.records;
    progress.update(arrived, { rate: timeline.at(-1)!.recordsPerSecond, inFlight: last?.inFlightRequests ?? 0, held: report.held });
    if (arrived >= target || failure !== undefined || Date.now() > deadline) break;
  }
  const done = report;
  const cpuAtEnd = last?.cpuMs ?? 0;
  const commitsAtEnd = last?.commits ?? 0;
  const arrived = verify ? done.unique : done.records;
  progress.finish(arrived >= target ? 'done' : failure ?? 'timed out');

  let latency: LatencySummary | undefined;
  const seconds = Math.max(0.001, (done.lastAt - done.firstAt) / 1000);
  const rate = arrived / seconds;
  if (failure === undefined && arrived >= target && context.latencySeconds > 0) latency = await latencyPhase(run, context, rate);

  const finals = (await Promise.all(children.map(stopPipeline))).filter((f): f is PipelineSample => f !== undefined);
  const final = finals.length > 0 ? sumSamples(finals) : undefined;
  return {
    label: run.label,
    scenario: run.scenario,
    records: arrived,
    seconds,
    wallSeconds: (done.lastAt - started) / 1000,
    recordsPerSecond: done.records / seconds,
    mbPerSecond: done.bytes / 1e6 / seconds,
    requestsPerSecond: done.accepted / seconds,
    requests: done.requests,
    rejected: done.rejected,
    latency,
    cpuMsPer1000: ((cpuAtEnd - (cpuAtFirst ?? 0)) / Math.max(1, arrived)) * 1000,
    commitsPerSecond: (commitsAtEnd - commitsAtFirst) / seconds,
    peakRssMb: (final?.maxRss ?? last?.maxRss ?? 0) / 1024 / 1024,
    consumePath: final?.consumePath ?? last?.consumePath,
    allArrived: arrived >= target,
    uniqueArrived: verify ? done.unique : undefined,
    failure,
    timeline,
  };
}

/** Half the measured rate (at most 20,000/s) for `latencySeconds`: the pipeline keeps up, so this is latency, not queueing. */
async function latencyPhase(run: PipelineRun, context: RunContext, measuredRate: number): Promise<LatencySummary | undefined> {
  const rate = Math.max(50, Math.min(20_000, Math.floor(measuredRate / 2)));
  const count = rate * context.latencySeconds;
  const since = Date.now();
  await context.receiver.measureLatencySince(since);
  await produceRecords(context.bootstrap, context.topic, {
    count, firstSeq: PROBE_SEQ, size: context.recordSize, partitions: context.partitions, format: run.topic, ratePerSecond: rate,
  });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const report = await context.receiver.report();
    if (report.latencies >= count || Date.now() > deadline) break;
    await sleep(100);
  }
  return context.receiver.latency();
}

/** The tasks of one run as one: CPU, memory, requests and commits added up. */
function sumSamples(samples: readonly PipelineSample[]): PipelineSample {
  const sum = (pick: (s: PipelineSample) => number): number => samples.reduce((total, s) => total + pick(s), 0);
  return {
    type: 'sample',
    cpuMs: sum((s) => s.cpuMs),
    rss: sum((s) => s.rss),
    maxRss: sum((s) => s.maxRss),
    inFlightRequests: sum((s) => s.inFlightRequests),
    requests: sum((s) => s.requests),
    limit: sum((s) => s.limit),
    consumed: sum((s) => s.consumed),
    commits: sum((s) => s.commits),
    consumePath: samples[0]?.consumePath,
  };
}

/** Stops one pipeline process gracefully (SIGKILL after 40 s); its last sample. */
export async function stopPipeline(child: ChildProcess): Promise<PipelineSample | undefined> {
  if (child.exitCode !== null) return undefined;
  let final: PipelineSample | undefined;
  const onMessage = (message: { type: string }): void => {
    if (message.type === 'sample') final = message as unknown as PipelineSample;
  };
  child.on('message', onMessage);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ type: 'stop' });
  const force = setTimeout(() => child.kill('SIGKILL'), 40_000);
  await exited;
  clearTimeout(force);
  return final;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `npm run bench`: how fast the sink runs on this machine, next to what the broker and the endpoint can do at all.
 * Starts a local broker and a receiver on 127.0.0.1, pre-produces each run's records, measures the limits
 * (raw consume rate, the receiver's request rate under autocannon), runs each scenario's pipeline, and writes a
 * summary table, bench/results/bench-<time>.json and an SVG chart. `--smoke` runs it all in seconds.
 */
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startLocalBroker } from '../src/cli/local-broker.js';
import { startBenchReceiver } from './children.js';
import { createBenchTopic, measurement, produceRecords } from './data.js';
import { type ConsumeLimit, measureConsumeRate, measureRequestRate, type RequestLimit } from './limits.js';
import { type Librdkafka, measureLibrdkafka } from './kcat-rate.js';
import { parseBenchOptions } from './options.js';
import { say } from './progress.js';
import { type BenchResult, type ScoredRun, summaryTable, writeResults } from './report.js';
import { type RunResult, runPipeline } from './run.js';
import { type PipelineRun, pipelineRuns } from './scenarios.js';

const RESULTS = fileURLToPath(new URL('./results', import.meta.url));

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (!options) return 0;
  const startedAt = new Date().toISOString();
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
  say(`bench on ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB, node ${machine.node}${options.smoke ? ' [smoke]' : ''}`);
  const runId = randomBytes(3).toString('hex');
  const broker = await startLocalBroker();
  const receiver = await startBenchReceiver();
  say(`broker ${broker.bootstrap}, receiver ${receiver.url}`);
  const fromText = { dist: 'the compiled dist/ under node (as the CLI runs)', src: 'src/ through tsx' };
  say(`pipeline processes: ${options.from.map((f) => fromText[f]).join('; ')}`);
  const consume: Record<string, ConsumeLimit> = {};
  const librdkafka: Record<string, Librdkafka> = {};
  const requests: Record<string, RequestLimit> = {};
  const results: { run: PipelineRun; result: RunResult; consumeKey?: string; requestKey?: string }[] = [];
  try {
    for (const run of pipelineRuns(options, runId)) {
      const topic = `bench_${run.label.replace(/\W+/g, '_')}_${runId}`;
      await createBenchTopic(broker.bootstrap, topic, options.partitions);
      const t0 = Date.now();
      await produceRecords(broker.bootstrap, topic, { count: run.records, size: options.recordSize, partitions: options.partitions, format: run.topic });
      say(`${run.label}: produced ${run.records.toLocaleString('en-US')} records to ${topic} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      const connector = { ...run.connector, topics: topic };

      let consumeKey: string | undefined;
      if (run.limit === 'consume') {
        consumeKey = run.topic;
        consume[consumeKey] ??= await measureConsumeRate(broker.bootstrap, topic, run.records, options.timeoutSeconds * 1000);
        say(`  limit: raw consume ${Math.round(consume[consumeKey]!.recordsPerSecond).toLocaleString('en-US')} records/s (${consume[consumeKey]!.consumePath ?? '-'} consume path)`);
        librdkafka[consumeKey] ??= await measureLibrdkafka(broker.bootstrap, topic, run.records, options.timeoutSeconds * 1000);
        const alone = librdkafka[consumeKey]!;
        say(`  ceiling: librdkafka alone ${'missing' in alone ? alone.missing : `${Math.round(alone.recordsPerSecond).toLocaleString('en-US')} records/s (kcat)`}`);
      }
      let requestKey: string | undefined;
      if (run.scenario !== 'adaptive' && run.scenario !== 'stalled') {
        const body = requestBody(run, options.recordSize);
        requestKey = `c=${run.concurrency}, ${body.length} B, ${run.receiver.latencyMs} ms`;
        if (!requests[requestKey]) {
          await receiver.setMode({ latencyMs: run.receiver.latencyMs, countBy: run.receiver.countBy });
          requests[requestKey] = await measureRequestRate(receiver.url, body, run.concurrency, options.limitSeconds);
        }
        say(`  limit: receiver ${Math.round(requests[requestKey]!.requestsPerSecond).toLocaleString('en-US')} req/s (${requestKey})`);
      }
      const result = await runPipeline(
        { ...run, connector },
        {
          bootstrap: broker.bootstrap, topic, receiver, partitions: options.partitions, recordSize: options.recordSize,
          latencySeconds: options.latencySeconds, timeoutSeconds: options.timeoutSeconds, profileDir: options.profile ? `${RESULTS}/profiles` : undefined,
          from: run.from ?? options.from[0]!,
        },
      );
      results.push({ run, result, consumeKey, requestKey });
    }
  } finally {
    await receiver.close();
    await broker.stop();
  }

  const bench: BenchResult = {
    startedAt,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine,
    options,
    limits: { consume, requests, librdkafka },
    runs: score(results, consume, requests, options.adaptiveCapacity),
  };
  const files = writeResults(RESULTS, bench);
  process.stdout.write(`\n${summaryTable(bench)}\n\nresults: ${files.json}\nchart:   ${files.svg}\n`);
  return bench.runs.every((r) => r.allArrived) ? 0 : 1;
}

/** The body the pipeline sends for this run, for the load generator: same size and framing. */
function requestBody(run: PipelineRun, recordSize: number): Buffer {
  const values = Array.from({ length: run.recordsPerRequest }, (_, i) => measurement(i, Date.now(), recordSize));
  return Buffer.from(run.recordsPerRequest === 1 && run.receiver.countBy === 'request' ? values[0]! : `${values.join('\n')}\n`);
}

function score(
  results: readonly { run: PipelineRun; result: RunResult; consumeKey?: string; requestKey?: string }[],
  consume: Record<string, ConsumeLimit>,
  requests: Record<string, RequestLimit>,
  capacity: number,
): ScoredRun[] {
  const fixed = results.filter((r) => r.run.scenario === 'adaptive' && r.run.label !== 'adaptive').map((r) => r.result.recordsPerSecond);
  const bestFixed = fixed.length > 0 ? Math.max(...fixed) : undefined;
  return results.map(({ run, result, consumeKey, requestKey }): ScoredRun => {
    // Issue 16's targets: the ratio to the limit and the CPU per 1,000 records.
    const both = (ratio: number, min: number, cpuMax: number): string =>
      `>=${min * 100}%, <=${cpuMax} CPU ms/1k: ${ratio >= min && result.cpuMsPer1000 <= cpuMax ? 'met' : 'missed'}`;
    switch (run.scenario) {
      case 'batched':
      case 'json': {
        const limit = consume[consumeKey!]!.recordsPerSecond;
        const ratio = result.recordsPerSecond / limit;
        // Issue 23's memory target: peak RSS per task process (the run's peaks are summed over its processes: their mean).
        const perTask = result.peakRssMb / (run.tasks ?? 1);
        const memory = `<=200 MB RSS/task: ${perTask <= 200 ? 'met' : 'missed'}`;
        return { ...result, limitName: 'raw consume rec/s', limitValue: limit, ratio, target: run.scenario === 'batched' ? `${both(ratio, 0.9, 7)}; ${memory}` : undefined };
      }
      case 'per-record': {
        const limit = requests[requestKey!]!.requestsPerSecond;
        const ratio = result.requestsPerSecond / limit;
        return { ...result, limitName: 'receiver req/s', limitValue: limit, ratio, target: both(ratio, 0.4, 300) };
      }
      case 'stalled': {
        const limit = consume[consumeKey!]!.recordsPerSecond;
        const met = result.peakRssMb < 256 && result.allArrived;
        return { ...result, limitName: 'raw consume rec/s', limitValue: limit, ratio: result.recordsPerSecond / limit, target: `RSS<256MB, none lost: ${met ? 'met' : 'missed'}` };
      }
      case 'adaptive': {
        const ratio = bestFixed ? result.recordsPerSecond / bestFixed : undefined;
        const rejected = result.requests > 0 ? result.rejected / result.requests : 0;
        const target = run.label === 'adaptive' && ratio !== undefined ? `>=90%, <5% 503: ${ratio >= 0.9 && rejected < 0.05 ? 'met' : 'missed'}` : `receiver K=${capacity}`;
        return { ...result, limitName: 'best fixed rec/s', limitValue: bestFixed, ratio, target };
      }
    }
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);

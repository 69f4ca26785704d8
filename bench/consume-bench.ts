/**
 * `npm run bench:consume`: the raw consume rate (the source's consumer, no pipeline) under different librdkafka
 * settings and poll sizes, taking turns round after round on one topic, each run in a fresh process (its own CPU and
 * peak RSS), with kcat (librdkafka alone) as a variant when installed; `--pipeline` runs the batched scenario instead. Prints each variant's median and range, and
 * its ratio to the first variant's run of the same round: the figure to trust on a shared machine.
 *
 * @example
 *   npm run bench:consume -- --records 300000 --rounds 3 --variant 'base:' --variant 'big:poll=50000,queued.min.messages=500000' --kcat
 */
import { parseArgs } from 'node:util';
import { startLocalBroker } from '../src/cli/local-broker.js';
import { CONSUMER_DEFAULTS } from '../src/source/consumer-defaults.js';
import { type BenchReceiver, forkTs, nextMessage, startBenchReceiver } from './children.js';
import { createBenchTopic, produceRecords } from './data.js';
import { kcatVersion, measureKcatRate } from './kcat-rate.js';
import { type ConsumeSettings, measureConsumeRate } from './limits.js';
import { parseBenchOptions } from './options.js';
import { fmt, say } from './progress.js';
import { runPipeline } from './run.js';
import { pipelineRuns } from './scenarios.js';

interface Variant {
  readonly label: string;
  /** kcat instead of node-rdkafka (same properties). */
  readonly kcat: boolean;
  readonly settings: ConsumeSettings;
  /** `lean=off`: the standard consume path (KAFKA_HTTP_SINK_LEAN_CONSUME=off in the run's process). */
  readonly leanOff: boolean;
  /** `node=<flag>` (repeatable): node/V8 flags of the pipeline process (with --pipeline). */
  readonly nodeFlags: readonly string[];
}

interface Figures {
  readonly recordsPerSecond: number;
  readonly cpuMsPer1000?: number;
  readonly maxRssMb?: number;
  readonly consumePath?: string;
}

const USAGE = `npm run bench:consume -- [--records N] [--rounds N] [--partitions N] [--variant 'label:key=value,...'] ... [--kcat] [--pipeline]
  --pipeline runs the bench's batched scenario (one task) for each variant instead of the bare consume loop.
  a variant's keys are librdkafka properties over the source's defaults; poll=N sets the records per consume call;
  lean=off reads through node-rdkafka's standard consume instead of the lean path (KAFKA_HTTP_SINK_LEAN_CONSUME=off);
  with --pipeline, sink.<key>=V sets the connector's own key (e.g. sink.max.in.flight.records=10000), and
  node=<flag> a node/V8 flag of the pipeline process (e.g. node=--max-semi-space-size=4); the pipeline runs from the
  compiled dist/ under node once \`npm run build\` has run (as \`npm run bench\`), else from src/ through tsx.
  --kcat adds librdkafka alone (kcat, with the source's defaults) as a last variant. Default: the source's defaults and --kcat.`;

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(JSON.parse(process.argv[3]!) as { bootstrap: string; topic: string; count: number; settings: ConsumeSettings });
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      records: { type: 'string', default: '300000' },
      rounds: { type: 'string', default: '3' },
      partitions: { type: 'string', default: '6' },
      variant: { type: 'string', multiple: true },
      kcat: { type: 'boolean', default: false },
      pipeline: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const records = Number(values.records);
  const rounds = Number(values.rounds);
  const variants = (values.variant ?? ['defaults:']).map(parseVariant);
  if (values.kcat || values.variant === undefined) {
    if (kcatVersion() === undefined) say('kcat not installed: librdkafka alone is not measured');
    else variants.push({ label: 'kcat', kcat: true, settings: {}, leanOff: false, nodeFlags: [] });
  }
  const broker = await startLocalBroker();
  const receiver = values.pipeline ? await startBenchReceiver() : undefined;
  const results = new Map<string, Figures[]>(variants.map((v) => [v.label, []]));
  try {
    const topic = `bench_consume_${Date.now()}`;
    await createBenchTopic(broker.bootstrap, topic, Number(values.partitions));
    await produceRecords(broker.bootstrap, topic, { count: records, size: 120, partitions: Number(values.partitions), format: 'plain' });
    say(`produced ${fmt(records)} records to ${topic}`);
    for (let round = 1; round <= rounds; round++) {
      for (const v of variants) {
        const figures = v.kcat
          ? await kcatRun(broker.bootstrap, topic, records, v)
          : receiver
            ? await pipelineRun(broker.bootstrap, topic, records, v, receiver, `${round}`)
            : await nodeRun(broker.bootstrap, topic, records, v);
        results.get(v.label)!.push(figures);
        say(`round ${round} ${v.label}${figures.consumePath ? ` (${figures.consumePath} consume)` : ''}: ${fmt(figures.recordsPerSecond)} rec/s, ${figures.cpuMsPer1000?.toFixed(1) ?? '-'} CPU ms/1k, ${figures.maxRssMb?.toFixed(0) ?? '-'} MB`);
      }
    }
  } finally {
    await receiver?.close();
    await broker.stop();
  }
  const base = results.get(variants[0]!.label)!;
  const range = (xs: number[], digits = 0): string => {
    const s = [...xs].sort((a, b) => a - b);
    const f = (x: number): string => (digits === 0 ? fmt(x) : x.toFixed(digits));
    return `${f(s[Math.floor(s.length / 2)]!)} (${f(s[0]!)}-${f(s.at(-1)!)})`;
  };
  process.stdout.write(`\n${values.pipeline ? 'batched pipeline' : 'raw consume'}, ${records} records, ${rounds} rounds; median (min-max); ratio: to ${variants[0]!.label} of the same round\n`);
  for (const v of variants) {
    const runs = results.get(v.label)!;
    const ratios = runs.map((r, i) => r.recordsPerSecond / base[i]!.recordsPerSecond);
    const cpu = runs.flatMap((r) => (r.cpuMsPer1000 === undefined || Number.isNaN(r.cpuMsPer1000) ? [] : [r.cpuMsPer1000]));
    const rss = runs.flatMap((r) => (r.maxRssMb === undefined ? [] : [r.maxRssMb]));
    process.stdout.write(
      `${`${v.label}${runs[0]?.consumePath ? ` (${runs[0].consumePath})` : ''}`.padEnd(24)} rec/s ${range(runs.map((r) => r.recordsPerSecond))}  ratio ${range(ratios, 2)}  CPU ms/1k ${cpu.length ? range(cpu, 1) : '-'}  peak RSS MB ${rss.length ? range(rss) : '-'}\n`,
    );
  }
}

function parseVariant(text: string): Variant {
  const colon = text.indexOf(':');
  const label = colon < 0 ? text : text.slice(0, colon);
  const properties: Record<string, string> = {};
  let pollMaxRecords: number | undefined;
  let leanOff = false;
  const nodeFlags: string[] = [];
  for (const pair of (colon < 0 ? '' : text.slice(colon + 1)).split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq < 0) throw new Error(`--variant ${text}: ${pair} is not key=value\n${USAGE}`);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (key === 'poll') pollMaxRecords = Number(value);
    else if (key === 'node') nodeFlags.push(value);
    else if (key === 'lean') leanOff = value === 'off';
    else properties[key] = value;
  }
  return { label, kcat: label === 'kcat', settings: { properties, pollMaxRecords }, leanOff, nodeFlags };
}

async function nodeRun(bootstrap: string, topic: string, count: number, v: Variant): Promise<Figures> {
  const proc = forkTs('./consume-bench.ts', ['--child', JSON.stringify({ bootstrap, topic, count, settings: v.settings })], { env: pathEnv(v) });
  const result = await nextMessage<{ figures: Figures }>(proc, 'result', 300_000);
  await new Promise((resolve) => (proc.exitCode === null ? proc.once('exit', resolve) : resolve(undefined)));
  return result.figures;
}

/** The bench's batched scenario (one task) on the topic, the variant's properties as `kafka.*`, its poll size as max.poll.records. */
async function pipelineRun(bootstrap: string, topic: string, count: number, v: Variant, receiver: BenchReceiver, round: string): Promise<Figures> {
  const options = parseBenchOptions(['--scenario', 'batched', '--tasks', '1', '--records', String(count), '--latency-seconds', '0', '--timeout-seconds', '300'])!;
  const [run] = pipelineRuns(options, `${v.label.replace(/\W+/g, '_')}-${round}-${Date.now()}`);
  // `sink.<key>` is the connector's own key (e.g. sink.max.in.flight.records); any other is a librdkafka property.
  const keys = Object.fromEntries(Object.entries(v.settings.properties ?? {}).map(([k, value]) => [k.startsWith('sink.') ? k.slice(5) : `kafka.${k}`, value]));
  if (v.settings.pollMaxRecords !== undefined) keys['consumer.override.max.poll.records'] = String(v.settings.pollMaxRecords);
  // runPipeline forks the pipeline with this process's environment.
  const saved = process.env.KAFKA_HTTP_SINK_LEAN_CONSUME;
  if (v.leanOff) process.env.KAFKA_HTTP_SINK_LEAN_CONSUME = 'off';
  else delete process.env.KAFKA_HTTP_SINK_LEAN_CONSUME;
  try {
    const result = await runPipeline(
      { ...run!, connector: { ...run!.connector, ...keys, topics: topic } },
      { bootstrap, topic, receiver, partitions: 6, recordSize: 120, latencySeconds: 0, timeoutSeconds: 300, from: options.from[0], execArgv: v.nodeFlags },
    );
    if (!result.allArrived) throw new Error(`${v.label}: ${result.records} of ${count} arrived (${result.failure ?? 'timed out'})`);
    return { recordsPerSecond: result.recordsPerSecond, cpuMsPer1000: result.cpuMsPer1000, maxRssMb: result.peakRssMb, consumePath: result.consumePath };
  } finally {
    if (saved === undefined) delete process.env.KAFKA_HTTP_SINK_LEAN_CONSUME;
    else process.env.KAFKA_HTTP_SINK_LEAN_CONSUME = saved;
  }
}

/** This process's environment, with the standard consume path forced for a `lean=off` variant. */
function pathEnv(v: Variant): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (v.leanOff) env.KAFKA_HTTP_SINK_LEAN_CONSUME = 'off';
  return env;
}

async function kcatRun(bootstrap: string, topic: string, count: number, v: Variant): Promise<Figures> {
  const limit = await measureKcatRate(bootstrap, topic, count, 300_000, { ...CONSUMER_DEFAULTS, ...v.settings.properties });
  return { recordsPerSecond: limit.recordsPerSecond, cpuMsPer1000: limit.cpuMsPer1000 };
}

async function child(job: { bootstrap: string; topic: string; count: number; settings: ConsumeSettings }): Promise<void> {
  const limit = await measureConsumeRate(job.bootstrap, job.topic, job.count, 300_000, job.settings);
  const figures: Figures = { recordsPerSecond: limit.recordsPerSecond, cpuMsPer1000: limit.cpuMsPer1000, maxRssMb: process.resourceUsage().maxRSS / 1024, consumePath: limit.consumePath };
  process.send!({ type: 'result', figures }, undefined, undefined, () => process.exit(0));
}

main().catch((error: unknown) => {
  say(`bench:consume failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});

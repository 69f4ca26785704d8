/** Command-line options of `npm run bench`; an option left out takes the scenario's own default. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { distEntry, type PipelineFrom } from './children.js';

export const SCENARIOS = ['batched', 'per-record', 'json', 'stalled', 'adaptive'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  /** Records pre-produced for batched, json and stalled. */
  readonly records: number;
  /** Records for per-record and for each adaptive run (request-bound scenarios take longer per record). */
  readonly recordsSmall: number;
  readonly recordSize: number;
  readonly partitions: number;
  readonly batchSize?: number;
  readonly lingerMs?: number;
  readonly concurrency?: number;
  readonly receiverLatencyMs?: number;
  /** `ordering` of the per-record run (default none; partition shows the early-commit path under pressure). */
  readonly ordering?: string;
  readonly scenarios: readonly ScenarioName[];
  /** tasks.max values the batched and per-record scenarios run with: one pipeline process per task, one group. */
  readonly tasks: readonly number[];
  /** max.in.flight.records of every run (the product default unless given). */
  readonly maxInFlight: number;
  readonly stallSeconds: number;
  /** Receiver's concurrent-request capacity in the adaptive scenario. */
  readonly adaptiveCapacity: number;
  /** Seconds of load generation for the receiver's own rate, and of the latency phase. */
  readonly limitSeconds: number;
  readonly latencySeconds: number;
  /** Give up on a pipeline run after this many seconds. */
  readonly timeoutSeconds: number;
  readonly smoke: boolean;
  /** Write a V8 CPU profile of each pipeline run into bench/results/profiles. */
  readonly profile: boolean;
  /** The pipeline processes run the compiled dist/ under plain node (as users run the CLI) or src/ through tsx; both: each run twice. */
  readonly from: readonly PipelineFrom[];
}

const HELP = `npm run bench -- [options]
  --records N            records for batched/json/stalled (default 1000000; smoke 5000)
  --records-small N      records for per-record and each adaptive run (default 200000; smoke 2000)
  --record-size BYTES    value size, JSON like the seed's (default 120)
  --partitions N         topic partitions (default 6)
  --batch-size N         batch.max.size (scenario default: 500)
  --linger MS            batch.linger.ms (scenario default: 100)
  --concurrency N        http.concurrency (scenario default: 8; per-record 64)
  --receiver-latency MS  receiver answers after MS (scenario default: 0; per-record 5, adaptive 20)
  --ordering MODE        ordering of the per-record run: none (default), partition, key
  --max-in-flight N      max.in.flight.records (default 60000, the sink's default)
  --tasks LIST           tasks.max values for batched and per-record, e.g. 1,2 (default 1,2; smoke 1)
  --scenario NAMES       comma-separated: ${SCENARIOS.join(',')} (default: all)
  --stall-seconds S      how long the stalled receiver stays silent (default 60; smoke 3)
  --adaptive-capacity K  concurrent requests the adaptive scenario's receiver accepts (default 16)
  --limit-seconds S      load-generator run per limit (default 5; smoke 1)
  --latency-seconds S    latency phase per scenario (default 5; smoke 1)
  --timeout-seconds S    abandon a pipeline run after S (default 900; smoke 120)
  --profile              node --cpu-prof each pipeline run (bench/results/profiles)
  --from LIST            dist, src or dist,src: pipeline processes from the compiled dist/ under node, as users
                         run it (default once \`npm run build\` has run: build again after changing src/), or
                         from src/ through tsx; dist,src runs each scenario both ways
  --smoke                a few seconds, small N: checks that the bench works`;

/** A whole-number option `--name` at least `min`, or `fallback` when it is not given (every bench's options). */
export function wholeNumber(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number >= ${min}, got ${raw}`);
  return n;
}

/** What every bench takes besides its own options. */
const COMMON_OPTIONS = { smoke: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } as const;

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
type BenchArgs<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: O & typeof COMMON_OPTIONS }>>['values'];

/** A bench's command line: its own `options` plus --smoke and --help; undefined once --help printed `help`. */
export function benchArgs<const O extends OptionsConfig>(argv: readonly string[], options: O, help: string): { values: BenchArgs<O>; smoke: boolean } | undefined {
  const { values } = parseArgs({ args: [...argv], options: { ...options, ...COMMON_OPTIONS } });
  const common = values as { help?: boolean; smoke?: boolean };
  if (common.help) {
    process.stdout.write(`${help}\n`);
    return undefined;
  }
  return { values: values as BenchArgs<O>, smoke: common.smoke === true };
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions | undefined {
  const args = benchArgs(
    argv,
    {
      records: { type: 'string' },
      'records-small': { type: 'string' },
      'record-size': { type: 'string' },
      partitions: { type: 'string' },
      'batch-size': { type: 'string' },
      linger: { type: 'string' },
      concurrency: { type: 'string' },
      'receiver-latency': { type: 'string' },
      ordering: { type: 'string' },
      scenario: { type: 'string' },
      tasks: { type: 'string' },
      'max-in-flight': { type: 'string' },
      'stall-seconds': { type: 'string' },
      'adaptive-capacity': { type: 'string' },
      'limit-seconds': { type: 'string' },
      'latency-seconds': { type: 'string' },
      'timeout-seconds': { type: 'string' },
      profile: { type: 'boolean', default: false },
      from: { type: 'string' },
    },
    HELP,
  );
  if (!args) return undefined;
  const { values, smoke } = args;
  const num = wholeNumber;
  const optional = (name: string, raw: string | undefined, min = 1): number | undefined => (raw === undefined ? undefined : num(name, raw, 0, min));
  if (values.ordering !== undefined && !['none', 'partition', 'key'].includes(values.ordering)) throw new Error(`--ordering: one of none, partition, key; got ${values.ordering}`);
  const from = (values.from ?? (distEntry() === undefined ? 'src' : 'dist')).split(',').map((f) => f.trim());
  for (const f of from) if (f !== 'dist' && f !== 'src') throw new Error(`--from: dist, src or both; got ${f}`);
  if (from.includes('dist') && distEntry() === undefined) throw new Error('--from dist: no dist/index.js; run `npm run build` first');
  const scenarios = (values.scenario ?? SCENARIOS.join(',')).split(',').map((s) => s.trim());
  for (const s of scenarios) if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`--scenario: unknown ${s}; one of ${SCENARIOS.join(', ')}`);
  return {
    records: num('records', values.records, smoke ? 5000 : 1_000_000),
    recordsSmall: num('records-small', values['records-small'], smoke ? 2000 : 200_000),
    recordSize: num('record-size', values['record-size'], 120, 60),
    partitions: num('partitions', values.partitions, 6),
    batchSize: optional('batch-size', values['batch-size']),
    lingerMs: optional('linger', values.linger, 0),
    concurrency: optional('concurrency', values.concurrency),
    receiverLatencyMs: optional('receiver-latency', values['receiver-latency'], 0),
    ordering: values.ordering,
    scenarios: scenarios as ScenarioName[],
    tasks: (values.tasks ?? (smoke ? '1' : '1,2')).split(',').map((t) => num('tasks', t.trim(), 1)),
    maxInFlight: num('max-in-flight', values['max-in-flight'], 60_000),
    stallSeconds: num('stall-seconds', values['stall-seconds'], smoke ? 3 : 60, 0),
    adaptiveCapacity: num('adaptive-capacity', values['adaptive-capacity'], 16),
    limitSeconds: num('limit-seconds', values['limit-seconds'], smoke ? 1 : 5),
    latencySeconds: num('latency-seconds', values['latency-seconds'], smoke ? 1 : 5, 0),
    timeoutSeconds: num('timeout-seconds', values['timeout-seconds'], smoke ? 120 : 900),
    smoke,
    profile: values.profile === true,
    from: from as PipelineFrom[],
  };
}

/** Command-line options of `npm run bench:connect`. */
import { benchArgs, wholeNumber } from './options.js';

export interface ConnectBenchOptions {
  readonly records: number;
  readonly recordSize: number;
  readonly partitions: number;
  readonly batchSize: number;
  /** Receiver latencies (ms): every run once per latency. */
  readonly latencies: readonly number[];
  /** tasks.max of the Kafka Connect runs, and of ours. */
  readonly connectTasks: readonly number[];
  readonly ourTasks: readonly number[];
  readonly timeoutSeconds: number;
  /** Wait for every distinct record (the receiver tracks each value's seq) rather than for as many arrivals. */
  readonly verify: boolean;
  readonly smoke: boolean;
  /** Connector keys for our runs only (`--set key=value`, repeatable). */
  readonly ourSettings: Readonly<Record<string, string>>;
}

const HELP = `npm run bench:connect -- [options]
  --records N          records produced once, read by every run (default 300000; smoke 3000)
  --record-size BYTES  value size, JSON like the bench's (default 100)
  --partitions N       topic partitions (default 6)
  --batch-size N       batch.max.size of both sides (default 500)
  --latency LIST       receiver latencies in ms, each a round of runs, e.g. 0,20 (default 0)
  --connect-tasks LIST tasks.max of the Kafka Connect runs (default 1,6; smoke 1)
  --our-tasks LIST     tasks.max of our runs (default 1,2; smoke 1)
  --timeout-seconds S  abandon a run after S (default 600; smoke 120)
  --set KEY=VALUE      a connector key for our runs only (repeatable), e.g. --set max.in.flight.records=20000
  --verify             done when every distinct record arrived (by seq), not as many arrivals; costs the receiver CPU
  --smoke              one small run per side: checks that the comparison works`;

export function parseConnectBenchOptions(argv: readonly string[]): ConnectBenchOptions | undefined {
  const args = benchArgs(
    argv,
    {
      records: { type: 'string' },
      'record-size': { type: 'string' },
      partitions: { type: 'string' },
      'batch-size': { type: 'string' },
      latency: { type: 'string' },
      'connect-tasks': { type: 'string' },
      'our-tasks': { type: 'string' },
      'timeout-seconds': { type: 'string' },
      set: { type: 'string', multiple: true },
      verify: { type: 'boolean', default: false },
    },
    HELP,
  );
  if (!args) return undefined;
  const { values, smoke } = args;
  const num = wholeNumber;
  const list = (name: string, raw: string | undefined, fallback: string, min = 1): number[] =>
    [...new Set((raw ?? fallback).split(',').map((t) => num(name, t.trim(), 0, min)))];
  return {
    records: num('records', values.records, smoke ? 3000 : 300_000),
    recordSize: num('record-size', values['record-size'], 100, 60),
    partitions: num('partitions', values.partitions, 6),
    batchSize: num('batch-size', values['batch-size'], 500),
    latencies: list('latency', values.latency, '0', 0),
    connectTasks: list('connect-tasks', values['connect-tasks'], smoke ? '1' : '1,6'),
    ourTasks: list('our-tasks', values['our-tasks'], smoke ? '1' : '1,2'),
    timeoutSeconds: num('timeout-seconds', values['timeout-seconds'], smoke ? 120 : 600),
    verify: values.verify === true,
    smoke,
    ourSettings: Object.fromEntries((values.set ?? []).map(setting)),
  };
}

/** `key=value` as a pair; a setting without `=` or key is refused by name. */
function setting(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new Error(`--set ${text}: expected KEY=VALUE, e.g. --set max.in.flight.records=20000`);
  return [text.slice(0, at).trim(), text.slice(at + 1)];
}

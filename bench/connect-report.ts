/** `npm run bench:connect`'s output: each run's figures beside Kafka Connect's in the same run, as a table and JSON. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SideRun } from './connect-run.js';
import { fmt } from './progress.js';

export interface ComparedRun extends SideRun {
  /** The run it is held against: Kafka Connect at the same latency with the most tasks. */
  readonly versus?: string;
  /** This run's steady rate over the reference's (above 1: faster once running). */
  readonly steadyRatio?: number;
  /** This run's total time over the reference's (below 1: done first). */
  readonly totalRatio?: number;
  /** CPU per 1,000 records over the reference's (below 1: cheaper). */
  readonly cpuRatio?: number;
}

export interface ConnectBenchResult {
  readonly startedAt: string;
  readonly command: string;
  readonly machine: object;
  /** `uptime`'s load averages when the runs began and ended: the machine may be shared. */
  readonly load: { readonly before: readonly number[]; readonly after: readonly number[] };
  readonly options: object;
  readonly runs: readonly ComparedRun[];
}

const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
  a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : undefined;

/** Each run with its ratios to the Kafka Connect run of the same latency that has the most tasks (and arrived whole). */
export function compareToConnect(runs: readonly SideRun[]): ComparedRun[] {
  return runs.map((run) => {
    const reference = runs
      .filter((r) => r.side === 'connect' && r.latencyMs === run.latencyMs && r.allArrived)
      .reduce<SideRun | undefined>((best, r) => (best === undefined || r.tasks > best.tasks ? r : best), undefined);
    if (!reference || reference === run || !run.allArrived) return { ...run };
    return {
      ...run,
      versus: reference.label,
      steadyRatio: ratio(run.steadyRecordsPerSecond, reference.steadyRecordsPerSecond),
      totalRatio: ratio(run.totalSeconds, reference.totalSeconds),
      cpuRatio: ratio(run.cpuMsPer1000, reference.cpuMsPer1000),
    };
  });
}

const times = (r: number | undefined): string => (r === undefined ? '-' : `${r.toFixed(2)}x`);

export function connectTable(runs: readonly ComparedRun[]): string {
  const head = ['run', 'records', 'total s', 'start-up s', 'steady rec/s', 'CPU ms/1k', 'CPU s', 'peak RSS MB', 'requests', 'partition gap ms', 'steady / ref', 'total / ref', 'CPU / ref', 'all arrived'];
  const rows = runs.map((r) => [
    r.label, r.distinct === undefined ? fmt(r.records) : `${fmt(r.records)} (${fmt(r.distinct)} distinct)`, r.totalSeconds.toFixed(2), r.startupSeconds.toFixed(2),
    r.steadyRecordsPerSecond === undefined ? '-' : fmt(r.steadyRecordsPerSecond),
    r.cpuMsPer1000.toFixed(2), r.cpuSeconds.toFixed(1), r.peakRssMb.toFixed(0), fmt(r.requests),
    r.partitionGapMs === undefined ? '-' : r.partitionGapMs.toFixed(1),
    times(r.steadyRatio), times(r.totalRatio), times(r.cpuRatio),
    r.allArrived ? 'yes' : `NO${r.failure ? ` (${r.failure})` : ''}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const refs = [...new Set(runs.map((r) => r.versus).filter((v) => v !== undefined))];
  return [
    line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line), '',
    `ref: ${refs.length > 0 ? refs.join('; ') : 'none (no Kafka Connect run arrived whole)'}. steady: 10% to 90% of the records at the receiver; CPU ms/1k: first to last arrival; CPU s and peak RSS: the sink's processes, start-up included; partition gap: mean time from the answer to a partition's request to its next request (the JSON has the share of time partitions sat idle).`,
  ].join('\n');
}

export function writeConnectResults(dir: string, result: ConnectBenchResult): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `connect-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

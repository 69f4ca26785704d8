/** The bench's output: a summary table on stdout, a JSON result file and an SVG chart under bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Librdkafka } from './kcat-rate.js';
import type { ConsumeLimit, RequestLimit } from './limits.js';
import { fmt } from './progress.js';
import type { RunResult } from './run.js';

export interface ScoredRun extends RunResult {
  /** The limit this run is held against, and pipeline/limit. */
  readonly limitName: string;
  readonly limitValue?: number;
  readonly ratio?: number;
  readonly target?: string;
}

export interface BenchResult {
  readonly startedAt: string;
  readonly command: string;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly memoryGb: number; readonly node: string; readonly platform: string };
  readonly options: object;
  readonly limits: { readonly consume: Record<string, ConsumeLimit>; readonly requests: Record<string, RequestLimit>; readonly librdkafka?: Record<string, Librdkafka> };
  readonly runs: readonly ScoredRun[];
}

export function summaryTable(result: BenchResult): string {
  const head = ['run', 'records', 'rec/s', 'MB/s', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'CPU ms/1k', 'commits/s', 'peak RSS MB', 'rejected', 'limit', 'ratio', 'target', 'all arrived'];
  const rows = result.runs.map((r) => [
    r.consumePath ? `${r.label} (${r.consumePath} consume)` : r.label,
    fmt(r.records),
    fmt(r.recordsPerSecond),
    r.mbPerSecond.toFixed(1),
    fmt(r.requestsPerSecond),
    r.latency ? fmt(r.latency.p50) : '-',
    r.latency ? fmt(r.latency.p95) : '-',
    r.latency ? fmt(r.latency.p99) : '-',
    r.cpuMsPer1000.toFixed(1),
    r.commitsPerSecond === undefined ? '-' : r.commitsPerSecond.toFixed(1),
    r.peakRssMb.toFixed(0),
    r.requests > 0 ? `${((r.rejected / r.requests) * 100).toFixed(1)}%` : '-',
    r.limitValue === undefined ? r.limitName : `${r.limitName} ${fmt(r.limitValue)}`,
    r.ratio === undefined ? '-' : `${(r.ratio * 100).toFixed(0)}%`,
    r.target ?? '',
    r.allArrived ? 'yes' : `NO${r.failure ? ` (${r.failure})` : ''}`,
  ]);
  rows.push(...ceilingRows(result, head.length));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const limits = [
    ...Object.entries(result.limits.consume).map(([topic, l]) => `raw consume (${topic}${l.consumePath ? `, ${l.consumePath} consume path` : ''}): ${fmt(l.recordsPerSecond)} records/s, ${l.mbPerSecond.toFixed(1)} MB/s${l.cpuMsPer1000 === undefined ? '' : `, ${l.cpuMsPer1000.toFixed(1)} CPU ms/1k`}`),
    ...Object.entries(result.limits.librdkafka ?? {}).map(([topic, l]) =>
      'missing' in l ? `librdkafka alone (${topic}): ${l.missing}` : `librdkafka alone (${topic}, kcat ${l.version}): ${fmt(l.recordsPerSecond)} records/s first to last record, ${l.cpuMsPer1000?.toFixed(1) ?? '-'} CPU ms/1k over its whole run`,
    ),
    ...Object.entries(result.limits.requests).map(([key, l]) => `receiver under autocannon (${key}): ${fmt(l.requestsPerSecond)} req/s, ${l.mbPerSecond.toFixed(1)} MB/s`),
  ];
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line), '', ...limits].join('\n');
}

/**
 * The ceiling: per topic, the raw consume rate (the source's consumer, consume path and poll size, nothing else)
 * held against librdkafka's own rate on the same topic (kcat): what reading into JavaScript costs.
 */
function ceilingRows(result: BenchResult, columns: number): string[][] {
  return Object.entries(result.limits.consume).map(([topic, raw]) => {
    const alone = result.limits.librdkafka?.[topic];
    const row = Array.from({ length: columns }, () => '-');
    row[0] = `ceiling (${topic} topic${raw.consumePath ? `, ${raw.consumePath} consume` : ''})`;
    row[1] = fmt(raw.records);
    row[2] = fmt(raw.recordsPerSecond);
    row[3] = raw.mbPerSecond.toFixed(1);
    row[8] = raw.cpuMsPer1000?.toFixed(1) ?? '-';
    if (alone === undefined || 'missing' in alone) {
      row[12] = `librdkafka: ${alone?.missing ?? 'not measured'}`;
    } else {
      row[12] = `librdkafka (kcat) rec/s ${fmt(alone.recordsPerSecond)}, ${alone.cpuMsPer1000?.toFixed(1) ?? '-'} CPU ms/1k`;
      row[13] = `${((raw.recordsPerSecond / alone.recordsPerSecond) * 100).toFixed(0)}%`;
    }
    row[14] = '';
    row[15] = '';
    return row;
  });
}

export function writeResults(dir: string, result: BenchResult): { json: string; svg: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const json = join(dir, `bench-${stamp}.json`);
  const svg = join(dir, `bench-${stamp}.svg`);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(svg, chart(result.runs));
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.svg'), chart(result.runs));
  return { json, svg };
}

const PANEL_W = 560;
const PANEL_H = 140;
const PAD = 48;

/** Per run, two panels side by side: records/s over time, and requests in flight (with the limit, dashed). */
export function chart(runs: readonly RunResult[]): string {
  const rowH = PANEL_H + 2 * PAD;
  const width = 2 * (PANEL_W + 2 * PAD);
  const height = Math.max(1, runs.length) * rowH;
  const parts = runs.map((run, i) => {
    const y0 = i * rowH + PAD;
    const t = run.timeline.map((p) => p.t);
    const throughput = panel(PAD, y0, t, [{ values: run.timeline.map((p) => p.recordsPerSecond), color: '#1f77b4' }], `${run.label}: records/s`);
    const inFlight = panel(
      3 * PAD + PANEL_W,
      y0,
      t,
      [
        { values: run.timeline.map((p) => p.inFlightRequests), color: '#d62728' },
        { values: run.timeline.map((p) => p.limit), color: '#7f7f7f', dashed: true },
      ],
      `${run.label}: requests in flight (dashed: limit)`,
    );
    return throughput + inFlight;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}

function panel(x0: number, y0: number, t: readonly number[], series: readonly { values: readonly number[]; color: string; dashed?: boolean }[], title: string): string {
  const tMax = Math.max(1, ...t);
  const vMax = Math.max(1, ...series.flatMap((s) => s.values)) * 1.05;
  const x = (v: number): number => x0 + (v / tMax) * PANEL_W;
  const y = (v: number): number => y0 + PANEL_H - (v / vMax) * PANEL_H;
  const lines = series
    .filter((s) => s.values.length > 0)
    .map((s) => {
      const points = s.values.map((v, i) => `${x(t[i]!).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      return `<polyline fill="none" stroke="${s.color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="4 3"' : ''} points="${points}"/>`;
    });
  return [
    `<text x="${x0}" y="${y0 - 8}" font-weight="bold">${escapeXml(title)}</text>`,
    `<rect x="${x0}" y="${y0}" width="${PANEL_W}" height="${PANEL_H}" fill="none" stroke="#ccc"/>`,
    `<text x="${x0 - 4}" y="${y0 + 4}" text-anchor="end">${fmt(vMax)}</text>`,
    `<text x="${x0 - 4}" y="${y0 + PANEL_H}" text-anchor="end">0</text>`,
    `<text x="${x0 + PANEL_W}" y="${y0 + PANEL_H + 14}" text-anchor="end">${tMax.toFixed(0)} s</text>`,
    ...lines,
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

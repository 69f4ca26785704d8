/** The bench's pure parts: option parsing (smoke defaults, validation) and the chart/table rendering. */
import { describe, expect, it } from '@jest/globals';
import { parseBenchOptions, SCENARIOS } from '../../bench/options.js';
import { chart, summaryTable, type BenchResult } from '../../bench/report.js';
import { measurement } from '../../bench/data.js';
import type { RunResult } from '../../bench/run.js';

const run = (label: string, overrides: Partial<RunResult> = {}): RunResult => ({
  label, scenario: label, records: 1000, seconds: 1, wallSeconds: 2, recordsPerSecond: 1000, mbPerSecond: 0.1, requestsPerSecond: 2,
  requests: 2, rejected: 0, cpuMsPer1000: 5, peakRssMb: 100, allArrived: true,
  timeline: [{ t: 0.25, recordsPerSecond: 0, inFlightRequests: 1, limit: 8 }, { t: 0.5, recordsPerSecond: 4000, inFlightRequests: 8, limit: 8 }],
  ...overrides,
});

describe('bench options', () => {
  it('runs every scenario with small figures in smoke mode', () => {
    const options = parseBenchOptions(['--smoke'])!;
    expect(options.scenarios).toEqual(SCENARIOS);
    expect(options.records).toBeLessThanOrEqual(10_000);
    expect(options.stallSeconds).toBeLessThanOrEqual(5);
  });

  it('defaults to a million records over 6 partitions and leaves scenario defaults alone unless given', () => {
    const options = parseBenchOptions([])!;
    expect(options).toMatchObject({ records: 1_000_000, partitions: 6, recordSize: 120, stallSeconds: 60 });
    expect(options.concurrency).toBeUndefined();
    expect(parseBenchOptions(['--concurrency', '16'])!.concurrency).toBe(16);
  });

  it('refuses unknown scenarios and bad numbers', () => {
    expect(() => parseBenchOptions(['--scenario', 'batched,fast'])).toThrow(/unknown fast/);
    expect(() => parseBenchOptions(['--records', '1.5'])).toThrow(/--records must be a whole number/);
  });
});

describe('bench data', () => {
  it('writes JSON values of the asked size that carry seq and ts', () => {
    const value = measurement(42, 1_700_000_000_000, 120);
    expect(value).toHaveLength(120);
    expect(JSON.parse(value)).toMatchObject({ seq: 42, ts: 1_700_000_000_000 });
  });
});

describe('bench report', () => {
  it('draws two panels per run, with the limit dashed', () => {
    const svg = chart([run('batched'), run('adaptive')]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(6);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(2);
  });

  it('prints one row per run with its ratio and whether every record arrived', () => {
    const result: BenchResult = {
      startedAt: 'now', command: 'npm run bench', machine: { cpus: 2, cpuModel: 'x', memoryGb: 4, node: 'v20', platform: 'linux' }, options: {},
      limits: { consume: { plain: { records: 1000, seconds: 1, recordsPerSecond: 2000, mbPerSecond: 1 } }, requests: {} },
      runs: [{ ...run('batched', { commitsPerSecond: 4.25 }), limitName: 'raw consume rec/s', limitValue: 2000, ratio: 0.5 }, { ...run('stalled', { allArrived: false, failure: 'timed out' }), limitName: '-' }],
    };
    const table = summaryTable(result);
    expect(table).toMatch(/\| batched .*\| +50% \|/);
    expect(table).toMatch(/CPU ms\/1k \| commits\/s \|/);
    expect(table).toMatch(/\| +5\.0 \| +4\.3 \|/); // CPU per 1,000 records, commits per second
    expect(table).toContain('NO (timed out)');
    expect(table).toContain('raw consume (plain): 2,000 records/s');
  });

  it('prints the ceiling as its own row: the raw consume rate against librdkafka alone, or why that is missing', () => {
    const base: Omit<BenchResult, 'limits'> = { startedAt: 'now', command: 'npm run bench', machine: { cpus: 2, cpuModel: 'x', memoryGb: 4, node: 'v20', platform: 'linux' }, options: {}, runs: [] };
    const consume = { plain: { records: 1000, seconds: 1, recordsPerSecond: 100_000, mbPerSecond: 12, cpuMsPer1000: 4 } };
    const measured = summaryTable({
      ...base,
      limits: { consume, requests: {}, librdkafka: { plain: { records: 1000, seconds: 0.1, recordsPerSecond: 400_000, cpuMsPer1000: 0.4, version: '1.7.1, librdkafka 2.0.2' } } },
    });
    expect(measured).toMatch(/\| ceiling \(plain topic\) +\| +1,000 \| +100,000 \| .*\| +4\.0 \| .*librdkafka \(kcat\) rec\/s 400,000, 0\.4 CPU ms\/1k \| +25% \|/);
    expect(measured).toContain('librdkafka alone (plain, kcat 1.7.1, librdkafka 2.0.2): 400,000 records/s');
    const named = summaryTable({ ...base, limits: { consume: { plain: { ...consume.plain!, consumePath: 'lean' } }, requests: {} } });
    expect(named).toContain('| ceiling (plain topic, lean consume) |');
    expect(named).toContain('raw consume (plain, lean consume path): 100,000 records/s');
    const missing = summaryTable({ ...base, limits: { consume, requests: {}, librdkafka: { plain: { missing: 'kcat not installed' } } } });
    expect(missing).toMatch(/\| ceiling \(plain topic\) .*\| +librdkafka: kcat not installed \| +- \|/);
  });
});

/** `npm run bench:connect`'s pure parts: the steady rate from the arrival curve, the ratios to Connect, the options. */
import { describe, expect, it } from '@jest/globals';
import { parseConnectBenchOptions } from '../../bench/connect-options.js';
import { compareToConnect, connectTable } from '../../bench/connect-report.js';
import { labelOf, type SideRun } from '../../bench/connect-run.js';
import { steadyRate, timeAt } from '../../bench/steady-rate.js';

describe('steady rate from arrival timestamps', () => {
  it('interpolates the moment a count was crossed between two arrivals', () => {
    const points = [{ at: 1000, records: 0 }, { at: 2000, records: 100 }, { at: 2500, records: 300 }];
    expect(timeAt(points, 50)).toBe(1500);
    expect(timeAt(points, 100)).toBe(2000);
    expect(timeAt(points, 200)).toBe(2250);
    expect(timeAt(points, 301)).toBeUndefined();
  });

  it('leaves a slow start and a slow tail out of the rate', () => {
    // 1,000 records: the first 100 take 3 s (start-up), the middle 800 arrive at 1,000/s, the last 100 take 5 s.
    const points = [{ at: 0, records: 0 }, { at: 3000, records: 100 }, { at: 3800, records: 900 }, { at: 8800, records: 1000 }];
    expect(steadyRate(points, 1000)).toBeCloseTo(1000, 6);
    // Over the whole run the same points would say about 114/s.
    expect(steadyRate(points, 1000, 0, 1)).toBeCloseTo(1000 / 8.8, 6);
  });

  it('takes the first point past a count when there is none before it, and interpolates after', () => {
    // The first sample already holds 500: 10% (100) was reached by then, not before the first arrival.
    const points = [{ at: 5000, records: 500 }, { at: 5100, records: 1000 }];
    expect(timeAt(points, 100)).toBe(5000);
    // 90% (900) lies 4/5 of the way to the next sample: 800 records in 80 ms.
    expect(steadyRate(points, 1000)).toBeCloseTo(10_000, 6);
  });

  it('has no rate when the run did not get there or took no time', () => {
    expect(steadyRate([{ at: 0, records: 10 }], 1000)).toBeUndefined();
    expect(steadyRate([{ at: 7, records: 1000 }], 1000)).toBeUndefined();
    expect(() => steadyRate([], 10, 0.9, 0.1)).toThrow(/from < to/);
  });
});

const run = (side: 'connect' | 'ours', tasks: number, latencyMs: number, o: Partial<SideRun> = {}): SideRun => ({
  side, tasks, latencyMs, label: `${side} tasks=${tasks}, ${latencyMs} ms`, records: 1000, allArrived: true, totalSeconds: 4, startupSeconds: 3,
  steadyRecordsPerSecond: 1000, cpuMsPer1000: 2, cpuSeconds: 5, peakRssMb: 300, requests: 2, ...o,
});

describe('ratios to Kafka Connect', () => {
  it('holds every run against Connect with the most tasks at the same latency', () => {
    const compared = compareToConnect([
      run('connect', 1, 0, { steadyRecordsPerSecond: 500 }),
      run('connect', 6, 0, { steadyRecordsPerSecond: 2000, totalSeconds: 5 }),
      run('ours', 2, 0, { steadyRecordsPerSecond: 1000, totalSeconds: 2, cpuMsPer1000: 4 }),
      run('connect', 6, 20, { steadyRecordsPerSecond: 100 }),
      run('ours', 2, 20, { steadyRecordsPerSecond: 150 }),
    ]);
    expect(compared[0]).toMatchObject({ versus: 'connect tasks=6, 0 ms', steadyRatio: 0.25 });
    expect(compared[1]!.versus).toBeUndefined();
    expect(compared[2]).toMatchObject({ versus: 'connect tasks=6, 0 ms', steadyRatio: 0.5, totalRatio: 0.4, cpuRatio: 2 });
    expect(compared[4]).toMatchObject({ versus: 'connect tasks=6, 20 ms', steadyRatio: 1.5 });
    expect(connectTable(compared)).toMatch(/ours tasks=2, 0 ms .*\| +0\.50x \| +0\.40x \| +2\.00x \| +yes \|/);
  });

  it('prints how long partitions waited between requests when the receiver could tell', () => {
    const table = connectTable(compareToConnect([run('connect', 6, 20), run('ours', 1, 20, { partitionIdle: 0.183, partitionGapMs: 4.83 })]));
    expect(table).toMatch(/ours tasks=1, 20 ms .*\| +4\.8 \| +1\.00x \|/);
    expect(table).toMatch(/connect tasks=6, 20 ms .*\| +- \| +- \|/);
  });

  it('compares nothing with a run that did not arrive whole', () => {
    const compared = compareToConnect([run('connect', 6, 0, { allArrived: false, records: 10, failure: 'timed out' }), run('ours', 1, 0)]);
    expect(compared[1]!.steadyRatio).toBeUndefined();
    expect(connectTable(compared)).toMatch(/NO \(timed out\)/);
  });
});

describe('bench:connect options', () => {
  it('defaults to 300,000 records, Connect at 1 and 6 tasks, ours at 1 and 2; smoke is small', () => {
    expect(parseConnectBenchOptions([])).toMatchObject({ records: 300_000, batchSize: 500, latencies: [0], connectTasks: [1, 6], ourTasks: [1, 2] });
    expect(parseConnectBenchOptions(['--smoke'])).toMatchObject({ records: 3000, connectTasks: [1], ourTasks: [1] });
    expect(parseConnectBenchOptions(['--latency', '0,20', '--records', '1000'])).toMatchObject({ latencies: [0, 20], records: 1000 });
    expect(parseConnectBenchOptions([])!.verify).toBe(false);
    expect(parseConnectBenchOptions(['--verify'])!.verify).toBe(true);
    expect(() => parseConnectBenchOptions(['--records', 'x'])).toThrow(/--records/);
  });

  it('takes connector keys for our runs only with --set, and refuses one without a key', () => {
    expect(parseConnectBenchOptions([])!.ourSettings).toEqual({});
    expect(parseConnectBenchOptions(['--set', 'max.in.flight.records=20000', '--set', 'kafka.fetch.wait.max.ms=10'])!.ourSettings).toEqual({ 'max.in.flight.records': '20000', 'kafka.fetch.wait.max.ms': '10' });
    expect(() => parseConnectBenchOptions(['--set', 'nokey'])).toThrow(/--set nokey: expected KEY=VALUE/);
  });

  it('names our runs\' --set keys in their label, never Connect\'s', () => {
    const settings = { 'max.in.flight.records': '20000' };
    expect(labelOf({ side: 'ours', tasks: 1, latencyMs: 20 }, settings)).toBe('ours tasks=1, 20 ms [max.in.flight.records=20000]');
    expect(labelOf({ side: 'connect', tasks: 6, latencyMs: 20 }, settings)).toBe('Kafka Connect tasks=6, 20 ms');
  });
});

/** Records/s and requests/s per connector over the last minutes, sampled from the metrics' totals for the status page. */
import type { ConnectorTotals } from './metrics.js';

export interface RateSeries {
  /** Sample times, ms since the epoch. */
  readonly at: number[];
  /** Delivered records per second over each interval. */
  readonly records: number[];
  readonly requests: number[];
}

export interface RateSampler {
  series(name: string): RateSeries;
  close(): void;
}

export function startRateSampler(totals: () => ReadonlyMap<string, ConnectorTotals>, intervalMs = 2000, keep = 90): RateSampler {
  const series = new Map<string, RateSeries & { last: { delivered: number; requests: number; at: number } }>();
  const sample = (): void => {
    const now = Date.now();
    for (const [name, t] of totals()) {
      let s = series.get(name);
      if (!s) {
        s = { at: [], records: [], requests: [], last: { delivered: t.delivered, requests: t.requests, at: now } };
        series.set(name, s);
        continue;
      }
      const seconds = Math.max(0.001, (now - s.last.at) / 1000);
      s.at.push(now);
      s.records.push((t.delivered - s.last.delivered) / seconds);
      s.requests.push((t.requests - s.last.requests) / seconds);
      if (s.at.length > keep) for (const list of [s.at, s.records, s.requests]) list.shift();
      s.last = { delivered: t.delivered, requests: t.requests, at: now };
    }
    for (const name of series.keys()) if (!totals().has(name)) series.delete(name);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    series: (name) => {
      const s = series.get(name);
      return { at: s?.at ?? [], records: s?.records ?? [], requests: s?.requests ?? [] };
    },
    close: () => clearInterval(timer),
  };
}

/**
 * `npm run bench:transport`: CPU per 1,000 single-record requests for each delivery transport (`http.client`),
 * which is what picks the default. Sends N small POSTs with bounded concurrency through `createHttpService` to the
 * bench receiver (its own process, 127.0.0.1) and reads `process.cpuUsage()` around each run. Transports take turns
 * round after round (order rotated), so the ratios compare runs on the same machine minutes apart; the median of the
 * rounds is reported. No Kafka: this isolates the HTTP client from the rest of the pipeline.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HTTP_CLIENTS, type HttpClient } from '../src/deliver/http-config.js';
import { createHttpService } from '../src/deliver/http-service.js';
import type { HttpRequest } from '../src/request/request.js';
import { startBenchReceiver } from './children.js';
import { measureRequestRate } from './limits.js';
import { say } from './progress.js';

const RESULTS = fileURLToPath(new URL('./results', import.meta.url));

const HELP = `npm run bench:transport -- [options]
  --requests N       requests per transport per round (default 20000)
  --concurrency N    requests in flight (default 8, http.concurrency's default)
  --rounds N         rounds; every transport runs once per round (default 3)
  --clients LIST     comma-separated, from ${HTTP_CLIENTS.join(',')} (default all)
  --limit-seconds N  seconds of autocannon for the receiver's own rate (default 5; 0 skips it)`;

interface Run {
  readonly client: HttpClient;
  readonly round: number;
  readonly cpuMsPer1000: number;
  readonly requestsPerSecond: number;
  readonly failed: number;
}

function options() {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '3' },
      clients: { type: 'string', default: HTTP_CLIENTS.join(',') },
      'limit-seconds': { type: 'string', default: '5' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const positive = (name: string, text: string, min = 1): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > 10_000_000) throw new Error(`--${name}: expected an integer >= ${min}, got ${text}`);
    return n;
  };
  const clients = values.clients.split(',').map((c) => c.trim());
  for (const c of clients) if (!(HTTP_CLIENTS as readonly string[]).includes(c)) throw new Error(`--clients: unknown transport ${c}`);
  return {
    requests: positive('requests', values.requests),
    concurrency: positive('concurrency', values.concurrency),
    rounds: positive('rounds', values.rounds),
    clients: clients as HttpClient[],
    limitSeconds: positive('limit-seconds', values['limit-seconds'], 0),
  };
}

/** One record as the seed's connector sends it: a small JSON value, one request each. */
function record(i: number): string {
  return JSON.stringify({ seq: i, ts: Date.now(), device: `sensor-${i % 50}`, temperature: 20 + (i % 10), note: 'x'.repeat(40) });
}

/** Sends `count` requests with `concurrency` in flight; returns CPU ms per 1,000 and the rate. */
async function measure(client: HttpClient, url: string, count: number, concurrency: number): Promise<Omit<Run, 'client' | 'round'>> {
  const service = createHttpService({ client, timeoutMs: 30_000, maxSockets: concurrency, transport: { tls: { rejectUnauthorized: true }, timeoutMs: 30_000 } });
  const signal = new AbortController().signal;
  const headers = { 'content-type': 'application/json' };
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const request: HttpRequest = { method: 'POST', url, headers, body: record(next++), records: [] };
      const response = await service.send(request, signal).catch(() => undefined);
      if (response?.status !== 200) failed += 1;
    }
  };
  try {
    const warm = Math.min(2000, count);
    next = count - warm; // warm-up: the same code paths, not measured
    await Promise.all(Array.from({ length: concurrency }, worker));
    [next, failed] = [0, 0];
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    return { cpuMsPer1000: (used.user + used.system) / 1000 / (count / 1000), requestsPerSecond: count / seconds, failed };
  } finally {
    service.close();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<number> {
  const opts = options();
  if (!opts) return (say(HELP), 0);
  say(`transport bench on ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), node ${process.version}: ${opts.requests} requests x ${opts.rounds} rounds, concurrency ${opts.concurrency}`);
  const receiver = await startBenchReceiver();
  const runs: Run[] = [];
  let receiverRate: number | undefined;
  try {
    await receiver.setMode({ latencyMs: 0, countBy: 'request' });
    if (opts.limitSeconds > 0) {
      const limit = await measureRequestRate(receiver.url, Buffer.from(record(0)), opts.concurrency, opts.limitSeconds);
      receiverRate = limit.requestsPerSecond;
      say(`receiver's own rate (autocannon, ${opts.concurrency} connections): ${Math.round(receiverRate)} req/s`);
    }
    for (let round = 1; round <= opts.rounds; round++) {
      const order = opts.clients.map((_, i) => opts.clients[(i + round - 1) % opts.clients.length]!);
      for (const client of order) {
        await receiver.setMode({ latencyMs: 0, countBy: 'request' });
        const result = await measure(client, receiver.url, opts.requests, opts.concurrency);
        const { accepted } = await receiver.report();
        runs.push({ client, round, ...result });
        say(`round ${round} ${client.padEnd(6)} ${result.cpuMsPer1000.toFixed(0).padStart(5)} ms CPU / 1,000 requests, ${Math.round(result.requestsPerSecond)} req/s, failed ${result.failed}, receiver accepted ${accepted} (warm-up included)`);
      }
    }
  } finally {
    await receiver.close();
  }
  const summary = opts.clients.map((client) => {
    const mine = runs.filter((r) => r.client === client);
    return { client, cpuMsPer1000: median(mine.map((r) => r.cpuMsPer1000)), requestsPerSecond: median(mine.map((r) => r.requestsPerSecond)), failed: mine.reduce((n, r) => n + r.failed, 0) };
  });
  const base = summary.find((s) => s.client === 'got')?.cpuMsPer1000;
  say('\ntransport  CPU ms/1,000 req  vs got  req/s   vs receiver  failed');
  for (const s of summary) {
    const vsGot = base ? (s.cpuMsPer1000 / base).toFixed(2) : '-';
    const vsReceiver = receiverRate ? `${Math.round((100 * s.requestsPerSecond) / receiverRate)}%` : '-';
    say(`${s.client.padEnd(10)} ${s.cpuMsPer1000.toFixed(0).padStart(16)}  ${vsGot.padStart(6)}  ${String(Math.round(s.requestsPerSecond)).padStart(6)}  ${vsReceiver.padStart(11)}  ${s.failed}`);
  }
  mkdirSync(RESULTS, { recursive: true });
  const file = `${RESULTS}/transport-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify({ machine: { cpus: cpus().length, node: process.version }, options: opts, receiverRate, summary, runs }, null, 2));
  say(`\nwritten ${file}`);
  return summary.some((s) => s.failed > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`transport bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

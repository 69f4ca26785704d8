/**
 * The bench's HTTP endpoint, run as its own process so it does not share a CPU thread with the sink: counts
 * records and bytes, answers after a delay, stalls for a while, or rejects past K concurrent requests with 503.
 * Started by receiver-client.ts; takes commands and reports counts over IPC. Listens on 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PartitionGaps } from './partition-gaps.js';
import type { ReceiverCommand, ReceiverMode, ReceiverReport } from './receiver-protocol.js';

let mode: ReceiverMode = { latencyMs: 0, countBy: 'request' };
let counts = fresh();
let seen = new Uint8Array(0);
let stallUntil = 0;
let inFlight = 0;
const held = new Set<ServerResponse>();
const latencies: number[] = [];
let latencySince = Number.POSITIVE_INFINITY;

function fresh() {
  return { requests: 0, accepted: 0, rejected: 0, records: 0, unique: 0, bytes: 0, firstAt: 0, lastAt: 0, maxInFlight: 0 };
}

const gaps = new PartitionGaps();

const TS = /"ts":(\d+)/g;
const SEQ = /"seq":(\d+)/g;

function countRecords(body: Buffer): number {
  if (mode.countBy === 'request') return 1;
  let n = 0;
  for (let i = body.indexOf(10); i >= 0; i = body.indexOf(10, i + 1)) n += 1;
  return n;
}

function inspect(body: Buffer, now: number): void {
  if (mode.verifyRecords === undefined && !Number.isFinite(latencySince)) return;
  const text = body.toString('latin1');
  if (Number.isFinite(latencySince)) {
    for (const m of text.matchAll(TS)) {
      const ts = Number(m[1]);
      if (ts >= latencySince && latencies.length < 1_000_000) latencies.push(now - ts);
    }
  }
  if (mode.verifyRecords !== undefined) {
    for (const m of text.matchAll(SEQ)) {
      const seq = Number(m[1]);
      if (seq < seen.length && seen[seq] === 0) {
        seen[seq] = 1;
        counts.unique += 1;
      }
    }
  }
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    counts.requests += 1;
    const now = Date.now();
    if (now < stallUntil) {
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    if (mode.capacity !== undefined && inFlight >= mode.capacity) {
      counts.rejected += 1;
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('busy');
      return;
    }
    inFlight += 1;
    counts.maxInFlight = Math.max(counts.maxInFlight, inFlight);
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const gap = gaps.arrived(body, now);
    const answer = (): void => {
      inFlight -= 1;
      const at = Date.now();
      gaps.answered(gap, at);
      counts.accepted += 1;
      counts.records += countRecords(body);
      counts.bytes += body.length;
      if (counts.firstAt === 0) counts.firstAt = at;
      counts.lastAt = at;
      inspect(body, at);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    };
    if (mode.latencyMs > 0) setTimeout(answer, mode.latencyMs);
    else answer();
  });
}

function report(): ReceiverReport {
  return { ...counts, ...gaps.report(), inFlight, held: held.size, latencies: latencies.length };
}

function percentiles(): { p50: number; p95: number; p99: number; count: number } | undefined {
  if (latencies.length === 0) return undefined;
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), count: sorted.length };
}

const server = createServer({ keepAliveTimeout: 60_000 }, handle);
server.maxRequestsPerSocket = 0;
server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'listening', port: (server.address() as AddressInfo).port });
});

process.on('message', (command: ReceiverCommand) => {
  switch (command.type) {
    case 'mode':
      mode = command.mode;
      counts = fresh();
      seen = new Uint8Array(mode.verifyRecords ?? 0);
      latencies.length = 0;
      gaps.reset(mode.partitions);
      latencySince = Number.POSITIVE_INFINITY;
      stallUntil = mode.stallMs ? Date.now() + mode.stallMs : 0;
      if (mode.stallMs) setTimeout(() => held.forEach((res) => res.destroy()), mode.stallMs).unref();
      process.send!({ type: 'ack' });
      break;
    case 'latency':
      latencySince = command.since;
      process.send!({ type: 'ack' });
      break;
    case 'report':
      process.send!({ type: 'report', report: report(), latency: command.withLatency ? percentiles() : undefined });
      break;
    case 'close':
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close(() => process.exit(0));
      break;
  }
});
process.on('disconnect', () => process.exit(0));

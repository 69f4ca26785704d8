/**
 * `npm run startup -- [--runs N] [-- <command ...>]`: start-up time and peak RSS of `run` on the seed's file.
 * Starts a local broker, produces the seed's three records, and a local receiver; then runs the command (default:
 * `node bin/kafka-http-sink.mjs run <file>`, i.e. dist/) N times, each under a fresh connector name (so a fresh
 * consumer group), and prints per run: ms until "partitions assigned" is logged, ms until the first POST arrives,
 * and the process's peak RSS (VmHWM from /proc, read just before SIGTERM). Then min and median of each.
 *
 *   npm run startup -- --runs 5
 *   npm run startup -- --runs 5 -- node --import tsx src/cli/main-entry.ts   (any command taking `run <file>`)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalBroker } from '../src/cli/local-broker.js';
import { connectProducer, createTopic } from '../test/support/kafka-tools.js';
import { startReceiver } from '../test/support/receiver.js';

const SEED_FILE = 'pipelines/iot_measurements_sink.json';
const SEED_RECORDS = [
  { key: '1', value: '{"iot_id":1, "metric":"Temperature", "measurement":14}' },
  { key: '2', value: '{"iot_id":2, "metric":"Humidity", "measurement":60}' },
  { key: '1', value: '{"iot_id":1, "metric":"Temperature", "measurement":16}' },
];
const RUN_LIMIT_MS = 60_000;

const argv = process.argv.slice(2);
const dashes = argv.indexOf('--');
const runsAt = argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 5;
const command = dashes >= 0 ? argv.slice(dashes + 1) : [process.execPath, 'bin/kafka-http-sink.mjs'];
if (!Number.isInteger(runs) || runs < 1 || runs > 50 || command.length === 0) {
  process.stderr.write('usage: startup [--runs 1..50] [-- <command taking `run <file>`>]\n');
  process.exit(2);
}

interface Sample { assignedMs: number; firstPostMs: number; peakRssMb: number }

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const peakRssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? NaN) / 1024;
};
const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const broker = await startLocalBroker();
const receiver = await startReceiver();
const dir = mkdtempSync(join(tmpdir(), 'startup-'));
const samples: Sample[] = [];
try {
  await createTopic(broker.bootstrap, 'iot_measurements', 1);
  const producer = await connectProducer(broker.bootstrap);
  await producer.send('iot_measurements', SEED_RECORDS);
  await producer.close();
  const seed = JSON.parse(readFileSync(SEED_FILE, 'utf8')) as Record<string, unknown>;

  for (let run = 0; run < runs; run += 1) {
    const file = join(dir, `startup_${run}.json`);
    writeFileSync(file, JSON.stringify({ ...seed, name: `startup_${Date.now()}_${run}` }));
    const before = receiver.accepted.length;
    const started = performance.now();
    const child = spawn(command[0]!, [...command.slice(1), 'run', file], {
      env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap, SERVER_URL: receiver.url, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let assignedMs = NaN;
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (Number.isNaN(assignedMs) && stderr.includes('partitions assigned')) assignedMs = performance.now() - started;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let firstPostMs = NaN;
    for (let waited = 0; waited < RUN_LIMIT_MS && child.exitCode === null; waited += 5) {
      if (Number.isNaN(firstPostMs) && receiver.accepted.length > before) firstPostMs = performance.now() - started;
      if (receiver.accepted.length >= before + SEED_RECORDS.length) break;
      await sleep(5);
    }
    if (receiver.accepted.length < before + SEED_RECORDS.length) {
      child.kill('SIGKILL');
      throw new Error(`run ${run}: the three seed records did not arrive within ${RUN_LIMIT_MS} ms; it said:\n${stderr}`);
    }
    await sleep(200); // the commit after delivery; the process is idle again
    const rss = peakRssMb(child.pid!);
    child.kill('SIGTERM');
    const code = await exited;
    samples.push({ assignedMs, firstPostMs, peakRssMb: rss });
    process.stdout.write(`run ${run + 1}: assigned ${assignedMs.toFixed(0)} ms, first POST ${firstPostMs.toFixed(0)} ms, peak RSS ${rss.toFixed(1)} MB, exit ${code}\n`);
  }
  const stat = (pick: (s: Sample) => number): string => `min ${Math.min(...samples.map(pick)).toFixed(0)} / median ${median(samples.map(pick)).toFixed(0)}`;
  process.stdout.write(`${command.join(' ')} (${runs} runs)\n`);
  process.stdout.write(`  partitions assigned (ms): ${stat((s) => s.assignedMs)}\n`);
  process.stdout.write(`  first POST (ms):          ${stat((s) => s.firstPostMs)}\n`);
  process.stdout.write(`  peak RSS (MB):            ${stat((s) => s.peakRssMb)}\n`);
} finally {
  await receiver.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
}

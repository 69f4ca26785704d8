/**
 * `npm run bench:connect`: our sink side by side with Kafka Connect 3.9.1 on the same broker, records and receiver.
 * Starts the local broker and the bench's receiver, produces one topic once, then per receiver latency runs Kafka
 * Connect standalone with the conformance suite's reference sink (tasks.max 1 and 6) and our pipeline (tasks.max 1
 * and 2), each started from nothing, and prints total time, start-up, steady rate, CPU and peak RSS, each against
 * Connect's in the same run. Writes bench/results/connect-<time>.json. `--smoke`: tiny data, one run per side.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalBroker } from '../src/cli/local-broker.js';
import { startBenchReceiver } from './children.js';
import { parseConnectBenchOptions } from './connect-options.js';
import { compareToConnect, connectTable, type ConnectBenchResult, writeConnectResults } from './connect-report.js';
import { runSide, type SideRun, type SideSpec } from './connect-run.js';
import { createBenchTopic, produceRecords } from './data.js';
import { say } from './progress.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** Connect's jars and the compiled reference sink: fetched and compiled by scripts/fetch-connect.sh unless there already. */
function ensureConnect(): void {
  const libs = join(ROOT, '.conformance', 'libs');
  const compiled = join(ROOT, '.conformance', 'reference', 'conformance', 'reference');
  const ready = existsSync(libs) && readdirSync(libs).some((f) => f.startsWith('.complete-')) && existsSync(compiled) && readdirSync(compiled).length > 0;
  if (ready) return;
  if (spawnSync('bash', [join(ROOT, 'scripts', 'fetch-connect.sh')], { stdio: ['ignore', 'inherit', 'inherit'] }).status !== 0) {
    throw new Error('scripts/fetch-connect.sh failed');
  }
}

const load = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);

async function main(): Promise<number> {
  const options = parseConnectBenchOptions(process.argv.slice(2));
  if (!options) return 0;
  const startedAt = new Date().toISOString();
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, java: javaVersion() };
  const loadBefore = load();
  say(`bench:connect on ${machine.cpus} CPUs, load ${loadBefore.join(' ')}, ${machine.java}${options.smoke ? ' [smoke]' : ''}`);
  ensureConnect();
  const runId = Math.random().toString(36).slice(2, 8);
  const broker = await startLocalBroker();
  const receiver = await startBenchReceiver();
  const runs: SideRun[] = [];
  try {
    const topic = `bench_connect_${runId}`;
    await createBenchTopic(broker.bootstrap, topic, options.partitions);
    const t0 = Date.now();
    await produceRecords(broker.bootstrap, topic, { count: options.records, size: options.recordSize, partitions: options.partitions, format: 'plain' });
    say(`produced ${options.records.toLocaleString('en-US')} records of ${options.recordSize} B to ${topic} (${options.partitions} partitions) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const context = { root: ROOT, bootstrap: broker.bootstrap, topic, receiver, records: options.records, partitions: options.partitions, batchSize: options.batchSize, timeoutSeconds: options.timeoutSeconds, runId, verify: options.verify, ourSettings: options.ourSettings };
    for (const latencyMs of options.latencies) {
      const specs: SideSpec[] = [
        ...options.connectTasks.map((tasks): SideSpec => ({ side: 'connect', tasks, latencyMs })),
        ...options.ourTasks.map((tasks): SideSpec => ({ side: 'ours', tasks, latencyMs })),
      ];
      for (const spec of specs) runs.push(await runSide(spec, context));
    }
  } finally {
    await receiver.close();
    await broker.stop();
  }
  const compared = compareToConnect(runs);
  const result: ConnectBenchResult = {
    startedAt,
    command: `npm run bench:connect${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine, load: { before: loadBefore, after: load() }, options, runs: compared,
  };
  const file = writeConnectResults(fileURLToPath(new URL('./results', import.meta.url)), result);
  process.stdout.write(`\n${connectTable(compared)}\nload average before ${result.load.before.join(' ')}, after ${result.load.after.join(' ')}\n\nresults: ${file}\n`);
  return compared.every((r) => r.allArrived) ? 0 : 1;
}

/** `java -version`'s first line (it writes to stderr). */
function javaVersion(): string {
  const answer = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return answer.error ? 'java: not found' : (answer.stderr.split('\n')[0] ?? 'java');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`bench:connect failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);

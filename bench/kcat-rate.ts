/**
 * librdkafka's own consume rate on a topic, through kcat (Debian package `kcat`): the physical limit under
 * node-rdkafka, printed beside the raw consume rate. kcat reads every partition from the beginning to its end with
 * the same librdkafka properties (those its librdkafka knows) and writes one offset per record to a pipe; the rate is timed from the first
 * output to the end, and kcat's CPU (whole run, connecting included) is read from the shell's `times`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { CONSUMER_DEFAULTS } from '../src/source/consumer-defaults.js';

export interface KcatLimit {
  readonly records: number;
  readonly seconds: number;
  readonly recordsPerSecond: number;
  /** kcat's user + system CPU per 1,000 records over its whole run (start-up included). */
  readonly cpuMsPer1000?: number;
  readonly version: string;
}

/** kcat's version line, or undefined when it is not on the PATH. */
export function kcatVersion(): string | undefined {
  const probe = spawnSync('kcat', ['-V'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error || probe.status !== 0) return undefined;
  return /Version (\S+).*?(librdkafka \S+)/s.exec(probe.stdout)?.slice(1).join(', ') ?? 'unknown';
}

/** The consumer and global properties kcat's librdkafka knows (`kcat -X list`). */
function kcatProperties(): Set<string> {
  const list = spawnSync('kcat', ['-X', 'list'], { encoding: 'utf8', timeout: 10_000 });
  return new Set(`${list.stdout}${list.stderr}`.split('\n').flatMap((line) => /^([a-z][a-z0-9._]*)\s+\|/.exec(line)?.[1] ?? []));
}

/** Reads `count` records of `topic` (all partitions, from the beginning) with kcat; `properties` are given as `-X`. */
export async function measureKcatRate(
  bootstrap: string,
  topic: string,
  count: number,
  timeoutMs: number,
  properties: Readonly<Record<string, string | number>> = {},
): Promise<KcatLimit> {
  const version = kcatVersion();
  if (version === undefined) throw new Error('kcat not installed');
  // kcat's librdkafka may be older than node-rdkafka's: properties it does not know are left out (it would refuse them).
  const known = kcatProperties();
  const given = Object.entries(properties).filter(([k]) => known.has(k));
  const args = ['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%o\\n', ...given.flatMap(([k, v]) => ['-X', `${k}=${v}`])];
  // `times` after kcat prints the shell's children's user and system CPU (its second line), on stderr.
  const child = spawn('sh', ['-c', 'kcat "$@"; status=$?; times >&2; exit $status', 'sh', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let lines = 0;
  let first = 0;
  let last = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    if (first === 0) first = Date.now();
    last = Date.now();
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines += 1;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 10_000) stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  if (code !== 0 || lines < count) throw new Error(`kcat read ${lines} of ${count} records (exit ${String(code)}): ${stderr.trim().slice(0, 300)}`);
  const seconds = Math.max(0.001, (last - first) / 1000);
  return { records: lines, seconds, recordsPerSecond: lines / seconds, cpuMsPer1000: childCpuMs(stderr) / (lines / 1000), version };
}

/** The children's CPU from `times` output ("0m0.01s 0m0.00s\n0m0.52s 0m0.11s"): its last line, user plus system, in ms. */
function childCpuMs(text: string): number {
  const line = text.trim().split('\n').at(-1) ?? '';
  const seconds = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return seconds.length === 2 ? (seconds[0]! + seconds[1]!) * 1000 : Number.NaN;
}

/** librdkafka's own rate, or why it was not measured ("kcat not installed", or kcat's failure): the bench runs on. */
export type Librdkafka = KcatLimit | { readonly missing: string };

/** measureKcatRate with the source's librdkafka defaults, never throwing: the bench prints what it could not measure. */
export async function measureLibrdkafka(bootstrap: string, topic: string, count: number, timeoutMs: number): Promise<Librdkafka> {
  if (kcatVersion() === undefined) return { missing: 'kcat not installed' };
  try {
    return await measureKcatRate(bootstrap, topic, count, timeoutMs, CONSUMER_DEFAULTS);
  } catch (error) {
    return { missing: (error as Error).message };
  }
}

/**
 * What a worker and its task processes (`tasks.max` > 1, standalone) say to each other over the IPC channel: the
 * task's start (config, provider policy), hold/stop, and the task's reports: what its pipeline observed (coalesced,
 * every REPORT_INTERVAL_MS or once a list is full) and its stats. Every message from a task is checked before use:
 * unknown shapes are dropped, lists are bounded, texts cut.
 */
import { PROVIDERS, type ProviderName, type ProviderPolicy, TRUSTED_PROVIDERS } from '../common/config/providers.js';
import type { DeliverySummary, PipelineObserver } from '../connector/observe.js';
import type { SourceStats } from '../source/source-stats.js';
import type { WorkerClients } from '../source/worker-clients.js';

/** How often a task sends what its pipeline observed. */
export const REPORT_INTERVAL_MS = 200;
/** Most entries of one report's list (requests, deliveries); a full list is sent at once. */
export const MAX_ENTRIES = 1000;
/** Longest error text or trace taken from a task. */
export const MAX_TEXT = 4000;
/** Largest librdkafka statistics text (trimmed to the lag fields) a task sends. */
const MAX_STATISTICS = 1_000_000;
/** Most offset commits one report may count (a few per second are usual). */
const MAX_COMMITS = 100_000;
/** Most partitions in a stats snapshot. */
const MAX_PARTITIONS = 100_000;

/** A provider policy as plain data; `trusted` is the operator's own files' policy. */
export type PolicyMessage =
  | 'trusted'
  | { providers: string[]; allowedPaths?: string[]; envPattern?: { source: string; flags: string }; setBy?: ProviderPolicy['setBy'] };

export interface StartMessage {
  readonly type: 'start';
  readonly taskId: number;
  /** The connector config as given (references unresolved): the task resolves it under `policy`. */
  readonly connector: Record<string, unknown>;
  /** A pipeline file (`.ts`, `.js`) whose `build` the task loads itself; absent for the standard chain. */
  readonly file?: string;
  readonly policy: PolicyMessage;
  /** The worker file's settings for the task's Kafka clients (may hold passwords: never logged). */
  readonly clients?: WorkerClients;
  readonly statisticsIntervalMs: number;
  readonly held: boolean;
  /** The winston level of the connector's lines (`/admin/loggers`); absent: the task's default. */
  readonly logLevel?: string;
}

export type ToTask = StartMessage | { readonly type: 'hold'; readonly held: boolean } | { readonly type: 'log-level'; readonly level: string } | { readonly type: 'stop' };

export interface ReportMessage {
  readonly type: 'report';
  readonly read: number;
  /** [status or null (no response), milliseconds] per HTTP attempt. */
  readonly requested: [number | null, number][];
  /** [outcome, attempts, records] per request that reached the end of the chain. */
  readonly finished: [DeliverySummary['outcome'], number, number][];
  /** [count, action, error] per batch of records that failed for good. */
  readonly failed: [number, 'dlq' | 'drop', string][];
  /** Offset commits the broker confirmed, and those that failed. */
  readonly committed: [number, number];
  readonly statistics?: { json: string; ends: [string, number][] };
  readonly stats?: StatsMessage;
  /** The worker's pause holds this task's partitions: the task applied the hold and its consumer paused them. */
  readonly held?: boolean;
}

export interface StatsMessage {
  readonly consumed: number;
  readonly inFlight: number;
  readonly paused: boolean;
  readonly committed: [string, number][];
  readonly commits: number;
}

export type FromTask = { readonly type: 'started' } | { readonly type: 'failed'; readonly error: string } | ReportMessage;

export function policyMessage(policy: ProviderPolicy): PolicyMessage {
  if (policy === TRUSTED_PROVIDERS) return 'trusted';
  return {
    providers: [...policy.providers],
    ...(policy.allowedPaths ? { allowedPaths: [...policy.allowedPaths] } : {}),
    ...(policy.envPattern ? { envPattern: { source: policy.envPattern.source, flags: policy.envPattern.flags } } : {}),
    ...(policy.setBy ? { setBy: policy.setBy } : {}),
  };
}

export function policyFrom(message: PolicyMessage): ProviderPolicy {
  if (message === 'trusted') return TRUSTED_PROVIDERS;
  const providers = new Set(message.providers.filter((p): p is ProviderName => (PROVIDERS as readonly string[]).includes(p)));
  return {
    providers,
    ...(message.allowedPaths ? { allowedPaths: message.allowedPaths } : {}),
    ...(message.envPattern ? { envPattern: new RegExp(message.envPattern.source, message.envPattern.flags) } : {}),
    ...(message.setBy ? { setBy: message.setBy } : {}),
  };
}

/**
 * The task's side: a PipelineObserver that keeps what it is told until `take()` (or `onFull`, once a list is
 * full) turns it into one report.
 */
export class ObserverRelay implements PipelineObserver {
  private readCount = 0;
  private requests: [number | null, number][] = [];
  private deliveries: [DeliverySummary['outcome'], number, number][] = [];
  private failures: [number, 'dlq' | 'drop', string][] = [];
  private commitsOk = 0;
  private commitsFailed = 0;
  private lastStatistics: ReportMessage['statistics'];

  constructor(private readonly onFull: () => void) {}

  read(count: number): void {
    this.readCount += count;
  }

  requested(status: number | undefined, seconds: number): void {
    this.requests.push([status ?? null, Math.round(seconds * 1000)]);
    if (this.requests.length >= MAX_ENTRIES) this.onFull();
  }

  finished(delivery: DeliverySummary): void {
    this.deliveries.push([delivery.outcome, delivery.attempts, delivery.records]);
    if (this.deliveries.length >= MAX_ENTRIES) this.onFull();
  }

  failed(count: number, action: 'dlq' | 'drop', error: string): void {
    const last = this.failures.at(-1);
    // past the bound, failures of the same action are counted into the last one (its error stays the example)
    if (this.failures.length >= MAX_ENTRIES && last?.[1] === action) last[0] += count;
    else this.failures.push([count, action, error.slice(0, MAX_TEXT)]);
    if (this.failures.length >= MAX_ENTRIES) this.onFull();
  }

  statistics(json: string, ends?: ReadonlyMap<string, number>): void {
    const trimmed = lagStatistics(json);
    if (trimmed !== undefined && trimmed.length <= MAX_STATISTICS) this.lastStatistics = { json: trimmed, ends: [...(ends ?? [])].slice(0, MAX_PARTITIONS) };
  }

  committed(ok: boolean): void {
    if (ok) this.commitsOk++;
    else this.commitsFailed++;
  }

  /** Everything observed since the last report, with the pipeline's stats and whether the worker's pause holds it. */
  take(stats: SourceStats | undefined, held?: boolean): ReportMessage {
    const report: ReportMessage = {
      type: 'report',
      read: this.readCount,
      requested: this.requests,
      finished: this.deliveries,
      failed: this.failures,
      committed: [this.commitsOk, this.commitsFailed],
      ...(this.lastStatistics ? { statistics: this.lastStatistics } : {}),
      ...(stats ? { stats: { consumed: stats.consumed, inFlight: stats.inFlight, paused: stats.paused, committed: [...stats.committed], commits: stats.commits } } : {}),
      ...(held === undefined ? {} : { held }),
    };
    this.readCount = this.commitsOk = this.commitsFailed = 0;
    this.requests = [];
    this.deliveries = [];
    this.failures = [];
    this.lastStatistics = undefined;
    return report;
  }
}

/** librdkafka's statistics cut to what the consumer lag is computed from (the partitions' offsets): far smaller. */
function lagStatistics(json: string): string | undefined {
  try {
    const statistics = JSON.parse(json) as { topics?: Record<string, { partitions?: Record<string, Record<string, unknown>> }> };
    const keep = ['desired', 'consumer_lag', 'committed_offset', 'app_offset', 'next_offset', 'hi_offset', 'ls_offset'];
    const topics = Object.fromEntries(
      Object.entries(statistics.topics ?? {}).map(([topic, { partitions = {} } = {}]) => [
        topic,
        { partitions: Object.fromEntries(Object.entries(partitions).map(([id, p]) => [id, Object.fromEntries(keep.filter((k) => k in p).map((k) => [k, p[k]]))])) },
      ]),
    );
    return JSON.stringify({ topics });
  } catch {
    return undefined;
  }
}

/**
 * The worker's side: a message from a task, checked. A report is handed to `observer` call by call, and its stats
 * returned; `started` and `failed` are returned as they are; anything else is undefined (dropped).
 */
export function taskMessage(message: unknown): FromTask | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  if (m.type === 'started') return { type: 'started' };
  if (m.type === 'failed') return { type: 'failed', error: typeof m.error === 'string' ? m.error.slice(0, MAX_TEXT) : 'the task failed' };
  if (m.type !== 'report') return undefined;
  // each list bounded, and each entry the tuple it should be (its length too: no huge entry rides in a short list)
  const pairs = (value: unknown, limit: number, check: (entry: unknown[]) => boolean, arity: number): boolean =>
    Array.isArray(value) && value.length <= limit && value.every((e) => Array.isArray(e) && e.length === arity && check(e));
  const valid =
    isCount(m.read) &&
    pairs(m.requested, MAX_ENTRIES, ([status, ms]) => (status === null || isCount(status)) && isCount(ms), 2) &&
    pairs(m.finished, MAX_ENTRIES, ([outcome, attempts, records]) => ['delivered', 'dead-lettered', 'dropped'].includes(outcome as string) && isCount(attempts) && isCount(records), 3) &&
    pairs(m.failed, MAX_ENTRIES, ([count, action, error]) => isCount(count) && (action === 'dlq' || action === 'drop') && typeof error === 'string' && error.length <= MAX_TEXT, 3) &&
    pairs([m.committed], 1, ([ok, failed]) => isCount(ok) && isCount(failed) && ok + failed <= MAX_COMMITS, 2) &&
    (m.statistics === undefined || validStatistics(m.statistics)) &&
    (m.stats === undefined || validStats(m.stats)) &&
    (m.held === undefined || typeof m.held === 'boolean');
  return valid ? (m as unknown as ReportMessage) : undefined;
}

/** Tells `observer` what a (checked) report says, call by call. */
export function replay(report: ReportMessage, observer: PipelineObserver): void {
  if (report.read > 0) observer.read(report.read);
  for (const [status, ms] of report.requested) observer.requested(status ?? undefined, ms / 1000);
  for (const [outcome, attempts, records] of report.finished) observer.finished({ outcome, attempts, records });
  for (const [count, action, error] of report.failed) observer.failed(count, action, error.slice(0, MAX_TEXT));
  for (let i = 0; i < report.committed[0]; i++) observer.committed(true);
  for (let i = 0; i < report.committed[1]; i++) observer.committed(false);
  if (report.statistics) observer.statistics(report.statistics.json, new Map(report.statistics.ends));
}

export function statsFrom(message: StatsMessage): SourceStats {
  return { consumed: message.consumed, inFlight: message.inFlight, paused: message.paused, committed: new Map(message.committed), commits: message.commits };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function validStatistics(value: unknown): boolean {
  const s = value as { json?: unknown; ends?: unknown };
  return typeof s === 'object' && s !== null && typeof s.json === 'string' && s.json.length <= MAX_STATISTICS && validOffsets(s.ends);
}

function validStats(value: unknown): boolean {
  const s = value as Record<string, unknown>;
  return typeof s === 'object' && s !== null && isCount(s.consumed) && isCount(s.inFlight) && typeof s.paused === 'boolean' && isCount(s.commits) && validOffsets(s.committed);
}

function validOffsets(value: unknown): boolean {
  return Array.isArray(value) && value.length <= MAX_PARTITIONS && value.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && e[0].length <= 1000 && typeof e[1] === 'number' && Number.isSafeInteger(e[1]));
}

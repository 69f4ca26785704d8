/**
 * Runs one case on one side: creates its connector through the REST API, waits until the connector committed every
 * record (or failed, or was refused), then deletes it. What the endpoint received is read from the side's recorder.
 */
import { type ConformanceCase, slug } from './cases.js';
import { rest, type Side } from './sides.js';

export const AIVEN_CLASS = 'io.aiven.kafka.connect.http.HttpSinkConnector';
export const REFERENCE_CLASS = 'conformance.reference.ReferenceSinkConnector';

export type OutcomeKind = 'completed' | 'failed' | 'refused' | 'timeout';

export interface Outcome {
  kind: OutcomeKind;
  /** Why it failed or was refused (the first line of the trace or the REST answer), or what it was waiting for. */
  detail: string;
}

export function topicOf(c: ConformanceCase): string {
  return `conformance.${slug(c.name)}`;
}

/**
 * The connector file both sides get: the case's keys as strings (as Connect stores them; a key set to null in a case
 * is left out, so a case can drop a default of its file), plus `name`, `topics` and
 * `http.url`. Connect runs the reference class; the URL carries the partitions of each request (our worker renders
 * `${partition}` in the query; the reference connector appends `?p=`).
 */
export function connectorFile(c: ConformanceCase, side: Side, recorderUrl: string): Record<string, string> {
  const config: Record<string, string> = { 'connector.class': AIVEN_CLASS };
  for (const [key, value] of Object.entries(c.connector)) {
    if (value === null) delete config[key];
    else config[key] = String(value);
  }
  config.name = `${side.label}-${slug(c.name)}`;
  config.topics = topicOf(c);
  if (side.label === 'connect') {
    config['connector.class'] = REFERENCE_CLASS;
    config['http.url'] = `${recorderUrl}/${slug(c.name)}`;
  } else {
    config['http.url'] = `${recorderUrl}/${slug(c.name)}?p=\${partition}`;
  }
  return config;
}

/** A REST error message: its first two lines (Connect's validation answer names the problem on the second). */
function messageLines(text: unknown): string {
  const s = typeof text === 'string' ? text : JSON.stringify(text);
  return (s ?? '').split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2).join(' ').slice(0, 300);
}

/** A failed task's trace: its root cause (the last `Caused by:` line), or its first line. */
function causeOf(trace: string): string {
  const causes = trace.split('\n').filter((l) => l.startsWith('Caused by: '));
  return (causes.length > 0 ? causes[causes.length - 1]!.slice('Caused by: '.length) : trace.split('\n')[0]!).slice(0, 300);
}

interface StatusBody {
  connector?: { state?: string; trace?: string };
  tasks?: { state?: string; trace?: string }[];
}

interface OffsetsBody {
  offsets?: { partition?: { kafka_partition?: number }; offset?: { kafka_offset?: number } }[];
}

/** Records produced to each partition of the case's topic: the offsets a finished connector has committed. */
export function endsOf(c: ConformanceCase): number[] {
  const ends = new Array<number>(c.partitions).fill(0);
  for (const r of c.records) ends[r.partition ?? 0]! += 1;
  return ends;
}

export async function runCase(side: Side, c: ConformanceCase, recorderUrl: string, timeoutMs: number): Promise<Outcome> {
  const config = connectorFile(c, side, recorderUrl);
  const name = config.name!;
  const created = await rest(side.base, 'POST', '/connectors', { name, config });
  if (created.status >= 400) {
    const message = (created.body as { message?: string } | undefined)?.message ?? created.body;
    return { kind: 'refused', detail: `${created.status} ${messageLines(message)}` };
  }
  try {
    return await settle(side, name, endsOf(c), timeoutMs);
  } finally {
    await rest(side.base, 'DELETE', `/connectors/${encodeURIComponent(name)}`).catch(() => undefined);
  }
}

async function settle(side: Side, name: string, ends: number[], timeoutMs: number): Promise<Outcome> {
  const deadline = Date.now() + timeoutMs;
  let waiting = 'status';
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    const status = await rest(side.base, 'GET', `/connectors/${encodeURIComponent(name)}/status`).catch(() => undefined);
    const body = status?.body as StatusBody | undefined;
    const failed = [body?.connector, ...(body?.tasks ?? [])].find((s) => s?.state === 'FAILED');
    if (failed) {
      // A failing worker may still finish a request that was in flight: give it a moment to arrive.
      await new Promise((resolve) => setTimeout(resolve, 500));
      return { kind: 'failed', detail: causeOf(failed.trace ?? 'FAILED') };
    }
    if (body?.tasks?.[0]?.state !== 'RUNNING') {
      waiting = `task ${body?.tasks?.[0]?.state ?? 'not started'}`;
      continue;
    }
    const offsets = await rest(side.base, 'GET', `/connectors/${encodeURIComponent(name)}/offsets`).catch(() => undefined);
    const committed = new Map<number, number>();
    for (const o of (offsets?.body as OffsetsBody | undefined)?.offsets ?? []) {
      committed.set(o.partition?.kafka_partition ?? -1, o.offset?.kafka_offset ?? -1);
    }
    const behind = ends.map((end, p) => [p, end - (committed.get(p) ?? 0)] as const).filter(([, lag]) => lag > 0);
    if (behind.length === 0) return { kind: 'completed', detail: '' };
    waiting = `offsets: ${behind.map(([p, lag]) => `p${p} ${lag} behind`).join(', ')}`;
  }
  return { kind: 'timeout', detail: `after ${timeoutMs} ms, waiting for ${waiting}` };
}

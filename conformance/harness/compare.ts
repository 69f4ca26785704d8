/**
 * Compares what the two sides delivered for one case: the outcome (completed, or stopped: refused or failed), then
 * per partition, request by request in order, the method, the headers both may send and the body bytes.
 */
import type { Delivered } from './receivers.js';
import type { Outcome } from './run-case.js';

/** Headers of the transport, which the two HTTP clients set their own way; every other header is compared. */
const TRANSPORT_HEADERS = new Set(['host', 'content-length', 'connection', 'upgrade', 'http2-settings', 'user-agent', 'transfer-encoding', 'keep-alive']);

export interface SideRun {
  outcome: Outcome;
  requests: Delivered[];
}

export interface Difference {
  /** What differs, in words: `outcome`, `p0 request 2: body at byte 17`, ... */
  what: string;
  connect: string;
  ours: string;
  /** The whole first differing request of each side, for the report file. */
  connectFull?: string;
  oursFull?: string;
}

/** Bytes as text a terminal shows unambiguously: printable ASCII as is, `\n` `\r` `\t` `\\`, anything else `\xNN`. */
export function showBytes(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** A window of `bytes` around `at`, shown with showBytes. */
function around(bytes: Buffer, at: number, width = 60): string {
  const start = Math.max(0, at - width);
  const end = Math.min(bytes.length, at + width * 2);
  return `${start > 0 ? '…' : ''}${showBytes(bytes.subarray(start, end))}${end < bytes.length ? `…(${bytes.length} bytes)` : ''}`;
}

export function describeRequest(r: Delivered | undefined): string {
  if (!r) return '(no request)';
  const headers = Object.entries(r.headers)
    .filter(([k]) => !TRANSPORT_HEADERS.has(k))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  return `${r.method} [p=${r.partitions}] {${headers}} body ${r.body.length} bytes: ${showBytes(r.body)}`;
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
  const stopped = (o: Outcome): boolean => o.kind === 'failed' || o.kind === 'refused';
  if (a.kind === 'timeout' || b.kind === 'timeout') return false;
  return a.kind === b.kind || (stopped(a) && stopped(b));
}

function byPartitions(requests: Delivered[]): Map<string, Delivered[]> {
  const map = new Map<string, Delivered[]>();
  for (const r of requests) map.set(r.partitions, [...(map.get(r.partitions) ?? []), r]);
  return map;
}

function compareRequest(a: Delivered, b: Delivered): string | undefined {
  if (a.method !== b.method) return 'method';
  const names = new Set([...Object.keys(a.headers), ...Object.keys(b.headers)].filter((k) => !TRANSPORT_HEADERS.has(k)));
  for (const name of [...names].sort()) if (a.headers[name] !== b.headers[name]) return `header ${name}`;
  if (!a.body.equals(b.body)) {
    let at = 0;
    while (at < a.body.length && at < b.body.length && a.body[at] === b.body[at]) at += 1;
    return `body at byte ${at}`;
  }
  return undefined;
}

/** undefined when the two runs are identical. */
export function compareRuns(connect: SideRun, ours: SideRun): Difference | undefined {
  const connectParts = byPartitions(connect.requests);
  const ourParts = byPartitions(ours.requests);
  const keys = [...new Set([...connectParts.keys(), ...ourParts.keys()])].sort();
  for (const key of keys) {
    const a = connectParts.get(key) ?? [];
    const b = ourParts.get(key) ?? [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const ra = a[i];
      const rb = b[i];
      const what = ra && rb ? compareRequest(ra, rb) : 'request count';
      if (!what) continue;
      const at = /body at byte (\d+)/.exec(what);
      const show = (r: Delivered | undefined): string =>
        at && r ? `body ${r.body.length} bytes, from byte ${Math.max(0, Number(at[1]) - 60)}: ${around(r.body, Number(at[1]))}` : describeRequest(r);
      return {
        what: `p${key} request ${i}: ${what}${what === 'request count' ? ` (connect ${a.length}, ours ${b.length})` : ''}`,
        connect: show(ra),
        ours: show(rb),
        connectFull: describeRequest(ra),
        oursFull: describeRequest(rb),
      };
    }
  }
  if (!sameOutcome(connect.outcome, ours.outcome)) {
    const show = (o: Outcome): string => `${o.kind}${o.detail ? `: ${o.detail}` : ''}`;
    return { what: 'outcome', connect: show(connect.outcome), ours: show(ours.outcome) };
  }
  return undefined;
}

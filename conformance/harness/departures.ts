/**
 * conformance/departures.json: the differences we chose. `departure` is a difference with its reason, asserted as
 * such: the case must still differ, and when `ours` is given our side's first differing request must show exactly
 * that. `known` marks a difference awaiting a fix, for work in progress only: it fails the run like an undeclared
 * difference unless CONFORMANCE_ALLOW_KNOWN=1 (the file on main holds none).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Difference } from './compare.js';

export interface Departure {
  /** A case name, or a prefix ending in `*` (`generated/*`). */
  case: string;
  kind: 'known' | 'departure';
  reason: string;
  /** For a departure: our side's first differing request, as the table or the report file shows it (optional). */
  ours?: string;
}

export function loadDepartures(file: string): Departure[] {
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { departures?: Departure[] };
  for (const d of parsed.departures ?? []) {
    if (typeof d.case !== 'string' || (d.kind !== 'known' && d.kind !== 'departure') || typeof d.reason !== 'string' || d.reason === '') {
      throw new Error(`${file}: each entry needs "case", "kind" ("known" or "departure") and a "reason": ${JSON.stringify(d)}`);
    }
  }
  return parsed.departures ?? [];
}

export function departureFor(departures: Departure[], name: string): Departure | undefined {
  return departures.find((d) => (d.case.endsWith('*') ? name.startsWith(d.case.slice(0, -1)) : d.case === name));
}

export type Verdict = 'identical' | 'differs' | 'known' | 'departure' | 'departure-mismatch' | 'stale-known' | 'stale-departure';

/**
 * How a case counts: `differs`, `departure-mismatch` and `stale-departure` (a declared departure that no longer
 * differs) fail the run; so do `known` and `stale-known` (fixed: remove the entry), unless known entries are allowed.
 */
export function verdictOf(difference: Difference | undefined, departure: Departure | undefined): Verdict {
  if (!difference) {
    if (!departure || departure.case.endsWith('*')) return 'identical';
    return departure.kind === 'known' ? 'stale-known' : 'stale-departure';
  }
  if (!departure) return 'differs';
  if (departure.kind === 'known') return 'known';
  const asDeclared = departure.ours === undefined || departure.ours === difference.ours || departure.ours === difference.oursFull;
  return asDeclared ? 'departure' : 'departure-mismatch';
}

export function failsRun(verdict: Verdict, allowKnown: boolean): boolean {
  if (verdict === 'differs' || verdict === 'departure-mismatch' || verdict === 'stale-departure') return true;
  return !allowKnown && (verdict === 'known' || verdict === 'stale-known');
}

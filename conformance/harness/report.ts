/** The suite's table (stdout) and its full report (conformance/last-report.txt). */
import type { Difference } from './compare.js';
import type { Departure, Verdict } from './departures.js';
import type { Outcome } from './run-case.js';

export interface CaseResult {
  name: string;
  about: string;
  verdict: Verdict;
  difference?: Difference;
  departure?: Departure;
  connect: Outcome;
  ours: Outcome;
  requests: { connect: number; ours: number };
}

const LABEL: Record<Verdict, string> = {
  identical: 'identical',
  differs: 'DIFFERS',
  known: 'differs (known)',
  departure: 'departure (declared)',
  'departure-mismatch': 'DEPARTURE CHANGED',
  'stale-known': 'identical (known entry: remove it)',
  'stale-departure': 'IDENTICAL, BUT DECLARED A DEPARTURE',
};

function outcomeText(o: Outcome): string {
  return o.kind === 'completed' ? 'completed' : `${o.kind}: ${o.detail}`;
}

/** One block per case: the verdict, and for a difference what differs and the first differing request of each side. */
export function table(results: readonly CaseResult[], full: boolean): string {
  const width = Math.min(48, Math.max(...results.map((r) => r.name.length), 4));
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.name.padEnd(width)}  ${LABEL[r.verdict]}  (${r.requests.connect}/${r.requests.ours} requests)`);
    if (r.verdict === 'identical' && !full) continue;
    if (full) lines.push(`    about:   ${r.about}`, `    outcome: connect ${outcomeText(r.connect)}; ours ${outcomeText(r.ours)}`);
    if (r.departure) lines.push(`    ${r.departure.kind}: ${r.departure.reason}`);
    if (r.difference) {
      lines.push(`    differs: ${r.difference.what}`);
      lines.push(`    connect: ${full ? r.difference.connectFull ?? r.difference.connect : r.difference.connect}`);
      lines.push(`    ours:    ${full ? r.difference.oursFull ?? r.difference.ours : r.difference.ours}`);
      if (full && r.difference.connectFull) lines.push(`    (window) connect: ${r.difference.connect}`, `    (window) ours:    ${r.difference.ours}`);
    }
  }
  const identical = results.filter((r) => r.verdict === 'identical' || r.verdict === 'stale-known' || r.verdict === 'stale-departure').length;
  const count = (...verdicts: Verdict[]): number => results.filter((r) => verdicts.includes(r.verdict)).length;
  lines.push('', `${identical}/${results.length} identical (${count('known')} known differences, ${count('departure')} declared departures, ` +
    `${count('differs', 'departure-mismatch', 'stale-departure')} undeclared)`);
  return lines.join('\n') + '\n';
}

/** The conformance suite's own logic: how bytes are shown, how two runs compare, how departures count, the generator. */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadCases } from '../../conformance/harness/cases.js';
import { compareRuns, showBytes, type SideRun } from '../../conformance/harness/compare.js';
import { departureFor, failsRun, verdictOf } from '../../conformance/harness/departures.js';
import { generateCases } from '../../conformance/harness/generate.js';
import type { Delivered } from '../../conformance/harness/receivers.js';
import { connectorFile } from '../../conformance/harness/run-case.js';
import type { Side } from '../../conformance/harness/sides.js';

const request = (body: string | Buffer, partitions = '0', headers: Record<string, string> = {}): Delivered => ({
  partitions,
  method: 'POST',
  headers: { host: 'x', 'user-agent': 'y', 'content-length': '1', ...headers },
  body: Buffer.isBuffer(body) ? body : Buffer.from(body),
});
const completed = (...requests: Delivered[]): SideRun => ({ outcome: { kind: 'completed', detail: '' }, requests });

describe('showBytes', () => {
  it('shows invisible and non-ASCII bytes as escapes, so two bodies that print alike look different', () => {
    expect(showBytes(Buffer.from('a\n\t\\"é\u0000'))).toBe('a\\n\\t\\\\"\\xc3\\xa9\\x00');
    expect(showBytes(Buffer.from('\u{1F600}'))).not.toBe(showBytes(Buffer.from('\\uD83D\\uDE00')));
  });
});

describe('compareRuns', () => {
  it('finds nothing when the requests of each partition match, whatever the interleaving of partitions and transport headers', () => {
    const connect = completed(request('a', '0'), request('b', '1'), request('c', '0'));
    const ours = completed(request('b', '1', { 'user-agent': 'other' }), request('a', '0'), request('c', '0'));
    expect(compareRuns(connect, ours)).toBeUndefined();
  });

  it('names the first differing byte and shows both sides', () => {
    const d = compareRuns(completed(request('{"a":0.0}')), completed(request('{"a":-0.0}')));
    expect(d?.what).toBe('p0 request 0: body at byte 5');
    expect(d?.connect).toContain('{"a":0.0}');
    expect(d?.ours).toContain('{"a":-0.0}');
  });

  it('compares the headers both may send, and the order within a partition', () => {
    expect(compareRuns(completed(request('x', '0', { 'content-type': 'a' })), completed(request('x', '0')))?.what).toBe('p0 request 0: header content-type');
    expect(compareRuns(completed(request('1'), request('2')), completed(request('2'), request('1')))?.what).toBe('p0 request 0: body at byte 0');
  });

  it('counts refused and failed as the same outcome (both stop), but not as completed', () => {
    const refused: SideRun = { outcome: { kind: 'refused', detail: '400' }, requests: [] };
    const failed: SideRun = { outcome: { kind: 'failed', detail: 'boom' }, requests: [] };
    expect(compareRuns(refused, failed)).toBeUndefined();
    expect(compareRuns(failed, completed())?.what).toBe('outcome');
  });
});

describe('departures', () => {
  const departures = [
    { case: 'a', kind: 'known' as const, reason: 'awaiting a fix' },
    { case: 'b', kind: 'departure' as const, reason: 'chosen', ours: 'X' },
    { case: 'gen/*', kind: 'known' as const, reason: 'prefix' },
  ];
  const difference = { what: 'w', connect: 'C', ours: 'X' };

  it('fails the run on an undeclared difference, a changed departure, a departure that no longer differs and a known entry (unless allowed)', () => {
    expect(failsRun(verdictOf(difference, undefined), false)).toBe(true);
    expect(failsRun(verdictOf(difference, undefined), true)).toBe(true);
    expect(verdictOf(difference, departureFor(departures, 'a'))).toBe('known');
    expect(failsRun('known', false)).toBe(true);
    expect(failsRun('stale-known', false)).toBe(true);
    expect(failsRun('known', true)).toBe(false);
    expect(verdictOf(difference, departureFor(departures, 'b'))).toBe('departure');
    expect(verdictOf({ ...difference, ours: 'Y' }, departureFor(departures, 'b'))).toBe('departure-mismatch');
    expect(failsRun(verdictOf(undefined, departureFor(departures, 'b')), false)).toBe(true);
    expect(verdictOf(undefined, departureFor(departures, 'a'))).toBe('stale-known');
    expect(verdictOf(difference, departureFor(departures, 'gen/1'))).toBe('known');
  });
});

describe('cases', () => {
  it('loads every case file, each case with what it is about and its records', () => {
    const cases = loadCases(join(process.cwd(), 'conformance', 'cases'));
    expect(cases.length).toBeGreaterThan(100);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    for (const c of cases) expect(c.about.length).toBeGreaterThan(0);
  });

  it('gives both sides the same connector file but for name, http.url and (on Connect) connector.class', () => {
    const c = loadCases(join(process.cwd(), 'conformance', 'cases')).find((x) => x.name === 'basics/headers-static')!;
    const side = (label: Side['label']): Side => ({ label, base: '', logFile: '', dir: '', stop: async () => undefined });
    const connect = connectorFile(c, side('connect'), 'http://127.0.0.1:1');
    const ours = connectorFile(c, side('ours'), 'http://127.0.0.1:2');
    const differing = new Set(['name', 'http.url', 'connector.class']);
    const rest = (config: Record<string, string>): Record<string, string> =>
      Object.fromEntries(Object.entries(config).filter(([key]) => !differing.has(key)));
    expect(rest(connect)).toEqual(rest(ours));
    expect(rest(ours)['http.headers.authorization']).toBe('Bearer abc');
    expect(ours['connector.class']).toBe('io.aiven.kafka.connect.http.HttpSinkConnector');
    expect(ours['http.url']).toBe('http://127.0.0.1:2/basics_headers-static?p=${partition}');
  });

  it('generates the same cases from the same seed, and others from another', () => {
    expect(generateCases(7, 4)).toEqual(generateCases(7, 4));
    expect(JSON.stringify(generateCases(8, 4))).not.toBe(JSON.stringify(generateCases(7, 4)));
  });
});

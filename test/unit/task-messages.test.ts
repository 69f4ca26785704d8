/** The worker <-> task process messages: policies survive the trip, reports are coalesced, bounded and checked. */
import { describe, expect, it } from '@jest/globals';
import { NO_PROVIDERS, TRUSTED_PROVIDERS, type ProviderPolicy } from '../../src/common/config/providers.js';
import type { PipelineObserver } from '../../src/connector/observe.js';
import { MAX_ENTRIES, ObserverRelay, policyFrom, policyMessage, replay, taskMessage, type ReportMessage } from '../../src/worker/task-messages.js';

/** An observer that writes down every call. */
function recording(): { observer: PipelineObserver; calls: string[] } {
  const calls: string[] = [];
  const observer: PipelineObserver = {
    read: (n) => calls.push(`read ${n}`),
    requested: (status, seconds) => calls.push(`requested ${status} ${seconds}`),
    finished: (d) => calls.push(`finished ${d.outcome} ${d.attempts} ${d.records}`),
    failed: (n, action, error) => calls.push(`failed ${n} ${action} ${error}`),
    statistics: (json, ends) => calls.push(`statistics ${json} ${JSON.stringify([...(ends ?? [])])}`),
    committed: (ok) => calls.push(`committed ${ok}`),
  };
  return { observer, calls };
}

describe('task process messages', () => {
  it('keeps a provider policy as it was, the trusted one by identity (it may set anything)', () => {
    const through = (policy: ProviderPolicy): ProviderPolicy => policyFrom(JSON.parse(JSON.stringify(policyMessage(policy))) as never);
    expect(through(TRUSTED_PROVIDERS)).toBe(TRUSTED_PROVIDERS);
    expect(through(NO_PROVIDERS).providers.size).toBe(0);
    const worker: ProviderPolicy = { providers: new Set(['env']), envPattern: /^SERVER_URL$/i, allowedPaths: ['/etc/x'], setBy: { providers: 'A', allowedPaths: 'B', envPattern: 'C' } };
    const back = through(worker);
    expect([...back.providers]).toEqual(['env']);
    expect(back.envPattern?.test('server_url')).toBe(true);
    expect(back.envPattern?.test('SECRET')).toBe(false);
    expect(back).toMatchObject({ allowedPaths: ['/etc/x'], setBy: worker.setBy });
    expect(through({ providers: new Set(['env', 'nope' as never]) }).providers).toEqual(new Set(['env']));
  });

  it('coalesces what a pipeline observed into one report, replayed call by call on the worker side', () => {
    let full = 0;
    const relay = new ObserverRelay(() => full++);
    relay.read(3);
    relay.read(2);
    relay.requested(200, 0.0123);
    relay.requested(undefined, 1);
    relay.finished({ outcome: 'delivered', attempts: 2, records: 5 });
    relay.failed(1, 'dlq', 'HTTP 400');
    relay.committed(true);
    relay.committed(false);
    relay.statistics(JSON.stringify({ name: 'rdkafka#consumer-1', brokers: { b: { big: 'x'.repeat(1000) } }, topics: { t: { partitions: { '0': { desired: true, consumer_lag: 4, fetchq_cnt: 9 } } } } }), new Map([['t/0', 7]]));
    const report = JSON.parse(JSON.stringify(relay.take({ consumed: 5, inFlight: 1, paused: false, committed: new Map([['t/0', 4]]), commits: 1 }))) as ReportMessage;
    expect(full).toBe(0);
    expect(report.statistics?.json).toBe('{"topics":{"t":{"partitions":{"0":{"desired":true,"consumer_lag":4}}}}}'); // only what the lag needs
    const checked = taskMessage(report);
    expect(checked).toEqual(report);
    const { observer, calls } = recording();
    replay(checked as ReportMessage, observer);
    expect(calls).toEqual([
      'read 5',
      'requested 200 0.012',
      'requested undefined 1',
      'finished delivered 2 5',
      'failed 1 dlq HTTP 400',
      'committed true',
      'committed false',
      'statistics {"topics":{"t":{"partitions":{"0":{"desired":true,"consumer_lag":4}}}}} [["t/0",7]]',
    ]);
    expect(relay.take(undefined)).toMatchObject({ read: 0, requested: [], finished: [], failed: [], committed: [0, 0] }); // emptied
  });

  it('asks for a report once a list is full, and bounds the failures', () => {
    let full = 0;
    const relay = new ObserverRelay(() => full++);
    for (let i = 0; i < MAX_ENTRIES; i++) relay.requested(200, 0.001);
    expect(full).toBe(1);
    for (let i = 0; i < MAX_ENTRIES + 10; i++) relay.failed(1, 'drop', 'x'.repeat(10_000));
    const { failed } = relay.take(undefined);
    expect(failed).toHaveLength(MAX_ENTRIES);
    expect(failed.at(-1)![0]).toBe(11); // the ones past the bound are counted into the last
    expect(failed[0]![2].length).toBeLessThanOrEqual(4000);
  });

  it('drops messages of any other shape, or too large', () => {
    const valid = new ObserverRelay(() => undefined).take(undefined);
    expect(taskMessage(valid)).toEqual(valid);
    for (const bad of [
      null,
      'report',
      { type: 'nope' },
      { ...valid, read: -1 },
      { ...valid, read: 1.5 },
      { ...valid, requested: [[200, 'x']] },
      { ...valid, requested: Array.from({ length: MAX_ENTRIES + 1 }, () => [200, 1]) },
      { ...valid, finished: [['lost', 1, 1]] },
      { ...valid, failed: [[1, 'explode', 'x']] },
      { ...valid, committed: [1e9, 0] },
      { ...valid, stats: { consumed: 1, inFlight: 1, paused: 'no', committed: [], commits: 0 } },
      { ...valid, statistics: { json: 5, ends: [] } },
      // entries bounded too: no huge tuple or text inside a short list
      { ...valid, requested: [[200, 1, ...Array.from({ length: 100_000 }, () => 0)]] },
      { ...valid, finished: [['delivered', 1, 1, 'extra']] },
      { ...valid, failed: [[1, 'drop', 'x'.repeat(4001)]] },
      { ...valid, committed: [1, 0, 0] },
    ]) {
      expect(taskMessage(bad)).toBeUndefined();
    }
    expect(taskMessage({ type: 'failed', error: 'x'.repeat(10_000) })).toEqual({ type: 'failed', error: 'x'.repeat(4000) });
    expect(taskMessage({ type: 'started', extra: 1 })).toEqual({ type: 'started' });
    expect(taskMessage({ ...valid, failed: [[1, 'drop', 'x'.repeat(4000)]] })).toBeDefined(); // the relay's own bound passes
  });
});

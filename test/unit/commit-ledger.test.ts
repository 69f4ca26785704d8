/** The source's commit bookkeeping: what a commit carries, what its answer releases, and revoked partitions. */
import { describe, expect, it } from '@jest/globals';
import { CommitLedger } from '../../src/source/commit-ledger.js';

const at = (partition: number, offset: number) => ({ topic: 't', partition, offset });

describe('CommitLedger', () => {
  it('releases the records a commit carried once the broker confirms it, and only once', () => {
    const ledger = new CommitLedger();
    ledger.settled('t/0', 5);
    ledger.settled('t/1', 2);
    ledger.sent([at(0, 5)]);
    expect(ledger.uncommittedCount()).toBe(2);
    expect(ledger.awaiting()).toBe(true);
    ledger.settled('t/0', 3); // settled meanwhile: rides with the next commit
    expect([...ledger.answered(false, [at(0, 5)])]).toEqual([['t/0', 5]]);
    expect([...ledger.answered(false, [at(0, 5)])]).toEqual([]); // librdkafka reporting it twice
    expect(ledger.awaiting()).toBe(false);
    expect(ledger.confirmed.get('t/0')).toBe(5);
    expect(ledger.uncommittedCount()).toBe(5);
  });

  it('puts a failed commit\'s records back and lets the same offset be sent again', () => {
    const ledger = new CommitLedger();
    ledger.settled('t/0', 4);
    ledger.sent([at(0, 4)]);
    expect(ledger.moved('t/0', 4)).toBe(false);
    expect([...ledger.answered(true, [at(0, 4)])]).toEqual([]);
    expect(ledger.uncommittedCount()).toBe(4);
    expect(ledger.moved('t/0', 4)).toBe(true);
    expect(ledger.confirmed.has('t/0')).toBe(false);
  });

  it('forgets a revoked partition: its uncommitted records and pending commits no longer count', () => {
    const ledger = new CommitLedger();
    ledger.settled('t/1', 3);
    ledger.sent([at(1, 3)]);
    ledger.settled('t/1', 2);
    ledger.settled('t/10', 7);
    ledger.forget('t/1');
    expect(ledger.uncommittedCount()).toBe(7);
    expect(ledger.awaiting()).toBe(false);
    expect([...ledger.answered(false, [at(1, 3)])]).toEqual([]);
  });
});

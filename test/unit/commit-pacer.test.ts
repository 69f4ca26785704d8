/**
 * Early commits (issue 16's commit storm): under pressure the source commits before the interval, but one commit at
 * a time, spaced, and only when it carries enough records or ends a pause. Pure, with an explicit clock; the last
 * test replays per-record delivery (one ack a millisecond, commits answered after 3 ms) through the same rules
 * the source applies, with the window's bookkeeping of FlowControl and CommitLedger.
 */
import { describe, expect, it } from '@jest/globals';
import { CommitPacer } from '../../src/source/commit-pacer.js';
import { CommitLedger } from '../../src/source/commit-ledger.js';
import { FlowControl } from '../../src/source/flow-control.js';

const pacer = (): CommitPacer => new CommitPacer({ maxInFlight: 1000, minSpacingMs: 100 });

describe('CommitPacer', () => {
  it('does not commit early below half the window', () => {
    expect(pacer().due({ inFlight: 499, uncommitted: 400, committing: false, paused: false }, 0)).toBeUndefined();
  });

  it('commits early past half the window once enough records settled, not for a handful', () => {
    const p = pacer();
    expect(p.due({ inFlight: 800, uncommitted: 61, committing: false, paused: false }, 0)).toBeUndefined(); // < 1000/16
    expect(p.due({ inFlight: 800, uncommitted: 62, committing: false, paused: false }, 0)).toBe(0);
  });

  it('never starts one while another commit awaits the broker', () => {
    expect(pacer().due({ inFlight: 1000, uncommitted: 900, committing: true, paused: true }, 0)).toBeUndefined();
  });

  it('keeps the minimum spacing after any commit: asks to wait the rest of it', () => {
    const p = pacer();
    p.started(1000);
    expect(p.due({ inFlight: 800, uncommitted: 200, committing: false, paused: false }, 1030)).toBe(70);
    expect(p.due({ inFlight: 800, uncommitted: 200, committing: false, paused: false }, 1100)).toBe(0);
  });

  it('commits a few records, without waiting for the spacing, when that ends a pause (the window falls to half once the commit lands)', () => {
    const p = pacer();
    p.started(0);
    expect(p.due({ inFlight: 505, uncommitted: 5, committing: false, paused: true }, 0)).toBe(0);
    expect(p.due({ inFlight: 505, uncommitted: 4, committing: false, paused: true }, 0)).toBeUndefined(); // 501 left: still paused
    expect(p.due({ inFlight: 505, uncommitted: 0, committing: false, paused: true }, 0)).toBeUndefined();
  });
});

describe('CommitPacer after a failed commit', () => {
  it('holds early commits back until the interval retried, even to end a pause; a success lifts it', () => {
    const p = new CommitPacer({ maxInFlight: 1000, minSpacingMs: 100, retryAfterFailureMs: 1000 });
    const paused = { inFlight: 1000, uncommitted: 900, committing: false, paused: true };
    p.started(0);
    p.answered(false, 5);
    expect(p.due(paused, 6)).toBeUndefined();
    expect(p.due(paused, 1004)).toBeUndefined();
    expect(p.due(paused, 1005)).toBe(0);
    p.answered(false, 1010);
    p.answered(true, 1020);
    expect(p.due(paused, 1021)).toBe(0);
  });
});

describe('early commits under per-record delivery (replayed, virtual milliseconds)', () => {
  /**
   * One ack per ms for `seconds`, records read as fast as the window allows (pause at the bound, resume at half),
   * commits answered `rttMs` after they start, and the interval commit every `intervalMs`.
   */
  function replay(seconds: number, rttMs: number, intervalMs: number, maxInFlight: number, paced = true) {
    const flow = new FlowControl(maxInFlight, 0); // pause at once: the replay reads in 100-record polls, not one at a time
    const ledger = new CommitLedger();
    // Unpaced: the rule this replaced (commit after any ack under pressure once the previous commit landed).
    const p = new CommitPacer(paced ? { maxInFlight, minSpacingMs: 20 } : { maxInFlight, minSpacingMs: 0, minRecords: 1 });
    let read = 0;
    let acked = 0;
    let commits = 0;
    let pauses = 0;
    let answerAt: number | undefined;
    let sentOffset = 0;
    let earlyAt: number | undefined;
    let maxSeen = 0;
    const commit = (now: number): void => {
      if (ledger.uncommittedCount() === 0) return;
      commits += 1;
      p.started(now);
      sentOffset = acked;
      ledger.sent([{ topic: 't', partition: 0, offset: sentOffset }]);
      answerAt = now + rttMs;
    };
    const early = (now: number): void => {
      if (earlyAt !== undefined) return;
      const wait = p.due({ inFlight: flow.inFlight(), uncommitted: ledger.uncommittedCount(), committing: ledger.awaiting(), paused: flow.isPaused() }, now);
      if (wait !== undefined) earlyAt = now + wait;
    };
    for (let now = 0; now < seconds * 1000; now++) {
      if (answerAt === now) {
        answerAt = undefined;
        for (const [id, count] of ledger.answered(false, [{ topic: 't', partition: 0, offset: sentOffset }])) flow.add(id, -count);
        early(now);
      }
      if (earlyAt !== undefined && earlyAt <= now) {
        earlyAt = undefined;
        if (!ledger.awaiting()) commit(now);
      }
      if (now % intervalMs === 0 && now > 0) commit(now);
      if (!flow.isPaused()) {
        const batch = Math.min(100, maxInFlight * 2 - flow.inFlight());
        read += batch;
        flow.add('t/0', batch);
      }
      if (flow.decide(['t/0']).pause.length > 0) pauses += 1;
      maxSeen = Math.max(maxSeen, flow.inFlight());
      if (acked < read) {
        acked += 1;
        ledger.settled('t/0', 1);
        early(now);
      }
    }
    return { commits, pauses, acked, maxSeen, read };
  }

  it('commits a few times a second instead of after every ack, and delivery never stalls on the window', () => {
    const { commits, acked, maxSeen } = replay(10, 3, 1000, 2000);
    expect(acked).toBe(10_000); // one ack every millisecond: the window never held delivery back
    expect(commits).toBeLessThanOrEqual(10 * 10); // one per 2000/16 acks at most, plus the interval; the unpaced rule commits >500 times here
    expect(commits).toBeGreaterThanOrEqual(10); // at least the interval's
    expect(maxSeen).toBeLessThanOrEqual(2 * 2000);
    expect(replay(10, 3, 1000, 2000, false).commits).toBeGreaterThan(500); // the storm this prevents
  });

  it('releases a paused window within the spacing and a round trip of it becoming releasable', () => {
    const { acked, pauses } = replay(5, 20, 60_000, 1000); // interval out of reach: only early commits release pauses
    expect(pauses).toBeGreaterThan(0);
    expect(acked).toBe(5000);
  });
});

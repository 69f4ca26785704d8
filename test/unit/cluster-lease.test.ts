/**
 * The hold a worker has on its task slots (issue 24): it lasts only as long past the coordinator's last proof as the
 * coordinator could not yet have given the slots away, so a worker that wakes from SIGSTOP owns nothing at once.
 */
import { describe, expect, it } from '@jest/globals';
import { Lease } from '../../src/worker/cluster/lease.js';

describe('Lease', () => {
  it('holds from an accepted proof until the proof\'s send time plus the lease, and says so once each way', () => {
    const changes: boolean[] = [];
    const lease = new Lease(4500, (holding) => changes.push(holding));
    expect(lease.holds(0)).toBe(false);
    lease.prove(1000, 1010); // sent at 1000, accepted at 1010
    expect(changes).toEqual([true]);
    expect(lease.holds(5499)).toBe(true);
    expect(lease.holds(5500)).toBe(false);
    lease.check(5000);
    lease.check(5600);
    lease.check(5700);
    expect(changes).toEqual([true, false]);
  });

  it('owns nothing on waking from a freeze longer than the lease, before any timer ran', () => {
    const lease = new Lease(4500, () => undefined);
    lease.prove(0, 5);
    // frozen (SIGSTOP) from 100 to 10,100: the first question after waking is answered from the clock alone
    expect(lease.holds(10_100)).toBe(false);
  });

  it('is not extended by a late answer to an old proof, nor shortened by an older one', () => {
    const lease = new Lease(4500, () => undefined);
    lease.prove(2000, 2010);
    lease.prove(1000, 7000); // the answer to a commit sent at 1000 arrives late: it proves nothing after 1000
    expect(lease.holds(6499)).toBe(true);
    expect(lease.holds(6500)).toBe(false);
    lease.prove(100, 6400); // an older proof does not shorten it
    expect(lease.holds(6499)).toBe(true);
  });

  it('does not start holding on a proof that already lapsed when it is accepted', () => {
    const changes: boolean[] = [];
    const lease = new Lease(4500, (holding) => changes.push(holding));
    lease.prove(0, 9000); // sent before a freeze, accepted after it
    expect(changes).toEqual([]);
    expect(lease.holds(9000)).toBe(false);
  });
});

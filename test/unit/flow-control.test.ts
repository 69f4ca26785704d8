/** Backpressure decisions: the total bound with hysteresis, revoked partitions leaving the count, and the worker's hold. */
import { describe, expect, it } from '@jest/globals';
import { FlowControl } from '../../src/source/flow-control.js';

const partitions = ['t/0', 't/1', 't/2'];

describe('FlowControl', () => {
  it('pauses every assigned partition at the bound and resumes them at half of it', () => {
    const flow = new FlowControl(1000, 0);
    flow.add('t/0', 600);
    flow.add('t/1', 399);
    expect(flow.decide(partitions)).toEqual({ pause: [], resume: [] });
    expect(flow.pressed()).toBe(true);
    flow.add('t/2', 1);
    expect(flow.decide(partitions)).toEqual({ pause: partitions, resume: [] });
    expect(flow.isPaused()).toBe(true);
    flow.add('t/0', -499);
    expect(flow.decide(partitions)).toEqual({ pause: [], resume: [] }); // 501: still above half
    flow.add('t/0', -1);
    expect(flow.decide(partitions)).toEqual({ pause: [], resume: partitions });
    expect(flow.isPaused()).toBe(false);
  });

  it('forgets a revoked partition: its records leave the total', () => {
    const flow = new FlowControl(100, 0);
    flow.add('t/0', 60);
    flow.add('t/1', 50);
    flow.decide(['t/0', 't/1']);
    flow.forget('t/0');
    expect(flow.inFlight()).toBe(50);
    expect(flow.decide(['t/1'])).toEqual({ pause: [], resume: ['t/1'] });
    expect(flow.pressed()).toBe(true);
  });
});

describe('FlowControl at the bound, with a grace before pausing', () => {
  it('throttles first (one record per poll) and pauses only once the bound held for the whole grace', () => {
    const flow = new FlowControl(1000, 500);
    flow.add('t/0', 1000);
    expect(flow.decide(partitions, 10_000)).toEqual({ pause: [], resume: [] });
    expect(flow.throttled()).toBe(true);
    expect(flow.decide(partitions, 10_499)).toEqual({ pause: [], resume: [] });
    expect(flow.decide(partitions, 10_500)).toEqual({ pause: partitions, resume: [] });
    expect(flow.throttled()).toBe(false); // paused: polling goes on, reading nothing
  });

  it('neither pauses nor throttles when commits bring the total under the bound within the grace', () => {
    const flow = new FlowControl(1000, 500);
    flow.add('t/0', 1000);
    flow.decide(partitions, 10_000);
    flow.add('t/0', -1);
    expect(flow.decide(partitions, 10_400)).toEqual({ pause: [], resume: [] });
    expect(flow.throttled()).toBe(false);
    flow.add('t/0', 1); // at the bound again: a new grace starts
    expect(flow.decide(partitions, 10_600)).toEqual({ pause: [], resume: [] });
    expect(flow.decide(partitions, 11_099)).toEqual({ pause: [], resume: [] });
    expect(flow.decide(partitions, 11_100)).toEqual({ pause: partitions, resume: [] });
  });

  it('pauses before the grace ends once the throttle read half the bound again', () => {
    const flow = new FlowControl(1000, 500);
    flow.add('t/0', 1000);
    flow.decide(partitions, 10_000);
    flow.add('t/0', 499);
    expect(flow.decide(partitions, 10_100)).toEqual({ pause: [], resume: [] });
    flow.add('t/0', 1);
    expect(flow.decide(partitions, 10_101)).toEqual({ pause: partitions, resume: [] });
  });

  it('pauses a bound under 100 at once: a record or two cross it, and one-record polls would set the pace', () => {
    const flow = new FlowControl(10, 500);
    flow.add('t/0', 10);
    expect(flow.throttled()).toBe(false);
    expect(flow.decide(partitions, 0)).toEqual({ pause: partitions, resume: [] });
  });

  it('pauses at once for the worker\'s hold, grace or not', () => {
    const flow = new FlowControl(1000, 500);
    flow.hold(true);
    expect(flow.decide(partitions, 0)).toEqual({ pause: partitions, resume: [] });
  });
});

describe('FlowControl.hold (the worker\'s pause)', () => {
  it('keeps every partition paused while held, whatever the count, and resumes on release', () => {
    const flow = new FlowControl(100, 0);
    flow.hold(true);
    expect(flow.decide(['t/0', 't/1'])).toEqual({ pause: ['t/0', 't/1'], resume: [] });
    expect(flow.isPaused()).toBe(true);
    expect(flow.decide(['t/0', 't/1'])).toEqual({ pause: [], resume: [] });
    flow.hold(false);
    expect(flow.decide(['t/0', 't/1'])).toEqual({ pause: [], resume: ['t/0', 't/1'] });
  });

  it('stays paused on release while the in-flight bound is still exceeded', () => {
    const flow = new FlowControl(100, 0);
    flow.add('t/0', 100);
    flow.hold(true);
    flow.decide(['t/0']);
    flow.hold(false);
    expect(flow.decide(['t/0'])).toEqual({ pause: [], resume: [] });
    flow.add('t/0', -50);
    expect(flow.decide(['t/0'])).toEqual({ pause: [], resume: ['t/0'] });
  });
});

describe('FlowControl with a bound in bytes', () => {
  it('pauses when the bytes reach their bound first, and resumes once records leaving at their mean size halve them', () => {
    const flow = new FlowControl(1000, 0, 10_000);
    flow.add('t/0', 8, 8000); // 8 records of 1,000 bytes: far under 1,000 records
    expect(flow.pressed()).toBe(true);
    expect(flow.decide(partitions)).toEqual({ pause: [], resume: [] });
    flow.add('t/1', 2, 2000);
    expect(flow.load()).toBe(1000);
    expect(flow.decide(partitions)).toEqual({ pause: partitions, resume: [] });
    flow.add('t/0', -4); // 4 of t/0's 8 records leave: 4,000 of its bytes
    expect(flow.inFlightBytes()).toBe(6000);
    expect(flow.decide(partitions)).toEqual({ pause: [], resume: [] });
    flow.add('t/1', -2); // t/1 empty: its bytes with it
    expect(flow.inFlightBytes()).toBe(4000);
    expect(flow.decide(partitions)).toEqual({ pause: [], resume: partitions });
  });

  it('leaves the record count to decide when the records are small', () => {
    const flow = new FlowControl(100, 0, 1_000_000);
    flow.add('t/0', 100, 10_000);
    expect(flow.load()).toBe(100);
    expect(flow.decide(partitions)).toEqual({ pause: partitions, resume: [] });
  });

  it('counts large records still in flight after small ones before them left', () => {
    const flow = new FlowControl(60_000, 0, 64 * 2 ** 20);
    flow.add('t/0', 1000, 100_000);
    flow.add('t/0', 40, 40 * 2 ** 20);
    flow.add('t/0', -1000);
    expect(flow.inFlightBytes()).toBe(40 * 2 ** 20);
    expect(flow.load()).toBe(37_500); // 40 MiB of 64 MiB, as records of 60,000
  });

  it('refuses a bound in bytes that is not above 0', () => {
    expect(() => new FlowControl(100, 0, 0)).toThrow(RangeError);
    expect(() => new FlowControl(100, 0, Number.NaN)).toThrow(RangeError);
  });

  it('forgets a revoked partition\'s bytes with its records', () => {
    const flow = new FlowControl(1000, 0, 10_000);
    flow.add('t/0', 3, 3000);
    flow.add('t/1', 1, 500);
    flow.forget('t/0');
    expect(flow.inFlight()).toBe(1);
    expect(flow.inFlightBytes()).toBe(500);
  });
});

/** Backpressure decisions: the total bound with hysteresis, revoked partitions leaving the count, and the worker's hold. */
import { describe, expect, it } from '@jest/globals';
import { FlowControl } from '../../src/source/flow-control.js';

const partitions = ['t/0', 't/1', 't/2'];

describe('FlowControl', () => {
  it('pauses every assigned partition at the bound and resumes them at half of it', () => {
    const flow = new FlowControl(1000);
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
    const flow = new FlowControl(100);
    flow.add('t/0', 60);
    flow.add('t/1', 50);
    flow.decide(['t/0', 't/1']);
    flow.forget('t/0');
    expect(flow.inFlight()).toBe(50);
    expect(flow.decide(['t/1'])).toEqual({ pause: [], resume: ['t/1'] });
    expect(flow.pressed()).toBe(true);
  });
});

describe('FlowControl.hold (the worker\'s pause)', () => {
  it('keeps every partition paused while held, whatever the count, and resumes on release', () => {
    const flow = new FlowControl(100);
    flow.hold(true);
    expect(flow.decide(['t/0', 't/1'])).toEqual({ pause: ['t/0', 't/1'], resume: [] });
    expect(flow.isPaused()).toBe(true);
    expect(flow.decide(['t/0', 't/1'])).toEqual({ pause: [], resume: [] });
    flow.hold(false);
    expect(flow.decide(['t/0', 't/1'])).toEqual({ pause: [], resume: ['t/0', 't/1'] });
  });

  it('stays paused on release while the in-flight bound is still exceeded', () => {
    const flow = new FlowControl(100);
    flow.add('t/0', 100);
    flow.hold(true);
    flow.decide(['t/0']);
    flow.hold(false);
    expect(flow.decide(['t/0'])).toEqual({ pause: [], resume: [] });
    flow.add('t/0', -50);
    expect(flow.decide(['t/0'])).toEqual({ pause: [], resume: ['t/0'] });
  });
});

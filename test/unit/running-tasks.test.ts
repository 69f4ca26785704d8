/** Tasks in this process as one connector's: one task failing stops the others and fails the connector; a hold shows. */
import { describe, expect, it } from '@jest/globals';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { inProcessTasks } from '../../src/worker/running-tasks.js';

function pipeline(consumed: number): RunningPipeline & { fail(error: Error): void; stops: number; held: boolean } {
  let fail: (error: Error) => void = () => {};
  const done = new Promise<void>((_resolve, reject) => (fail = reject));
  done.catch(() => {});
  const p = {
    config: { source: { rdkafka: { 'bootstrap.servers': 'b:1' } } },
    done,
    stops: 0,
    held: false,
    fail: (error: Error) => fail(error),
    stop: async () => void (p.stops += 1),
    stats: () => ({ consumed, inFlight: 1, paused: false, committed: new Map([['t/0', consumed]]), commits: 1 }),
    hold: (held: boolean) => void (p.held = held),
  };
  return p as unknown as RunningPipeline & { fail(error: Error): void; stops: number; held: boolean };
}

describe('inProcessTasks', () => {
  it('one pipeline: its own done, stats and task; a hold shows PAUSED', async () => {
    const p = pipeline(5);
    const tasks = inProcessTasks([{ running: p, taskId: 3 }]);
    expect(tasks.done).toBe(p.done);
    expect(tasks.rdkafka).toEqual({ 'bootstrap.servers': 'b:1' });
    expect(tasks.stats().consumed).toBe(5);
    tasks.hold(true);
    expect([p.held, tasks.tasks()]).toEqual([true, [{ id: 3, state: 'PAUSED', inFlight: 1 }]]);
    expect(tasks.restartTask(3)).toBe(false);
  });

  it('several: stats summed; one failing stops the others and fails the connector with its error', async () => {
    const [a, b] = [pipeline(2), pipeline(7)];
    const tasks = inProcessTasks([{ running: a, taskId: 0 }, { running: b, taskId: 1 }]);
    expect(tasks.stats()).toMatchObject({ consumed: 9, inFlight: 2, committed: new Map([['t/0', 7]]) });
    expect(tasks.tasks().map((t) => [t.id, t.state])).toEqual([[0, 'RUNNING'], [1, 'RUNNING']]);
    a.fail(new Error('task 0 broke'));
    await expect(tasks.done).rejects.toThrow('task 0 broke');
    expect([a.stops, b.stops]).toEqual([1, 1]);
  });
});

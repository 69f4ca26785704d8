/** WORKER_TASKS_MAX: the task processes of all connectors together stay within the worker's budget. */
import { describe, expect, it } from '@jest/globals';
import { TaskBudget } from '../../src/worker/task-budget.js';
import { workerOptions } from '../../src/worker/worker-config.js';
import { availableParallelism } from 'node:os';

describe('the worker-wide budget of task processes', () => {
  it('grants what is free, one (inside the worker) when fewer than two are, and takes back on release', () => {
    const budget = new TaskBudget(5);
    const [a, b, c] = [{}, {}, {}];
    expect(budget.take(a, 1024)).toBe(5);
    expect(budget.take(b, 1024)).toBe(1);
    expect(budget.used()).toBe(5);
    budget.release(a);
    expect(budget.take(b, 3)).toBe(3);
    expect(budget.take(c, 4)).toBe(2);
    expect(budget.take(b, 3)).toBe(3); // a restart gives back its own first
    expect(budget.used()).toBe(5);
    expect(budget.take(a, 1)).toBe(1);
    expect(budget.used()).toBe(5);
  });

  it('defaults to twice the cores, set by WORKER_TASKS_MAX; WORKER_STUCK_TIMEOUT_MS bounds a stuck operation', () => {
    expect(workerOptions({}).tasksMax).toBe(2 * availableParallelism());
    expect(workerOptions({ WORKER_TASKS_MAX: '6' }).tasksMax).toBe(6);
    expect(() => workerOptions({ WORKER_TASKS_MAX: '0' })).toThrow(/WORKER_TASKS_MAX/);
    expect(workerOptions({}).stuckTimeoutMs).toBe(120_000);
    expect(workerOptions({ WORKER_STUCK_TIMEOUT_MS: '2000' }).stuckTimeoutMs).toBe(2000);
  });
});

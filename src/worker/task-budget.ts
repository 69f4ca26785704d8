/**
 * The worker-wide budget of task processes (`WORKER_TASKS_MAX`): a connector takes the processes it runs when it
 * starts and gives them back when it stops or fails, so that no number of connectors asking `tasks.max=1024` can
 * make the worker fork more than the budget.
 */
export class TaskBudget {
  private readonly held = new Map<object, number>();

  constructor(readonly total: number) {}

  /**
   * Up to `wanted` task processes for `owner`, after giving back what it held. A grant of 1 means no process: the
   * task runs inside the worker (`tasks.max=1`), which is what a connector gets when fewer than two are free.
   */
  take(owner: object, wanted: number): number {
    this.release(owner);
    if (wanted <= 1) return wanted;
    const free = this.total - this.used();
    const granted = free >= 2 ? Math.min(wanted, free) : 1;
    if (granted > 1) this.held.set(owner, granted);
    return granted;
  }

  release(owner: object): void {
    this.held.delete(owner);
  }

  /** Processes held by every connector together. */
  used(): number {
    let sum = 0;
    for (const count of this.held.values()) sum += count;
    return sum;
  }
}

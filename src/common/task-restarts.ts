/**
 * How a supervised task process is restarted when it dies (the task processes of `run` and of the worker):
 * after 1 s, doubling to 60 s while it keeps dying, the count reset once it ran a minute without dying. A task that
 * exits with CONFIG_ERROR_EXIT refused its connector config: no restart would help.
 */
import { backoffDelay } from './backoff.js';

/** Exit code of a task whose connector config is bad (nothing connected): never restarted. */
export const CONFIG_ERROR_EXIT = 2;

export interface RestartBackoffOptions {
  /** First restart delay; doubles per restart in a row, up to maxBackoffMs. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** A task that ran this long without dying resets its backoff. */
  readonly healthyAfterMs?: number;
}

/** One task's restarts in a row: `started()` when it starts, `nextDelay()` when it died. */
export class RestartBackoff {
  private restarts = 0;
  private startedAt = 0;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly healthyAfterMs: number;

  constructor(options: RestartBackoffOptions = {}, private readonly now: () => number = Date.now) {
    this.baseMs = options.backoffMs ?? 1000;
    this.maxMs = options.maxBackoffMs ?? 60_000;
    this.healthyAfterMs = options.healthyAfterMs ?? 60_000;
  }

  started(): void {
    this.startedAt = this.now();
  }

  /** How long to wait before starting the task again, counting this restart. */
  nextDelay(): number {
    if (this.now() - this.startedAt >= this.healthyAfterMs) this.restarts = 0;
    this.restarts++;
    return backoffDelay({ policy: 'exponential', baseMs: this.baseMs, maxMs: this.maxMs }, this.restarts);
  }
}

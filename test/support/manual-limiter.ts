/** A concurrency limiter whose limit a test sets by hand. */
import type { ConcurrencyLimiter } from '../../src/deliver/adaptive-concurrency.js';

/** `set(n)` changes the limit and tells the listeners; `seen` is every in-flight count it was told. */
export class ManualLimiter implements ConcurrencyLimiter {
  readonly seen: number[] = [];
  readonly listeners = new Set<() => void>();
  constructor(public limit: number) {}
  running(count: number): void {
    this.seen.push(count);
  }
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(limit: number): void {
    this.limit = limit;
    for (const l of this.listeners) l();
  }
}

/**
 * Slots for requests in flight under `http.concurrency`, fixed or adaptive (a limit that may change): each attempt
 * holds a slot only while it runs, so a request waiting for its retry backoff leaves its slot to another.
 */
import { Observable, type Subscription } from 'rxjs';
import type { ConcurrencyLimiter } from './adaptive-concurrency.js';

/**
 * Counts the attempts in flight against `limiter.limit` and tells the limiter how many run. It is also the
 * ConcurrencyLimiter `mergeMapByKey` is given: it lets a new request start only when a slot is free and no waiting
 * retry wants it, however many requests sit in their backoff. Retries waiting for a slot get it first, oldest first.
 *
 * @example
 * const slots = new RequestSlots(limiter);
 * requests$.pipe(mergeMapByKey(keyOf, (r) => defer(() => slots.hold(attempt(r))).pipe(retryBackoff(retry)), slots));
 */
export class RequestSlots implements ConcurrencyLimiter {
  private held = 0;
  /** Requests `mergeMapByKey` runs, in an attempt, in a backoff or waiting for a slot. */
  private requests = 0;
  /** Attempts waiting for a slot, oldest first. */
  private readonly waiting = new Set<() => void>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly limiter: ConcurrencyLimiter) {}

  /** Attempts in flight (slots held). */
  get inFlight(): number {
    return this.held;
  }

  /** As `mergeMapByKey` reads it: the requests running now plus the free slots no waiting retry claims. */
  get limit(): number {
    return this.requests + (this.waiting.size === 0 ? this.free() : 0);
  }

  running(count: number): void {
    this.requests = count;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    const stopListening = this.limiter.onChange(() => this.grant());
    return () => {
      this.listeners.delete(listener);
      stopListening();
    };
  }

  /**
   * Runs `attempt` once a slot is free (at once when one is) and frees the slot when the attempt completes, fails
   * or is unsubscribed.
   */
  hold<T>(attempt: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let holding = false;
      let inner: Subscription | undefined;
      const release = (): void => {
        if (!holding) return;
        holding = false;
        this.held -= 1;
        this.limiter.running(this.held);
        this.grant();
      };
      const run = (): void => {
        this.waiting.delete(run);
        holding = true;
        this.held += 1;
        this.limiter.running(this.held);
        inner = attempt.subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            release();
            subscriber.error(error);
          },
          complete: () => {
            release();
            subscriber.complete();
          },
        });
      };
      if (this.waiting.size === 0 && this.free() > 0) run();
      else this.waiting.add(run);
      return () => {
        this.waiting.delete(run);
        inner?.unsubscribe();
        release();
      };
    });
  }

  private free(): number {
    return Math.max(0, this.limiter.limit - this.held);
  }

  /** Hands free slots to waiting attempts, then tells `mergeMapByKey` about what is left. */
  private grant(): void {
    for (const next of this.waiting) {
      if (this.free() === 0) return;
      next();
    }
    if (this.free() > 0) for (const listener of this.listeners) listener();
  }
}

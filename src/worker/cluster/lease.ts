/**
 * A worker's hold on its task slots, proved by the group coordinator (see membership.ts): each accepted proof sent
 * at `at` holds until `at + ms`; a proof never shortens it. `holds(now)` is a pure comparison, so a process that
 * wakes from a freeze sees the lapse in its very first question; `check(now)` reports each change once.
 */
export class Lease {
  private until = 0;
  private holding = false;

  /** `onChange(true)` when the lease starts holding, `onChange(false)` when a lease that held is seen lapsed. */
  constructor(
    readonly ms: number,
    private readonly onChange: (holding: boolean) => void,
  ) {}

  holds(now: number): boolean {
    return now < this.until;
  }

  /** A proof of membership sent at `at` (local clock), accepted. */
  prove(at: number, now: number): void {
    this.until = Math.max(this.until, at + this.ms);
    if (this.holding || !this.holds(now)) return;
    this.holding = true;
    this.onChange(true);
  }

  /** Reports a lapse (once) if the lease held when last seen and no longer does. */
  check(now: number): void {
    if (!this.holding || this.holds(now)) return;
    this.holding = false;
    this.onChange(false);
  }

  /** Leaving: holds no more, reports nothing. */
  end(): void {
    this.until = 0;
    this.holding = false;
  }
}

/**
 * One partition's records in flight (flow-control.ts), kept as the runs they were read in: a commit covers a
 * partition's records in offset order, so they leave from the oldest run on, each run with its own bytes. Exact per
 * run; a run that leaves in part keeps its mean size for the rest.
 */
export class PartitionLoad {
  count = 0;
  bytes = 0;
  /** Pairs (records, bytes) of the runs still in flight, oldest from `head` on. */
  private runs: number[] = [];
  private head = 0;

  enter(count: number, bytes: number): void {
    this.runs.push(count, bytes);
    this.count += count;
    this.bytes += bytes;
  }

  /** Up to `count` of the oldest records leave; returns how many did and their bytes. */
  leave(count: number): { count: number; bytes: number } {
    const leaving = Math.min(count, this.count);
    let rest = leaving;
    let bytes = 0;
    while (rest > 0 && this.head < this.runs.length) {
      const records = this.runs[this.head]!;
      const runBytes = this.runs[this.head + 1]!;
      if (records <= rest) {
        bytes += runBytes;
        rest -= records;
        this.head += 2;
      } else {
        const part = Math.round((runBytes * rest) / records);
        bytes += part;
        this.runs[this.head] = records - rest;
        this.runs[this.head + 1] = runBytes - part;
        rest = 0;
      }
    }
    if (this.head > 64 && this.head * 2 > this.runs.length) {
      this.runs = this.runs.slice(this.head);
      this.head = 0;
    }
    this.count -= leaving;
    this.bytes -= bytes;
    return { count: leaving, bytes };
  }
}

/** A one-line progress bar on stderr (a line every 5 s when stderr is not a terminal, e.g. in CI). */
const WIDTH = 30;

export class Progress {
  private lastLine = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number, info: { rate: number; inFlight: number; held?: number }): void {
    const fraction = Math.min(1, done / Math.max(1, this.total));
    const filled = Math.round(fraction * WIDTH);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`;
    const extra = info.held ? `, ${info.held} held by the receiver` : '';
    const line = `${this.label.padEnd(16)} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${fmt(done)}/${fmt(this.total)}  ${fmt(info.rate)} rec/s  ${info.inFlight} req in flight${extra}`;
    if (this.tty) {
      process.stderr.write(`\r${line}\x1b[K`);
    } else if (Date.now() - this.lastLine >= 5000) {
      this.lastLine = Date.now();
      process.stderr.write(`${line}\n`);
    }
  }

  finish(outcome: string): void {
    process.stderr.write(`${this.tty ? '\r\x1b[K' : ''}${this.label.padEnd(16)} ${outcome}\n`);
  }
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** One line for the person watching (stderr: stdout stays free for results). */
export const say = (line: string): boolean => process.stderr.write(`${line}\n`);

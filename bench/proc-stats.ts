/** CPU time and peak RSS of a running process, from Linux's /proc (undefined elsewhere or once it exited). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const answer = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    ticksPerSecond = Number.isInteger(answer) && answer > 0 ? answer : 100;
  }
  return ticksPerSecond;
}

export interface ProcessStats {
  /** User and system CPU of every thread so far. */
  readonly cpuMs: number;
  /** The resident set's high-water mark (VmHWM). */
  readonly peakRssBytes: number;
}

export function processStats(pid: number): ProcessStats | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return { cpuMs: (ticks * 1000) / clockTicks(), peakRssBytes: hwm ? Number(hwm[1]) * 1024 : 0 };
  } catch {
    return undefined;
  }
}

/** The processes' CPU and peak RSS added up (the sink's tasks as one); processes already gone count nothing. */
export function sumStats(pids: readonly number[]): ProcessStats {
  const stats = pids.map(processStats).filter((s): s is ProcessStats => s !== undefined);
  return { cpuMs: stats.reduce((t, s) => t + s.cpuMs, 0), peakRssBytes: stats.reduce((t, s) => t + s.peakRssBytes, 0) };
}

/**
 * How far V8 lets the heap grow past what a full collection left alive. It picks a factor from 1.1 to 4 by itself
 * after each one; a sink's heap is mostly records passing through, so at the high end garbage piles up for nothing.
 * The command line fixes it at 2 (`--heap-growing-percent=100`): 25-30 MB less peak RSS per task process in the 1M
 * batched bench at the same rate (docs/performance.md). V8 reads the factor at every full collection, so setting it
 * at start takes effect; a `--heap-growing-percent` given to node by the user wins.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 100;

/** Sets the factor unless node was started with its own; true when it set it. */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv, set: (flags: string) => void = setFlagsFromString): boolean {
  if (execArgv.some((arg) => arg.startsWith('--heap-growing-percent') || arg.startsWith('--heap_growing_percent'))) return false;
  set(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}

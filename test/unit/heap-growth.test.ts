/** The command line's limit on V8's heap growth: set at start, unless the user started node with their own. */
import { describe, expect, it } from '@jest/globals';
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from '../../src/cli/heap-growth.js';

describe('limitHeapGrowth', () => {
  it('sets --heap-growing-percent when node was started without one', () => {
    const set: string[] = [];
    expect(limitHeapGrowth(['--enable-source-maps'], (flags) => set.push(flags))).toBe(true);
    expect(set).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  });

  it("leaves the user's own factor alone, however it is spelled", () => {
    const set: string[] = [];
    expect(limitHeapGrowth(['--heap-growing-percent=300'], (flags) => set.push(flags))).toBe(false);
    expect(limitHeapGrowth(['--heap_growing_percent=50'], (flags) => set.push(flags))).toBe(false);
    expect(set).toEqual([]);
  });
});

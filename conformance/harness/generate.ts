/** Seeded random cases (filled in below). */
import type { ConformanceCase } from './cases.js';

export function generateCases(_seed: number, _count: number): ConformanceCase[] {
  return [];
}

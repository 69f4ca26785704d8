/**
 * Steady-state rate from the receiver's arrival curve: the records counted so far at the moment of an arrival,
 * sampled during a run; the rate between the moments the count crossed two fractions of the total (10% and 90% by
 * default), so start-up and the last straggling batches do not weigh in.
 */

/** The receiver's count of records at one arrival: `records` had arrived by `at` (ms since the epoch). */
export interface ArrivalPoint {
  readonly at: number;
  readonly records: number;
}

/**
 * When the count reached `count`: interpolated linearly between the two points around it (exact when a point sits
 * on it); undefined when no point reaches it. Points must be in arrival order.
 */
export function timeAt(points: readonly ArrivalPoint[], count: number): number | undefined {
  let before: ArrivalPoint | undefined;
  for (const point of points) {
    if (point.records >= count) {
      if (!before || point.records === before.records || point.records === count) return point.at;
      return before.at + ((count - before.records) / (point.records - before.records)) * (point.at - before.at);
    }
    before = point;
  }
  return undefined;
}

/**
 * Records/s between the moments `from` and `to` of `total` records had arrived; undefined when the run never got
 * there or the window took no measurable time.
 * @example steadyRate([{ at: 0, records: 0 }, { at: 1000, records: 100 }], 100) // 100
 */
export function steadyRate(points: readonly ArrivalPoint[], total: number, from = 0.1, to = 0.9): number | undefined {
  if (!(from >= 0 && to <= 1 && from < to) || total <= 0) throw new Error(`steadyRate: need 0 <= from < to <= 1, got ${from}, ${to}`);
  const start = timeAt(points, from * total);
  const end = timeAt(points, to * total);
  if (start === undefined || end === undefined || end <= start) return undefined;
  return ((to - from) * total * 1000) / (end - start);
}

/**
 * Calendar dates as Java's GregorianCalendar (behind SimpleDateFormat) has them: the Gregorian calendar from
 * 1582-10-15, the Julian calendar before (the day before 1582-10-15 is 1582-10-04), years before 1 as 0, -1, ...
 * (1 BC, 2 BC). Days are counted from 1970-01-01, as epoch milliseconds divide into them (UTC).
 */

const DAY_MS = 86_400_000;
/** 1582-10-15 (Gregorian), the first Gregorian day, in days since the epoch. */
const CUTOVER_DAY = -141_427;
/** Julian day number of 1970-01-01. */
const EPOCH_JDN = 2_440_588;

export interface CivilDate {
  /** Astronomical: 0 is 1 BC. */
  readonly year: number;
  /** 1-12. */
  readonly month: number;
  readonly day: number;
  /** 1-based, counted from 1 January of the calendar in force then (1582 has 355 days). */
  readonly dayOfYear: number;
}

/** The date (Julian before the cutover, Gregorian from it) of an instant in epoch ms, in UTC. */
export function civilDate(ms: number): CivilDate {
  const days = Math.floor(ms / DAY_MS);
  let year: number;
  let month: number;
  let day: number;
  if (days >= CUTOVER_DAY) {
    const d = new Date(days * DAY_MS);
    [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  } else {
    [year, month, day] = julianFromJdn(days + EPOCH_JDN);
  }
  return { year, month, day, dayOfYear: days - epochDay(year, 1, 1) + 1 };
}

/**
 * Days since the epoch of a date as Java reads it: Julian when it falls before the cutover (also 1582-10-05 to
 * -14, which do not exist, and which Java's lenient parsing reads as Julian: 1582-10-10 is 1582-10-20).
 */
export function epochDay(year: number, month: number, day: number): number {
  const gregorian = gregorianDay(year, month, day);
  return gregorian >= CUTOVER_DAY ? gregorian : julianJdn(year, month, day) - EPOCH_JDN;
}

function gregorianDay(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, years 0-99 stay themselves
  return Math.floor(d.getTime() / DAY_MS);
}

/** Julian day number of a Julian-calendar date (months and days beyond their range carry over). */
function julianJdn(year: number, month: number, day: number): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return day + Math.floor((153 * m + 2) / 5) + 365 * y + Math.floor(y / 4) - 32_083;
}

function julianFromJdn(jdn: number): [number, number, number] {
  const c = jdn + 32_082;
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return [d - 4800 + Math.floor(m / 10), m + 3 - 12 * Math.floor(m / 10), e - Math.floor((153 * m + 2) / 5) + 1];
}

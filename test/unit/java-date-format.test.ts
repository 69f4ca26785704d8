/**
 * SimpleDateFormat's `S` (https://docs.oracle.com/javase/8/docs/api/java/text/SimpleDateFormat.html): "Millisecond",
 * a Number presentation: formatted as the millisecond count zero-padded to the number of pattern letters, and parsed
 * as a millisecond count (not a decimal fraction of the second).
 */
import { describe, expect, it } from '@jest/globals';
import { javaDateFormat } from '../../src/transform/java-date-format.js';

const at = (ms: number): number => Date.UTC(2024, 0, 31, 13, 45, 12, ms);

describe('javaDateFormat S (milliseconds)', () => {
  it('formats the millisecond count zero-padded to the width', () => {
    expect(javaDateFormat('ss.SSSSSS').format(at(5))).toBe('12.000005');
    expect(javaDateFormat('ss.SSS').format(at(5))).toBe('12.005');
    expect(javaDateFormat('ss.SSS').format(at(789))).toBe('12.789');
    expect(javaDateFormat('ss.S').format(at(5))).toBe('12.5');
    expect(javaDateFormat('ss.S').format(at(123))).toBe('12.123');
    expect(javaDateFormat('ss.SS').format(at(5))).toBe('12.05');
  });

  it('parses the digits as a millisecond count', () => {
    const f = javaDateFormat("yyyy-MM-dd'T'HH:mm:ss.S");
    expect(f.parse('2024-01-31T13:45:12.5')).toBe(at(5));
    expect(f.parse('2024-01-31T13:45:12.123')).toBe(at(123));
    expect(javaDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS").parse('2024-01-31T13:45:12.005')).toBe(at(5));
    expect(javaDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS").parse('2024-01-31T13:45:12.789')).toBe(at(789));
    expect(javaDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").parse('2024-01-31T13:45:12.000005')).toBe(at(5));
  });

  it('round-trips through format and parse', () => {
    for (const pattern of ["yyyy-MM-dd'T'HH:mm:ss.S", "yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS"]) {
      const f = javaDateFormat(pattern);
      for (const ms of [0, 5, 50, 999]) expect(f.parse(f.format(at(ms)))).toBe(at(ms));
    }
  });
});

describe('dates before the Gregorian cutover, as Java\'s GregorianCalendar has them (issue 20; Kafka Connect 3.9.1\'s TimestampConverter output)', () => {
  const f = javaDateFormat('yyyy-MM-dd HH:mm:ss.SSS D E G');

  it('formats instants before 1582-10-15 as Julian dates, years before 1 as BC', () => {
    expect(f.format(-12219292800001)).toBe('1582-10-04 23:59:59.999 277 Thu AD');
    expect(f.format(-12219292800000)).toBe('1582-10-15 00:00:00.000 278 Fri AD');
    expect(f.format(-62135596800000)).toBe('0001-01-03 00:00:00.000 3 Mon AD');
    expect(f.format(-62135769600001)).toBe('0001-12-31 23:59:59.999 366 Fri BC');
    expect(f.format(-100000000000000)).toBe('1200-02-26 14:13:20.000 57 Thu BC');
    expect(f.format(-30000000000000)).toBe('1019-04-28 18:40:00.000 118 Tue AD');
  });

  it('parses dates before the cutover as Julian (the skipped 1582-10-10 leniently as Julian too), years below 100 as written', () => {
    const p = javaDateFormat('yyyy-MM-dd HH:mm:ss');
    expect(p.parse('1000-06-15 01:02:03')).toBe(-30595445877000);
    expect(p.parse('1582-10-04 00:00:00')).toBe(-12219379200000);
    expect(p.parse('1582-10-15 00:00:00')).toBe(-12219292800000);
    expect(p.parse('1582-10-10 00:00:00')).toBe(-12218860800000);
    expect(p.parse('0001-01-01 00:00:00')).toBe(-62135769600000);
    expect(javaDateFormat('yyyy-MM-dd G').parse('0005-03-01 BC')).toBe(-62288438400000);
  });
});

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

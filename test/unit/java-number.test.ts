/**
 * Java's number text, the strings Kafka Connect's JsonConverter writes for float64 and float32 values. The expected
 * strings are Double.toString / Float.toString outputs documented for Java (JDK 19+ javadoc rules: shortest
 * decimal that reads back, plain for 10^-3 <= |x| < 10^7, else d.dddE<n>).
 */
import { describe, expect, it } from '@jest/globals';
import { javaDouble, javaDoubleText, javaFloat, javaFloatText } from '../../src/common/java-number.js';
import { JsonNumber, jsonText } from '../../src/common/json-text.js';

describe('javaDoubleText (Double.toString)', () => {
  it.each([
    [21, '21.0'],
    [100, '100.0'],
    [1e7, '1.0E7'],
    [9999999, '9999999.0'],
    [0.001, '0.001'],
    [1e-4, '1.0E-4'],
    [1e21, '1.0E21'],
    [1.5e-7, '1.5E-7'],
    [-0, '-0.0'],
    [0, '0.0'],
    [4.9e-324, '4.9E-324'], // Double.MIN_VALUE: the closer two-digit decimal, not 5E-324
    [Number.MAX_VALUE, '1.7976931348623157E308'],
    [0.1, '0.1'],
    [1 / 3, '0.3333333333333333'],
    [123456.789, '123456.789'],
    [12345678.9, '1.23456789E7'],
    [2 ** 53, '9.007199254740992E15'],
    [-1.5e300, '-1.5E300'],
    [-21.5, '-21.5'],
    [0.00123, '0.00123'],
  ])('%p -> %s', (value, text) => {
    expect(javaDoubleText(value)).toBe(text);
  });
});

describe('javaFloatText (Float.toString)', () => {
  it.each([
    [16777216, '1.6777216E7'],
    [3.4028234663852886e38, '3.4028235E38'], // Float.MAX_VALUE
    [1.401298464324817e-45, '1.4E-45'], // Float.MIN_VALUE
    [Math.fround(1.1), '1.1'],
    [Math.fround(0.1), '0.1'],
    [100, '100.0'],
    [Math.fround(1e10), '1.0E10'],
    [Math.fround(3.3), '3.3'],
    [Math.fround(1e-4), '1.0E-4'],
    [-0, '-0.0'],
  ])('%p -> %s', (value, text) => {
    expect(javaFloatText(value)).toBe(text);
  });
});

describe('in a body', () => {
  it('writes float64 and float32 values with Java\'s text, and keeps plain fractions as plain numbers', () => {
    const body = jsonText({ a: javaDouble(21), b: javaDouble(1e21), c: javaDouble(1.5e-7), d: javaDouble(14.5), f: javaFloat(16777216), g: javaFloat(Math.fround(1.1)), z: javaDouble(-0) });

    expect(body).toBe('{"a":21.0,"b":1.0E21,"c":1.5E-7,"d":14.5,"f":1.6777216E7,"g":1.1,"z":-0.0}');
    expect(javaDouble(14.5)).toBe(14.5); // no allocation on the common path
    expect(javaDouble(21)).toBeInstanceOf(JsonNumber);
    expect(Number(javaDouble(21))).toBe(21); // still the number for arithmetic and comparisons
  });

  it('writes NaN and the infinities as Jackson does by default: quoted (JSON has no such numbers)', () => {
    expect(jsonText([javaDouble(NaN), javaDouble(Infinity), javaFloat(-Infinity)])).toBe('["NaN","Infinity","-Infinity"]');
  });
});

describe('Java 21\'s text, chosen over Java 17\'s (issue 20; values from Double/Float.toString on Java 17.0.15 and 25)', () => {
  it('breaks a tie between two shortest floats toward the even digit, as Java does', () => {
    expect(javaFloatText(Math.fround(-2673821.25))).toBe('-2673821.2');
    expect(javaFloatText(Math.fround(257.890625))).toBe('257.89062');
    expect(javaFloatText(Math.fround(-24483.0625))).toBe('-24483.062');
  });

  it('writes the shortest text, where Java 17 wrote a digit more (JDK-4511638)', () => {
    expect(javaFloatText(Math.fround(2.80380876e13))).toBe('2.8038088E13'); // Java 17: 2.80380876E13
    expect(javaDoubleText(-2.6814475343671142e18)).toBe('-2.681447534367114E18'); // Java 17: -2.6814475343671142E18
  });
});

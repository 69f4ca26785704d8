/**
 * Floating-point numbers as Java prints them (Double.toString, Float.toString), which is the text Kafka Connect's
 * JsonConverter writes for float64 and float32 values: `21.0` rather than `21`, `1.0E21` rather than `1e+21`,
 * `1.0E-4` rather than `0.0001`. The values are equal; the text is what an endpoint that signs or compares bodies
 * sees.
 *
 * Java's rules (the JDK 19+ specification, which also fixed the older JDKs' occasional extra digits): the shortest
 * decimal that reads back as the same double (or float); when that has one digit, the closest of the one- and
 * two-digit decimals that do (so Double.MIN_VALUE is `4.9E-324`, not `5E-324`). Written plain with at least one digit
 * after the point for 10^-3 <= |x| < 10^7, else as `d.dddE<n>` with at least one digit after the point and no `+`.
 * Zero is `0.0` or `-0.0`. NaN and the infinities have no JSON number: Jackson, which Connect writes JSON with,
 * quotes them by default (`"NaN"`, `"Infinity"`, `"-Infinity"`), and so do we (as strings).
 */
import { JsonNumber } from './json-text.js';

/**
 * Java's Double.toString.
 *
 * @example
 * javaDoubleText(21) // '21.0'
 * javaDoubleText(1e21) // '1.0E21'
 * javaDoubleText(1.5e-7) // '1.5E-7'
 */
export function javaDoubleText(x: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  let [digits, exponent] = shortest(x.toExponential());
  if (digits.length === 1) {
    const [two, twoExponent] = shortest(x.toExponential(1));
    if (Number(`${x < 0 ? '-' : ''}${two[0]}.${two.slice(1)}e${twoExponent}`) === x) [digits, exponent] = [two, twoExponent];
  }
  return layout(x < 0, digits, exponent, Math.abs(x));
}

/**
 * Java's Float.toString for a float32 value (a number that Math.fround leaves as it is).
 *
 * @example
 * javaFloatText(16777216) // '1.6777216E7'
 * javaFloatText(Math.fround(1.1)) // '1.1'
 */
export function javaFloatText(x: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  let text = x.toExponential(8);
  for (let precision = 0; precision < 8; precision++) {
    const candidate = evenOnTie(x, precision, x.toExponential(precision));
    if (Math.fround(Number(candidate)) === x) {
      text = candidate;
      // One digit: the closest two-digit decimal wins when it also reads back (Float.MIN_VALUE is 1.4E-45).
      if (precision === 0 && Math.fround(Number(x.toExponential(1))) === x) text = x.toExponential(1);
      break;
    }
  }
  const [digits, exponent] = shortest(text);
  return layout(x < 0, digits, exponent, Math.abs(x));
}

/**
 * A float64 for the body: the number itself where JavaScript already writes Java's text (a fraction between 10^-3
 * and 10^7: the common case, no allocation), else a JsonNumber holding Java's text (a string for NaN and infinities).
 */
export function javaDouble(x: number): number | JsonNumber | string {
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7 && !Number.isInteger(x)) return x;
  return Number.isFinite(x) ? new JsonNumber(javaDoubleText(x)) : nonFinite(x);
}

/** A float32 (already rounded to float32) for the body, as javaDouble does for a float64. */
export function javaFloat(x: number): number | JsonNumber | string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const text = javaFloatText(x);
  return String(Number(text)) === text ? Number(text) : new JsonNumber(text);
}

/**
 * `toExponential` rounds a tie up in magnitude; Java picks the decimal with the even last digit (`-2673821.25` as a
 * float is `-2673821.2`, not `.3`). The candidate with the even digit where `x` lies exactly halfway, else `rounded`.
 */
function evenOnTie(x: number, precision: number, rounded: string): string {
  const e = rounded.indexOf('e');
  const last = Number(rounded[e - 1]);
  if (last % 2 === 0) return rounded;
  const exact = x.toExponential(100);
  const digits = exact.slice(exact[0] === '-' ? 1 : 0, exact.indexOf('e')).replace('.', '');
  if (digits[precision + 1] !== '5' || !/^0*$/.test(digits.slice(precision + 2)) || exact.slice(exact.indexOf('e')) !== rounded.slice(e)) return rounded;
  const kept = digits.slice(0, precision + 1);
  const sign = x < 0 ? '-' : '';
  return `${sign}${kept[0]}${precision > 0 ? `.${kept.slice(1)}` : ''}${rounded.slice(e)}`;
}

function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

/** `toExponential` text -> significant digits without trailing zeros (at least one) and the decimal exponent. */
function shortest(exponential: string): [string, number] {
  const e = exponential.indexOf('e');
  const mantissa = exponential.slice(exponential[0] === '-' ? 1 : 0, e).replace('.', '');
  const digits = mantissa.replace(/0+$/, '') || '0';
  return [digits, Number(exponential.slice(e + 1))];
}

function layout(negative: boolean, digits: string, exponent: number, abs: number): string {
  const sign = negative ? '-' : '';
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
}

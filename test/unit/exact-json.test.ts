import { describe, expect, it } from '@jest/globals';
import { jsonConverter } from '../../src/decode/converter.js';
import { parseJsonExact } from '../../src/decode/exact-json.js';
import { renderValue } from '../../src/request/request-builder.js';

const record = { topic: 'iot', partition: 0, offset: 0 };

describe('JSON with 64-bit integers (regression: JsonConverter rounded ids beyond 2^53)', () => {
  it('keeps integers beyond 2^53 exact, anywhere in the document', () => {
    expect(parseJsonExact('{"id": 9223372036854775807, "list": [-9223372036854775808, 1], "n": {"x": 12345678901234567890}}')).toEqual({
      id: 9223372036854775807n,
      list: [-9223372036854775808n, 1],
      n: { x: 12345678901234567890n },
    });
  });

  it('leaves safe integers, decimals, exponents and digits inside strings as JSON.parse reads them', () => {
    const text = '{"safe": 9007199254740991, "d": 1234567890123456.5, "e": 12345678901234567e3, "s": "id 12345678901234567890 \\" 98765432109876543210"}';
    expect(parseJsonExact(text)).toEqual(JSON.parse(text));
  });

  it('still refuses what is not JSON', () => {
    expect(() => parseJsonExact('{"id": 012345678901234567}')).toThrow(SyntaxError);
    expect(() => parseJsonExact('{"id": 12345678901234567890')).toThrow(SyntaxError);
  });

  it('JsonConverter passes a 64-bit id to the request body with every digit', () => {
    const value = Buffer.from('{"iot_id":9007199254740993,"metric":"Temperature","measurement":14.5}');

    const decoded = jsonConverter(false)(value, record);

    expect(renderValue(decoded)).toBe('{"iot_id":9007199254740993,"metric":"Temperature","measurement":14.5}');
  });
});

describe('JsonConverter bodies with Java\'s double text (issue 14: 21.0 arrived as 21, 1e21 as 1e+21)', () => {
  const body = (json: string): string => String(renderValue(jsonConverter(false)(Buffer.from(json), record)));

  it('writes a number with a point or an exponent as Java writes a double, and integers as integers', () => {
    expect(body('{"t":21.0,"big":1e21,"small":1.5e-7,"tiny":0.0001,"wide":12345678.5,"neg":-0.0,"plain":14.5,"i":21,"j":-0,"e":1.5E1}')).toBe(
      '{"t":21.0,"big":1.0E21,"small":1.5E-7,"tiny":1.0E-4,"wide":1.23456785E7,"neg":-0.0,"plain":14.5,"i":21,"j":0,"e":15.0}',
    );
  });

  it('keeps doubles and 64-bit integers in one document, inside arrays, and leaves strings alone', () => {
    expect(body('[9223372036854775807, 100.00, "21.0 and 1e21", {"k.0": 7e7}]')).toBe('[9223372036854775807,100.0,"21.0 and 1e21",{"k.0":7.0E7}]');
  });

  it('takes the fast path (no marks) for text without such numbers: the values are JSON.parse\'s', () => {
    const text = '{"id":12,"metric":"Temperature","measurement":14.5,"tags":["a","b"]}';
    expect(parseJsonExact(text, { javaDoubles: true })).toEqual(JSON.parse(text));
    expect(body(text)).toBe(text);
  });

  it('is only for the schemaless JsonConverter: without javaDoubles a double is the number JSON.parse gives', () => {
    expect(parseJsonExact('{"t":21.0}')).toEqual({ t: 21 });
  });
});

describe('JSON with marked numbers, odd keys', () => {
  it('keeps a `__proto__` key an own property holding the number (no prototype change)', () => {
    const parsed = parseJsonExact('{"__proto__": 21.0, "n": 9223372036854775807}', { javaDoubles: true }) as Record<string, unknown>;

    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'n']);
    expect(renderValue(parsed)).toBe('{"__proto__":21.0,"n":9223372036854775807}');
  });
});

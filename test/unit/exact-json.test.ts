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
    expect(() => parseJsonExact('{"id": 12345678901234567,}')).toThrow(SyntaxError);
    expect(() => parseJsonExact('{"id": 12345678901234567890')).toThrow(SyntaxError);
  });

  it('reads leading zeros as Connect\'s Jackson does (issue 20): 012345678901234567 is 12345678901234567', () => {
    expect(parseJsonExact('{"id": 012345678901234567}')).toEqual({ id: 12345678901234567n });
  });

  it('JsonConverter passes a 64-bit id to the request body with every digit', () => {
    const value = Buffer.from('{"iot_id":9007199254740993,"metric":"Temperature","measurement":14.5}');

    const decoded = jsonConverter(false)(value, record);

    expect(renderValue(decoded)).toBe('{"iot_id":9007199254740993,"metric":"Temperature","measurement":14.5}');
  });
});

describe('JsonConverter bodies with Java\'s double text (issue 14: 21.0 arrived as 21, 1e21 as 1e+21)', () => {
  const body = (json: string): string => String(renderValue(jsonConverter(false)(Buffer.from(json), record)));

  it('writes a number with a point or an exponent as Java writes a double, and integers as integers (keys in HashMap order)', () => {
    // Kafka Connect 3.9.1's bytes for this value (JsonConverter in and out, schemas.enable=false): a BigDecimal has
    // no negative zero, so -0.0 is 0.0.
    expect(body('{"t":21.0,"big":1e21,"small":1.5e-7,"tiny":0.0001,"wide":12345678.5,"neg":-0.0,"plain":14.5,"i":21,"j":-0,"e":1.5E1}')).toBe(
      '{"small":1.5E-7,"big":1.0E21,"neg":0.0,"t":21.0,"wide":1.23456785E7,"e":15.0,"tiny":1.0E-4,"plain":14.5,"i":21,"j":0}',
    );
  });

  it('keeps doubles and 64-bit integers in one document, inside arrays, and leaves strings alone', () => {
    expect(body('[9223372036854775807, 100.00, "21.0 and 1e21", {"k.0": 7e7}]')).toBe('[9223372036854775807,100.0,"21.0 and 1e21",{"k.0":7.0E7}]');
  });

  it('takes the fast path (no marks) for text without such numbers: the values are JSON.parse\'s', () => {
    const text = '{"id":12,"metric":"Temperature","measurement":14.5,"tags":["a","b"]}';
    expect(parseJsonExact(text, { javaDoubles: true })).toEqual(JSON.parse(text));
    expect(body(text)).toBe('{"metric":"Temperature","id":12,"measurement":14.5,"tags":["a","b"]}'); // Connect's HashMap order
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

describe('JsonConverter (schemas.enable=false) numbers as Kafka Connect reads them (issue 20; Connect 3.9.1\'s bytes)', () => {
  const body = (json: string, overflow?: 'keep' | 'wrap'): string => String(renderValue(jsonConverter(false, overflow)(Buffer.from(json), record)));

  it('a zero with a point is 0.0 whatever its sign (a BigDecimal has no -0), an underflow keeps its sign; beyond double range is "Infinity"', () => {
    expect(body('{"a":-0.0,"b":0.0,"c":-0,"d":1e400,"e":-1e400,"f":1e-400,"g":-1e-400}')).toBe('{"a":0.0,"b":0.0,"c":0,"d":"Infinity","e":"-Infinity","f":0.0,"g":-0.0}');
    expect(body('[1, 2.0, -0.0, 1e400]')).toBe('[1,2.0,0.0,"Infinity"]');
  });

  it('keeps integers beyond 64 bits (declared departure); integer.overflow=wrap gives Connect\'s low 64 bits', () => {
    const text = '{"a":18446744073709551617,"b":-9223372036854775809,"c":9223372036854775808,"d":123456789012345678901234567890}';
    expect(body(text)).toBe('{"a":18446744073709551617,"b":-9223372036854775809,"c":9223372036854775808,"d":123456789012345678901234567890}');
    expect(body(text, 'wrap')).toBe('{"a":1,"b":9223372036854775807,"c":-9223372036854775808,"d":-4362896299872285998}');
  });
});

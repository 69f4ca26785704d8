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

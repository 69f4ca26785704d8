/**
 * JsonConverter's reading of bytes Jackson takes and JSON.parse would not (or the reverse), as Kafka Connect 3.9.1
 * reads them: invalid UTF-8 inside JSON, numbers with leading zeros, struct field names SchemaBuilder refuses.
 * Expected values were read off Connect's own JsonConverter on the same bytes (issue 20).
 */
import { describe, expect, it } from '@jest/globals';
import { BadDataError } from '../../src/common/errors.js';
import { jsonConverter } from '../../src/decode/converter.js';
import { jacksonUtf8 } from '../../src/decode/jackson-utf8.js';

const ref = { topic: 't', partition: 0, offset: 0 };
const units = (text: string): string => [...Array(text.length).keys()].map((i) => text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')).join(' ');
const inString = (hex: string): Buffer => Buffer.from(`7b2261223a2261${hex}62227d`, 'hex'); // {"a":"a<bytes>b"}

describe('JSON bytes as Jackson decodes them', () => {
  // The string value Connect read from {"a":"a<bytes>b"}, as UTF-16 units.
  const read: [string, string][] = [
    ['c3a9', '0061 00E9 0062'],
    ['c0af', '0061 002F 0062'], // an overlong form is read as its bits say
    ['eda080', '0061 D800 0062'], // an encoded surrogate is that surrogate
    ['edbfbf', '0061 DFFF 0062'],
    ['f0908080', '0061 D800 DC00 0062'],
    ['f4908080', '0061 DC00 DC00 0062'], // beyond U+10FFFF: the pair its bits make
    ['f0808080', '0061 FFC0 DC00 0062'],
    ['efbfbd', '0061 FFFD 0062'], // a U+FFFD in the data stays
  ];
  it.each(read)('reads %s inside a string as %s', (hex, expected) => {
    expect(units(jacksonUtf8(inString(hex)).slice(6, -2))).toBe(expected);
  });

  it.each(['ff', '80', 'e0a0', 'f8888080'])('refuses %s (a bad start byte or a sequence cut short): a record error, as Connect fails the record', (hex) => {
    expect(() => jsonConverter(false)(inString(hex), ref)).toThrow(BadDataError);
    expect(() => jsonConverter(false)(inString(hex), ref)).toThrow(/invalid JSON \(Invalid UTF-8 (start|middle) byte/);
  });
});

describe('numbers with leading zeros (Jackson reads them; JSON.parse does not)', () => {
  const cases: [string, string][] = [
    ['{"z":00}', '{"z":0}'],
    ['{"z":007}', '{"z":7}'],
    ['{"z":-007}', '{"z":-7}'],
    ['{"z":-00}', '{"z":0}'],
    ['[00,1]', '[0,1]'],
    ['{"z":"007","y":07}', '{"y":7,"z":"007"}'], // text in strings is left alone (keys in HashMap order)
  ];
  it.each(cases)('%s is read as %s', (text, expected) => {
    expect(JSON.stringify(jsonConverter(false)(Buffer.from(text), ref))).toBe(expected);
  });

  it('a number with a point or an exponent keeps being a double: 00.5 is 0.5, 01e2 is 100.0', () => {
    const value = jsonConverter(false)(Buffer.from('{"b":01e2,"a":00.5}'), ref) as Record<string, { toString(): string }>;
    expect(String(value.a)).toBe('0.5');
    expect(String(value.b)).toBe('100.0');
  });

  it('other text JSON.parse refuses is still refused', () => {
    expect(() => jsonConverter(false)(Buffer.from('{"a":1,}'), ref)).toThrow(BadDataError);
  });
});

describe('envelope struct field names', () => {
  const envelope = (fields: string[]): Buffer =>
    Buffer.from(JSON.stringify({ schema: { type: 'struct', fields: fields.map((field) => ({ field, type: 'int32' })) }, payload: { ' ': 2, a: 1 } }));

  it('an empty field name fails the record with SchemaBuilder\'s message', () => {
    expect(() => jsonConverter(true)(envelope(['', 'a']), ref)).toThrow('fieldName cannot be null.');
  });

  it('a field named twice fails the record', () => {
    expect(() => jsonConverter(true)(envelope(['a', 'a']), ref)).toThrow('Cannot create field because of field name duplication a');
  });

  it('a blank but not empty name is a name (Connect takes " ")', () => {
    expect(JSON.stringify(jsonConverter(true)(envelope([' ', 'a']), ref))).toBe('{" ":2,"a":1}');
  });
});

/**
 * StringConverter reads bytes as Java's `new String(bytes, charset)` does (issue 20). The table is what Kafka
 * Connect 3.9.1's StringConverter gave for each byte sequence (UTF-16 code units of the text; conformance/probes/).
 */
import { describe, expect, it } from '@jest/globals';
import { parseConnectorConfig } from '../../src/connector/connector-config.js';
import { stringConverter, stringConverterFor } from '../../src/decode/converter.js';
import { javaDecode, type StringEncoding } from '../../src/decode/string-decoding.js';

const units = (text: string): string => [...Array(text.length).keys()].map((i) => text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')).join(' ');
const ref = { topic: 't', partition: 0, offset: 0 };

const JAVA_UTF8: [string, string][] = [
  ['eda080', 'FFFD'],
  ['eda080eda080', 'FFFD FFFD'],
  ['edbfbf', 'FFFD'],
  ['c0af', 'FFFD FFFD'],
  ['c0', 'FFFD'],
  ['e0', 'FFFD'],
  ['e080', 'FFFD FFFD'],
  ['e08080', 'FFFD FFFD FFFD'],
  ['e0a0', 'FFFD'],
  ['e0a080', '0800'],
  ['f0', 'FFFD'],
  ['f080', 'FFFD FFFD'],
  ['f08080', 'FFFD FFFD FFFD'],
  ['f0808080', 'FFFD FFFD FFFD FFFD'],
  ['f09080', 'FFFD'],
  ['f0908080', 'D800 DC00'],
  ['f4908080', 'FFFD FFFD FFFD FFFD'],
  ['f8888080', 'FFFD FFFD FFFD FFFD'],
  ['ff', 'FFFD'],
  ['fe', 'FFFD'],
  ['80', 'FFFD'],
  ['bf', 'FFFD'],
  ['80bf', 'FFFD FFFD'],
  ['c2', 'FFFD'],
  ['c241', 'FFFD 0041'],
  ['e2', 'FFFD'],
  ['e282', 'FFFD'],
  ['e28241', 'FFFD 0041'],
  ['f09f98', 'FFFD'],
  ['f09f9841', 'FFFD 0041'],
  ['f5', 'FFFD'],
  ['edA0', 'FFFD'],
  ['ed9fbf', 'D7FF'],
  ['ee8080', 'E000'],
  ['f4', 'FFFD'],
  ['f48f', 'FFFD'],
  ['f48fbf', 'FFFD'],
  ['f48fbfbf', 'DBFF DFFF'],
  ['cf80', '03C0'],
  ['c1bf', 'FFFD FFFD'],
  ['e0', 'FFFD'],
  ['9f80', 'FFFD FFFD'],
  ['eda041', 'FFFD 0041'],
  ['eda0', 'FFFD'],
  ['eda0c2', 'FFFD FFFD'],
  ['edbf', 'FFFD'],
  ['eda080c2', 'FFFD FFFD'],
  ['41eda0', '0041 FFFD'],
  ['eda0eda080', 'FFFD FFFD'],
  ['edbf41', 'FFFD 0041'],
  ['eda0e282ac', 'FFFD 20AC'],
  ['ed80', 'FFFD'],
  ['ed8041', 'FFFD 0041'],
  ['eda080bf', 'FFFD FFFD'],
  ['ed', 'FFFD'],
  ['eda0ff', 'FFFD FFFD'],
];

describe('StringConverter text as Java decodes it', () => {
  it.each(JAVA_UTF8)('UTF-8 %s -> %s', (hex, expected) => {
    expect(units(String(stringConverter(Buffer.from(hex, 'hex'), ref)))).toBe(expected);
  });

  it('replaces an encoded surrogate (ED A0 80) with one U+FFFD, not three, and never marks such text verbatim', () => {
    const context = {};
    expect(stringConverter(Buffer.from('61eda08062', 'hex'), ref, context)).toBe('a\uFFFDb');
    expect(context).toEqual({});
  });

  it('reads ISO-8859-1 byte for byte and US-ASCII with U+FFFD above 0x7F, as Java does', () => {
    const bytes = Buffer.from('41ff80e9', 'hex');
    expect(units(javaDecode(bytes, 'ISO-8859-1'))).toBe('0041 00FF 0080 00E9');
    expect(units(javaDecode(bytes, 'US-ASCII'))).toBe('0041 FFFD FFFD FFFD');
    expect(stringConverterFor('ISO-8859-1')(bytes, ref)).toBe('A\u00ff\u0080\u00e9');
  });
});

describe('UTF-16 (value.converter.converter.encoding=UTF-16BE, UTF-16LE, UTF-16)', () => {
  // Kafka Connect 3.9.1's StringConverter (conformance/probes/StringProbe.java) on the same bytes, as UTF-16 units.
  const cases: [StringEncoding, string, string][] = [
    ['UTF-16BE', 'feff0068', 'FEFF 0068'],
    ['UTF-16BE', '0068d800', '0068 FFFD'],
    ['UTF-16BE', '006800', '0068 FFFD'],
    ['UTF-16BE', 'd83dde00', 'D83D DE00'],
    ['UTF-16LE', 'feff0068', 'FFFE 6800'],
    ['UTF-16LE', '006800', '6800 FFFD'],
    ['UTF-16', 'feff0068', '0068'],
    ['UTF-16', 'fffe6800', '0068'],
    ['UTF-16', '0068dc00', '0068 FFFD'],
  ];
  it.each(cases)('%s of %s is %s', (encoding, hex, expected) => {
    expect(units(javaDecode(Buffer.from(hex, 'hex'), encoding))).toBe(expected);
  });
});

describe('converter.encoding', () => {
  const base = { name: 'enc', topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none' };
  const config = (encoding: string) => parseConnectorConfig({ ...base, 'value.converter.converter.encoding': encoding }, {});

  it('value.converter.encoding is not StringConverter\'s key: accepted and ignored, as Connect ignores it', () => {
    expect(() => parseConnectorConfig({ ...base, 'value.converter.encoding': 'Shift_JIS' }, {})).not.toThrow();
  });

  it('reads UTF-16BE when value.converter.converter.encoding says so', () => {
    expect(() => config('UnicodeBigUnmarked')).not.toThrow();
  });

  it('takes the charsets Java knows by their names and aliases (a file Connect runs is not refused)', () => {
    expect(() => config('UTF-8')).not.toThrow();
    expect(() => config('latin1')).not.toThrow();
    expect(() => config('us-ascii')).not.toThrow();
  });

  it('refuses a charset it cannot read, naming the key', () => {
    expect(() => config('Shift_JIS')).toThrow(/value\.converter\.converter\.encoding/);
  });
});

/**
 * JsonConverter with schemas.enable=true reads the payload with the envelope's schema and writes what it read (issue
 * 20). Every expected body is what Kafka Connect 3.9.1 wrote for the same envelope (JsonConverter in with
 * schemas.enable=true, out with schemas.enable=false; conformance/probes/), except where a test names a departure.
 */
import { describe, expect, it } from '@jest/globals';
import { BadDataError } from '../../src/common/errors.js';
import { jsonText } from '../../src/common/json-text.js';
import { jsonConverter } from '../../src/decode/converter.js';

const ref = { topic: 't', partition: 0, offset: 0 };
const struct = (fields: [string, string][], payload: string): Buffer =>
  Buffer.from(`{"schema":{"type":"struct","fields":[${fields.map(([f, t]) => `{"field":"${f}","type":"${t}","optional":true}`).join(',')}]},"payload":${payload}}`);
const body = (bytes: Buffer | string, overflow?: 'keep' | 'wrap'): string => jsonText(jsonConverter(true, overflow)(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), ref, {}));
const NUMBERS: [string, string][] = [['f', 'float'], ['d', 'double'], ['i', 'int8'], ['s', 'int16'], ['n', 'int32'], ['l', 'int64']];

describe('JsonConverter envelopes: numbers as the schema types them', () => {
  it('float and double in Java\'s text (16777217 in a float is 1.6777216E7); int8/16/32 narrowed as Java casts them', () => {
    expect(body(struct(NUMBERS, '{"f":16777217,"d":21,"i":300,"s":70000,"n":3000000000,"l":12}'))).toBe('{"f":1.6777216E7,"d":21.0,"i":44,"s":4464,"n":-1294967296,"l":12}');
    expect(body(struct(NUMBERS, '{"f":1.1,"d":-0.0,"i":1.9,"s":-1.5,"n":2.5e3,"l":1e2}'))).toBe('{"f":1.1,"d":0.0,"i":1,"s":-1,"n":2500,"l":100}');
    expect(body(struct([['f', 'float'], ['d', 'double']], '{"f":1e40,"d":1e400}'))).toBe('{"f":"Infinity","d":"Infinity"}');
  });

  it('keeps an int64 beyond 64 bits (declared departure); integer.overflow=wrap gives Connect\'s low 64 bits', () => {
    const big = struct([['l', 'int64']], '{"l":18446744073709551617}');
    expect(body(big)).toBe('{"l":18446744073709551617}');
    expect(body(big, 'wrap')).toBe('{"l":1}');
  });

  it('reads each record with its own converter\'s overflow rule, when converters share one cached schema', () => {
    const keep = jsonConverter(true, 'keep');
    const wrap = jsonConverter(true, 'wrap');
    const big = struct([['l', 'int64']], '{"l":18446744073709551617}');
    for (let i = 0; i < 2; i += 1) {
      expect(jsonText(keep(big, ref, {}))).toBe('{"l":18446744073709551617}');
      expect(jsonText(wrap(big, ref, {}))).toBe('{"l":1}');
    }
  });

  it('refuses the type names Connect does not know (float64), as Connect does', () => {
    expect(() => body('{"schema":{"type":"struct","fields":[{"field":"x","type":"float64"}]},"payload":{"x":1}}')).toThrow(new BadDataError('malformed', 'Unknown schema type: float64'));
  });
});

describe('JsonConverter envelopes: structs, maps, decimals', () => {
  it('writes a struct in schema order: a null or missing field with a default gets it, a missing optional struct is null', () => {
    const schema = '{"type":"struct","fields":[{"field":"b","type":"int32","optional":true},{"field":"a","type":"string","optional":false,"default":"dflt"},{"field":"c","type":"int32","optional":true,"default":7},{"field":"s","type":"struct","optional":true,"fields":[{"field":"q","type":"int32"}]}]}';
    expect(body(`{"schema":${schema},"payload":{"a":null,"b":1}}`)).toBe('{"b":1,"a":"dflt","c":7,"s":null}');
    expect(body('{"schema":{"type":"struct","fields":[{"field":"x","type":"int32","optional":true,"default":5}]},"payload":{"x":null}}')).toBe('{"x":5}');
  });

  it('makes a missing required field a record error, with Connect\'s message', () => {
    expect(() => body('{"schema":{"type":"struct","fields":[{"field":"a","type":"string","optional":false}]},"payload":{}}')).toThrow('Invalid null value for required STRING field');
  });

  it('writes a map with integer keys in HashMap order (small keys sorted), a repeated key once with its last value', () => {
    const map = '{"type":"map","keys":{"type":"int32"},"values":{"type":"string"}}';
    expect(body(`{"schema":${map},"payload":[[3,"c"],[1,"b"],[3,"d"],[-1,"m"],[100000,"big"],[17,"q"]]}`)).toBe('[[-1,"m"],[1,"b"],[100000,"big"],[17,"q"],[3,"d"]]');
  });

  it('writes a map with string keys and a schemaless payload in HashMap order', () => {
    expect(body('{"schema":{"type":"map","keys":{"type":"string"},"values":{"type":"int32"}},"payload":{"zeta":1,"alpha":2,"name":3,"id":4}}')).toBe('{"zeta":1,"alpha":2,"name":3,"id":4}');
    expect(body('{"schema":null,"payload":{"b":1,"a":2}}')).toBe('{"a":2,"b":1}');
  });

  it('reads bytes as strict padded base64 (re-encoded), and refuses other text as Connect does', () => {
    const bytes = (b: string): string => body(`{"schema":{"type":"struct","fields":[{"field":"b","type":"bytes"}]},"payload":{"b":"${b}"}}`);
    expect(bytes('aGk=')).toBe('{"b":"aGk="}');
    expect(bytes('YR==')).toBe('{"b":"YQ=="}');
    expect(bytes('')).toBe('{"b":""}');
    for (const bad of ['aGk', 'aG k=', 'aGk==', 'a-_w', '!!!!']) expect(() => bytes(bad)).toThrow('Invalid bytes field');
  });

  it('re-encodes a Decimal in its shortest two\'s complement (not echoed); a number with the schema\'s scale too', () => {
    const field = (name: string): string => `{"field":"${name}","type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}}`;
    const schema = `{"type":"struct","fields":[${field('d')},${field('e')},${field('f')}]}`;
    expect(body(`{"schema":${schema},"payload":{"d":"AAAwOQ==","e":"//+AAA==","f":12.34}}`)).toBe('{"d":"MDk=","e":"gAA=","f":"BNI="}');
  });
});

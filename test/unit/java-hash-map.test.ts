/**
 * Key order of schemaless maps as Kafka Connect writes them (issue 20): JsonConverter reads a JSON object into a
 * java.util.HashMap and writes it in that map's order; InsertField, Cast, MaskField, ReplaceField, TimestampConverter
 * and HeaderFrom copy into new HashMaps. Every expected body here is what Kafka Connect 3.9.1 on Java 17 wrote for the
 * same input (JsonConverter in and out with schemas.enable=false, the transform between; conformance/probes/).
 */
import { describe, expect, it } from '@jest/globals';
import { jsonText } from '../../src/common/json-text.js';
import { copiedMapCapacity, defaultMapCapacity, javaKeyHash, javaSetOrder, sizedMapCapacity } from '../../src/common/java-hash-map.js';
import { jsonConverter } from '../../src/decode/converter.js';
import { castTransform } from '../../src/transform/cast.js';
import { insertFieldTransform } from '../../src/transform/insertField.js';
import { maskFieldTransform } from '../../src/transform/maskField.js';
import { replaceFieldTransform } from '../../src/transform/replaceField.js';
import type { SinkRecord } from '../../src/records/record.js';
import { sinkRecord } from './fakes.js';

const ref = { topic: 't', partition: 0, offset: 42 };
const read = (json: string): unknown => jsonConverter(false)(Buffer.from(json), ref);
const body = (json: string): string => jsonText(read(json));
const TWELVE = '{"a1":1,"a2":2,"a3":3,"a4":4,"a5":5,"a6":6,"a7":7,"a8":8,"a9":9,"a10":10,"a11":11,"a12":12}';
const through = (transform: (r: SinkRecord) => SinkRecord | null, json: string): string => jsonText(transform(sinkRecord({ offset: 42, timestamp: 1_700_000_000_000, value: read(json) }))!.value);

describe('JsonConverter (schemas.enable=false) writes objects in HashMap order', () => {
  it('orders keys by bucket, as Connect does', () => {
    expect(body('{"b":1,"a":2,"c":3}')).toBe('{"a":2,"b":1,"c":3}');
    expect(body('{"name":"x","id":1,"email":"e","created_at":"t","zeta":1,"alpha":2}')).toBe('{"zeta":1,"alpha":2,"name":"x","created_at":"t","id":1,"email":"e"}');
  });

  // what `new HashMap<>()` + 40 puts of these keys iterates in on Java 17 (a probe beside this file's others)
  it('orders an object of more keys than an insertion sort takes (40 keys, 64 slots)', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `field_${(i * 7919) % 1000}`);
    const json = `{${keys.map((k, i) => `"${k}":${i}`).join(',')}}`;
    const java = 'field_0,field_84,field_785,field_246,field_542,field_3,field_165,field_461,field_28,field_380,field_109,field_922,field_947,field_408,field_704,field_489,field_841,field_866,field_327,field_623,field_299,field_651,field_595,field_433,field_894,field_570,field_352,field_56,field_271,field_190,field_919,field_838,field_813,field_757,field_218,field_732,field_676,field_137,field_514,field_975';
    expect(Object.keys(read(json) as object).join(',')).toBe(java);
  });

  it('keeps put order within a bucket ("Aa" and "BB" have the same hash)', () => {
    expect(javaKeyHash('Aa')).toBe(javaKeyHash('BB'));
    expect(body('{"Aa":1,"BB":2,"C#":3}')).toBe('{"Aa":1,"BB":2,"C#":3}');
    expect(body('{"BB":1,"Aa":2}')).toBe('{"BB":1,"Aa":2}');
  });

  it('grows the table past 12 keys (16 slots -> 32)', () => {
    expect(body(TWELVE)).toBe('{"a1":1,"a11":11,"a2":2,"a10":10,"a3":3,"a4":4,"a12":12,"a5":5,"a6":6,"a7":7,"a8":8,"a9":9}');
    expect(body(`${TWELVE.slice(0, -1)},"a13":13}`)).toBe('{"a11":11,"a10":10,"a13":13,"a12":12,"a1":1,"a2":2,"a3":3,"a4":4,"a5":5,"a6":6,"a7":7,"a8":8,"a9":9}');
  });

  it('orders nested objects, also inside arrays; arrays keep their order', () => {
    expect(body('{"n":{"z":1,"y":2,"x":3},"arr":[{"q":1,"p":2}]}')).toBe('{"arr":[{"p":2,"q":1}],"n":{"x":3,"y":2,"z":1}}');
  });

  it('gives an object already in order back as it is (no copy)', () => {
    const text = '{"a":1,"b":2}';
    const parsed = JSON.parse(text) as object;
    expect(jsonText(read(text))).toBe(text);
    expect(parsed).toEqual({ a: 1, b: 2 });
  });

  it('sizes tables as Java 17 does', () => {
    expect([0, 12, 13, 24, 25].map(defaultMapCapacity)).toEqual([16, 16, 32, 32, 64]);
    // new HashMap<>(m): Java 17 sizes for size / 0.75 + 1 (Java 19+ for ceil(size / 0.75): 16 for 12 keys)
    expect([1, 3, 6, 11, 12, 13].map((n) => copiedMapCapacity(n))).toEqual([2, 8, 16, 16, 32, 32]);
    expect([0, 1, 3, 5].map((n) => sizedMapCapacity(n, n))).toEqual([1, 2, 4, 8]);
  });
});

describe('transforms copy into HashMaps as Connect does', () => {
  it('InsertField: a copy of 12 keys has 32 slots on Java 17, then the puts', () => {
    const insert = insertFieldTransform({ staticField: 'st', staticValue: 'v' }, 'InsertField');
    expect(through(insert, TWELVE)).toBe('{"a11":11,"a10":10,"st":"v","a12":12,"a1":1,"a2":2,"a3":3,"a4":4,"a5":5,"a6":6,"a7":7,"a8":8,"a9":9}');
    const all = insertFieldTransform({ topicField: 'topic', offsetField: 'off', partitionField: 'part', timestampField: 'ts', staticField: 'st', staticValue: 'v' }, 'InsertField');
    expect(through(all, '{"b":1,"a":2,"c":3}')).toBe('{"a":2,"st":"v","b":1,"c":3,"part":0,"topic":"iot","off":42,"ts":1700000000000}');
  });

  it('Cast: the copy (32 slots for 12 keys on Java 17; Java 21 would keep 16) and every spec field, null where absent', () => {
    expect(through(castTransform({ spec: { a1: 'string' } }, 'Cast'), TWELVE)).toBe('{"a11":11,"a10":10,"a12":12,"a1":"1","a2":2,"a3":3,"a4":4,"a5":5,"a6":6,"a7":7,"a8":8,"a9":9}');
    const cast = castTransform({ spec: { q: 'string', p: 'int32', zz: 'int8', a1: 'float64' } }, 'Cast');
    expect(through(cast, '{"p":1.5,"q":2,"r":"s","d":2.0,"n":null}')).toBe('{"p":1,"zz":null,"a1":null,"q":"2","r":"s","d":2.0,"n":null}');
  });

  it('Cast to boolean: a number is true when its long value is not 0 (0.5 and -0.9 are false), as in Connect', () => {
    const cast = castTransform({ spec: { a: 'boolean', b: 'boolean', c: 'boolean', d: 'boolean', e: 'boolean', f: 'boolean', g: 'boolean' } }, 'Cast');
    expect(through(cast, '{"a":0.5,"b":-0.9,"c":1.5,"d":0,"e":2,"f":"true","g":"yes"}')).toBe('{"a":false,"b":false,"c":true,"d":false,"e":true,"f":true,"g":false}');
  });

  it('MaskField: every field, null where absent; a double masks to 0.0, a replacement for a double is a double', () => {
    const mask = maskFieldTransform({ fields: ['p', 'q', 'r', 'zz', 'd', 'n'] }, 'MaskField');
    expect(through(mask, '{"p":1.5,"q":2,"r":"s","d":2.0,"n":null}')).toBe('{"p":0.0,"zz":null,"q":0,"r":"","d":0.0,"n":null}');
    const replace = maskFieldTransform({ fields: ['p', 'q', 'zz'], replacement: '5' }, 'MaskField');
    expect(through(replace, '{"p":1.5,"q":2,"r":"s","d":2.0,"n":null}')).toBe('{"p":5.0,"zz":null,"q":5,"r":"s","d":2.0,"n":null}');
    expect(through(mask, '{"b":1,"a":2,"c":3}')).toBe('{"p":null,"zz":null,"a":2,"q":null,"b":1,"r":null,"c":3,"d":null,"n":null}');
  });

  it('ReplaceField: the kept fields put into a table sized for the original', () => {
    const replace = replaceFieldTransform({ exclude: ['a'], renames: { b: 'bb', name: 'nm' } }, 'ReplaceField');
    expect(through(replace, '{"name":"x","id":1,"email":"e","created_at":"t","zeta":1,"alpha":2}')).toBe('{"zeta":1,"created_at":"t","id":1,"email":"e","alpha":2,"nm":"x"}');
  });

  it('config lists read into a HashSet (MaskField fields) iterate in its order', () => {
    expect(javaSetOrder(['p', 'q', 'r', 'zz', 'd', 'n'])).toEqual(['p', 'zz', 'q', 'r', 'd', 'n']);
  });
});

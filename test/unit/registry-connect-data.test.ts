/** The request body for Connect data the first converter tests leave out: each case as Kafka Connect writes it. */
import { describe, expect, it } from '@jest/globals';
import avro from 'avsc';
import protobuf from 'protobufjs';
import { bigDecimalText, type DecimalFormat, decimalToJson, float32ToJson } from '../../src/decode/connect-json.js';
import type { RawSchema } from '../../src/decode/registry-client.js';
import { compileSchema } from '../../src/decode/compile-schema.js';
import { registryConverter } from '../../src/decode/registry-converter.js';
import { JsonNumber, jsonText } from '../../src/common/json-text.js';
import { renderValue } from '../../src/request/request-builder.js';
import { protobufWire } from '../support/schema-registry.js';

const record = { topic: 'orders', partition: 0, offset: 3 };

function wire(payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([0, 0, 0, 0, 1]), payload]);
}

/** The body for `bytes` read with schema id 1 = `schema` (already fetched, so the converter answers at once). */
function body(kind: RawSchema['kind'], schema: unknown, bytes: Buffer, format: DecimalFormat = 'BASE64'): string {
  const compiled = compileSchema({ id: 1, kind, text: typeof schema === 'string' ? schema : JSON.stringify(schema), references: [] }, format);
  const convert = registryConverter(kind, kind, { cached: () => compiled, load: () => Promise.resolve(compiled) });
  return renderValue(convert(bytes, record)) as string;
}

/** Avro's zigzag varint long, for values avsc cannot write (beyond 2^53). */
function zigzagLong(n: bigint): number[] {
  const out: number[] = [];
  for (let z = n >= 0n ? n << 1n : (-n << 1n) - 1n; ; z >>= 7n) {
    if (z < 0x80n) return [...out, Number(z)];
    out.push(Number(z & 0x7fn) | 0x80);
  }
}

/** Big-endian two's complement, as Avro and Confluent write a decimal's unscaled value. */
function unscaledBytes(n: bigint): Buffer {
  const hex = BigInt.asUintN(128, n).toString(16).padStart(32, '0');
  return Buffer.from(hex, 'hex');
}

describe('Avro -> Connect JSON, the rarer shapes', () => {
  it('writes a map with non-string keys (Confluent\'s MapEntry array) as [key, value] pairs, and one with optional string keys as an object', () => {
    const entry = (name: string, key: unknown, value: unknown, tagged: boolean) => ({ type: 'record', name, ...(tagged ? { 'connect.internal.type': 'MapEntry' } : {}), fields: [{ name: 'key', type: key }, { name: 'value', type: value }] });
    const schema = {
      type: 'record',
      name: 'Stock',
      namespace: 'shop',
      fields: [
        { name: 'byBin', type: { type: 'array', items: { ...entry('MapEntry', 'int', 'string', false), namespace: 'io.confluent.connect.avro' } } },
        { name: 'byDay', type: { type: 'array', items: entry('DayEntry', { type: 'int', logicalType: 'date' }, 'float', true) } },
        { name: 'labels', type: { type: 'array', items: entry('LabelEntry', ['null', 'string'], 'long', true) } },
        { name: 'pairs', type: { type: 'array', items: entry('Pair', 'int', 'int', false) } },
      ],
    };
    const value = {
      byBin: [{ key: 3, value: 'a' }, { key: 1, value: 'b' }, { key: 3, value: 'c' }], // a repeated key: first place, last value
      byDay: [{ key: 19_700, value: 1.1 }],
      labels: [{ key: { string: 'env' }, value: 7 }, { key: null, value: 8 }],
      pairs: [{ key: 1, value: 2 }],
    };
    const bytes = wire(avro.Type.forSchema(schema as avro.Schema, { wrapUnions: true }).toBuffer(value));

    expect(body('AVRO', schema, bytes)).toBe('{"byBin":[[3,"c"],[1,"b"]],"byDay":[[19700,1.1]],"labels":{"env":7,"null":8},"pairs":[{"key":1,"value":2}]}');
  });

  it('names a fixed union branch after the fixed\'s simple name, bytes after its type', () => {
    const schema = { type: 'record', name: 'Tagged', fields: [{ name: 'id', type: ['null', 'bytes', { type: 'fixed', name: 'Uuid', namespace: 'shop.ids', size: 2 }] }] };
    const writer = avro.Type.forSchema(schema as avro.Schema, { wrapUnions: true });

    expect(body('AVRO', schema, wire(writer.toBuffer({ id: { 'shop.ids.Uuid': Buffer.from([1, 2]) } })))).toBe('{"id":{"bytes":null,"Uuid":"AQI="}}');
    expect(body('AVRO', schema, wire(writer.toBuffer({ id: { bytes: Buffer.from('hi') } })))).toBe('{"id":{"bytes":"aGk=","Uuid":null}}');
  });

  it('reads longs of any logical type exactly: timestamp-nanos beyond 2^53 is a valid record (regression: "potential precision loss")', () => {
    const long = (name: string, logicalType: string) => ({ name, type: { type: 'long', logicalType } });
    const schema = { type: 'record', name: 'Clock', fields: [long('atNanos', 'timestamp-nanos'), long('localNanos', 'local-timestamp-nanos'), long('ticks', 'x-custom-ticks'), long('atMillis', 'timestamp-millis')] };
    const values = [1_700_000_000_123_456_789n, -1_700_000_000_123_456_789n, 2n ** 63n - 1n, 1_702_080_000_000n];

    expect(body('AVRO', schema, wire(Buffer.from(values.flatMap(zigzagLong))))).toBe(
      '{"atNanos":1700000000123456789,"localNanos":-1700000000123456789,"ticks":9223372036854775807,"atMillis":1702080000000}',
    );
  });

  it('writes decimals with decimal.format NUMERIC as the exact number, trailing zeros and 25 digits kept', () => {
    const decimal = (name: string, scale: number, fixed?: number) => ({
      name,
      type: fixed ? { type: 'fixed', name: `${name}Fixed`, size: fixed, logicalType: 'decimal', precision: 30, scale } : { type: 'bytes', logicalType: 'decimal', precision: 30, scale },
    });
    const schema = { type: 'record', name: 'Invoice', fields: [decimal('price', 2), decimal('total', 5), decimal('refund', 2, 16), decimal('tiny', 10)] };
    const writer = avro.Type.forSchema(schema as avro.Schema);
    const bytes = wire(writer.toBuffer({ price: Buffer.from([0x04, 0xce]), total: unscaledBytes(1_234_567_890_123_456_789_012_345n), refund: unscaledBytes(-1230n), tiny: Buffer.from([0x7b]) }));

    expect(body('AVRO', schema, bytes, 'NUMERIC')).toBe('{"price":12.30,"total":12345678901234567890.12345,"refund":-12.30,"tiny":1.23E-8}');
    expect(body('AVRO', schema, bytes, 'BASE64')).toBe('{"price":"BM4=","total":"AQVuDzamRD3i33k=","refund":"+zI=","tiny":"ew=="}');
  });
});

describe('Protobuf imports Confluent registers without a reference', () => {
  const PROTO = `
syntax = "proto3";
package ops;
import "google/protobuf/duration.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/empty.proto";
import "confluent/type/decimal.proto";

message Job {
  string id = 1;
  google.protobuf.Duration took = 2;
  google.protobuf.Struct labels = 3;
  google.protobuf.Empty nothing = 4;
  confluent.type.Decimal cost = 5;
}
`;
  const encoderRoot = protobuf.parse(PROTO, { keepCase: true }).root;
  for (const file of ['duration', 'struct', 'empty']) encoderRoot.addJSON(protobuf.common.get(`google/protobuf/${file}.proto`)!.nested!);
  protobuf.parse('syntax = "proto3"; package confluent.type; message Decimal { bytes value = 1; uint32 precision = 2; int32 scale = 3; }', encoderRoot);
  const Job = encoderRoot.lookupType('ops.Job');

  it('resolves duration, struct, empty and decimal.proto, writing them as Connect does (struct fields named as the .proto names them)', () => {
    const payload = Job.encode(Job.fromObject({ id: 'j1', took: { seconds: 90, nanos: 5 }, labels: { fields: { env: { stringValue: 'prod' } } }, nothing: {}, cost: { value: Buffer.from([0x04, 0xce]), precision: 4, scale: 2 } })).finish();

    expect(body('PROTOBUF', PROTO, protobufWire(1, [0], payload), 'NUMERIC')).toBe(
      '{"id":"j1","took":{"seconds":90,"nanos":5},"labels":{"fields":{"env":{"kind_0":{"null_value":null,"number_value":null,"string_value":"prod","bool_value":null,"struct_value":null,"list_value":null}}}},"nothing":{},"cost":12.30}',
    );
  });

  it('resolves descriptor.proto, so a schema with custom field options reads', () => {
    const tagged = 'syntax = "proto3"; package shop; import "google/protobuf/descriptor.proto"; extend google.protobuf.FieldOptions { string pii = 50001; } message User { string email = 1 [(pii) = "mask"]; }';
    const User = protobuf.parse('syntax = "proto3"; message User { string email = 1; }').root.lookupType('User');

    expect(body('PROTOBUF', tagged, protobufWire(1, [0], User.encode({ email: 'a@b.c' }).finish()))).toBe('{"email":"a@b.c"}');
  });

  it('refuses a schema importing a file that is neither a reference nor built in, naming the import', () => {
    const money = 'syntax = "proto3"; package shop; import "google/type/money.proto"; message Price { google.type.Money amount = 1; }';
    const compiled = (): unknown => compileSchema({ id: 9, kind: 'PROTOBUF', text: money, references: [] }, 'BASE64');

    expect(compiled).toThrow(/imports google\/type\/money\.proto: neither a schema reference nor built in \(google\/protobuf\/any\.proto, .*confluent\/type\/decimal\.proto\)/);
  });
});

describe('JSON Schema -> Connect JSON: defaults', () => {
  it('writes an absent or null property as its schema default (Connect\'s Struct.get), one without a default as null', () => {
    const schema = {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        unit: { type: 'string', default: 'C' },
        limits: { type: 'object', properties: { low: { type: 'number' }, high: { type: 'number', default: 100 } }, default: { low: 0 } },
        note: { type: 'string' },
      },
    };
    const send = (data: object): string => body('JSON', schema, wire(Buffer.from(JSON.stringify(data))));

    // `number` is Connect's float64, which JsonConverter writes with Java's text (100.0); `integer` is int64.
    expect(send({ id: 1 })).toBe('{"id":1,"unit":"C","limits":{"low":0.0,"high":100.0},"note":null}');
    expect(send({ id: 2, unit: null, limits: { low: 5 }, note: 'x' })).toBe('{"id":2,"unit":"C","limits":{"low":5.0,"high":100.0},"note":"x"}');
    expect(send({ id: 3, unit: 'F', limits: { low: 1.5, high: 2 } })).toBe('{"id":3,"unit":"F","limits":{"low":1.5,"high":2.0},"note":null}');
  });
});

describe('connect-json helpers', () => {
  it('writes decimals like Java BigDecimal/BigInteger', () => {
    expect(decimalToJson(Uint8Array.from([0xff, 0x85]), 1, 'BASE64')).toBe('hQ==');
    expect(decimalToJson(Uint8Array.from([0x00, 0x80]), 0, 'BASE64')).toBe('AIA=');
    expect(jsonText([decimalToJson(Uint8Array.from([0x85]), 3, 'NUMERIC'), decimalToJson(Uint8Array.from([0x05]), -2, 'NUMERIC')])).toBe('[-0.123,5E+2]');
    expect([0n, 5n, -5n, 1230n].map((n) => bigDecimalText(n, 2))).toEqual(['0.00', '0.05', '-0.05', '12.30']);
    expect([bigDecimalText(1n, 6), bigDecimalText(1n, 7), bigDecimalText(123n, 0), bigDecimalText(0n, -1)]).toEqual(['0.000001', '1E-7', '123', '0E+1']);
  });

  it('writes BigInts as bare JSON integers, JsonNumbers as their text, everything else as JSON.stringify does', () => {
    expect(jsonText({ a: [1n, -(2n ** 70n)], b: 'x', c: { toJSON: () => 2n ** 64n } })).toBe('{"a":[1,-1180591620717411303424],"b":"x","c":18446744073709551616}');
    expect(jsonText({ d: new JsonNumber('12.30'), e: [new JsonNumber('-1E+3')], s: 'number-12.30' })).toBe('{"d":12.30,"e":[-1E+3],"s":"number-12.30"}');
    expect(jsonText({ a: 1, b: [null, 'y'] })).toBe(JSON.stringify({ a: 1, b: [null, 'y'] }));
    expect(JSON.stringify({ d: new JsonNumber('12.30') })).toBe('{"d":12.3}'); // outside a body: the nearest double
    expect(() => new JsonNumber('12,30')).toThrow(TypeError);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => jsonText(circular)).toThrow(TypeError);
  });

  it('writes float32 values with the digits Java prints', () => {
    expect(float32ToJson(Math.fround(1.1))).toBe(1.1);
    expect(float32ToJson(Math.fround(0.1))).toBe(0.1);
    expect(jsonText([float32ToJson(3), float32ToJson(16777216), float32ToJson(Math.fround(3.4028235e38))])).toBe('[3.0,1.6777216E7,3.4028235E38]');
  });
});

describe('floating-point numbers with Java\'s text (issue 14: 21.0 arrived as 21, 1e21 as 1e+21)', () => {
  it('writes Avro doubles and floats as Java prints them, in records, nullable unions and arrays', () => {
    const schema = {
      type: 'record',
      name: 'Reading',
      fields: [
        { name: 'd', type: { type: 'array', items: 'double' } },
        { name: 'maybe', type: ['null', 'double'] },
        { name: 'f', type: 'float' },
      ],
    };
    const value = { d: [21, 1e21, 1.5e-7, 14.5, -0], maybe: { double: 1e7 }, f: 16777216 };
    const bytes = wire(avro.Type.forSchema(schema as avro.Schema, { wrapUnions: true }).toBuffer(value));

    expect(body('AVRO', schema, bytes)).toBe('{"d":[21.0,1.0E21,1.5E-7,14.5,-0.0],"maybe":1.0E7,"f":1.6777216E7}');
  });

  it('writes Protobuf double and float fields as Java prints them', () => {
    const text = 'syntax = "proto3"; message M { double d = 1; float f = 2; repeated double r = 3; }';
    const type = protobuf.parse(text).root.lookupType('M');
    const bytes = Buffer.from(protobufWire(1, [0], type.encode(type.fromObject({ d: 100, f: 3.4028234663852886e38, r: [0.0001, 2.5] })).finish()));

    expect(body('PROTOBUF', text, bytes)).toBe('{"d":100.0,"f":3.4028235E38,"r":[1.0E-4,2.5]}');
  });
});

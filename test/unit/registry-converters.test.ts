import { describe, expect, it } from '@jest/globals';
import { lastValueFrom, of } from 'rxjs';
import avro from 'avsc';
import protobuf from 'protobufjs';
import type { DecimalFormat } from '../../src/decode/connect-json.js';
import { compileSchema } from '../../src/decode/compile-schema.js';
import { registryConverter, type CompiledSchema } from '../../src/decode/registry-converter.js';
import type { RawSchema, RegistryClient } from '../../src/decode/registry-client.js';
import { readMessageIndexes } from '../../src/decode/protobuf-connect.js';
import { BadDataError, DecodeError } from '../../src/common/errors.js';
import { decode } from '../../src/decode/decode.js';
import { kafkaRecord } from './fakes.js';
import { renderValue } from '../../src/request/request-builder.js';
import { READING_SCHEMA, reading, readingBody } from '../support/avro-reading.js';
import { protobufWire } from '../support/schema-registry.js';

const record = { topic: 'orders', partition: 2, offset: 7 };

function wire(id: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(id, 1);
  return Buffer.concat([header, payload]);
}

/** A client that already has every schema: the converter answers synchronously. */
function cachedClient(schemas: Record<number, CompiledSchema>): Pick<RegistryClient<CompiledSchema>, 'cached' | 'load'> {
  return { cached: (id) => schemas[id], load: (id) => (schemas[id] ? Promise.resolve(schemas[id]) : Promise.reject(new BadDataError('unknown-schema', `schema id ${id} is not in the schema registry`))) };
}

const raw = (kind: RawSchema['kind'], schema: unknown, references: RawSchema['references'] = []): RawSchema => ({
  id: 1,
  kind,
  text: typeof schema === 'string' ? schema : JSON.stringify(schema),
  references,
});

/** The shared 10-field reading, plus every Avro type and union shape it does not have. */
const ORDER = {
  ...READING_SCHEMA,
  name: 'Order',
  namespace: 'shop',
  fields: [
    ...READING_SCHEMA.fields,
    { name: 'qty', type: ['string', 'null'] },
    { name: 'choice', type: ['null', 'string', 'int', { type: 'record', name: 'Coupon', fields: [{ name: 'code', type: 'string' }] }] },
    { name: 'fixedPrice', type: { type: 'fixed', name: 'Money', size: 4, logicalType: 'decimal', precision: 8, scale: 1 } },
    { name: 'atMicros', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'time', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'ref', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
    { name: 'raw', type: 'bytes' },
    { name: 'weights', type: { type: 'map', values: 'float' } },
  ],
};

const extras = {
  qty: { string: 'two' },
  choice: { 'shop.Coupon': { code: 'X1' } },
  fixedPrice: Buffer.from([0xff, 0xff, 0xff, 0x85]), // -123 -> -12.3
  atMicros: 1_700_000_000_123_456,
  time: 3_600_000,
  ref: '0b7c3f5e-6f1a-4d2e-9c1b-2a3b4c5d6e7f',
  status: 'PAID',
  raw: Buffer.from('hi'),
  weights: { w: 1.1 },
};
// Unions wrapped (the writer names the branch); the price padded with a redundant zero byte: 12345 -> 123.45.
const order = { ...reading(7), unit: { string: 'C' }, price: Buffer.from([0x00, 0x30, 0x39]), ...extras };

describe('Avro -> Connect JSON', () => {
  const writer = avro.Type.forSchema(ORDER as avro.Schema, { wrapUnions: true });
  const bytes = wire(1, writer.toBuffer(order));
  const avroConverter = (format: DecimalFormat, schema: unknown = ORDER) => registryConverter('AVRO', 'AvroConverter', cachedClient({ 1: compileSchema(raw('AVRO', schema), format) }));

  it('renders every type as JsonConverter does (decimals BASE64, the default)', () => {
    expect(JSON.stringify(avroConverter('BASE64')(bytes, record))).toBe(
      JSON.stringify({
        ...(JSON.parse(readingBody(7)) as object),
        price: 'MDk=',
        qty: 'two',
        choice: { string: null, int: null, Coupon: { code: 'X1' } },
        fixedPrice: 'hQ==',
        atMicros: 1_700_000_000_123_456,
        time: 3_600_000,
        ref: '0b7c3f5e-6f1a-4d2e-9c1b-2a3b4c5d6e7f',
        status: 'PAID',
        raw: 'aGk=',
        weights: { w: 1.1 },
      }),
    );
  });

  it('writes decimals as exact numbers with decimal.format NUMERIC', () => {
    expect(renderValue(avroConverter('NUMERIC')(bytes, record))).toMatch(/"price":123\.45,.*"fixedPrice":-12\.3,/);
  });

  it('names the union branch that is set, nulls the others', () => {
    const withInt = wire(1, writer.toBuffer({ ...order, choice: { int: 5 }, unit: null, qty: null }));

    expect(avroConverter('BASE64')(withInt, record)).toMatchObject({ choice: { string: null, int: 5, Coupon: null }, unit: null, qty: null });
  });

  it('reads longs beyond 2^53 exactly and the request body writes every digit (regression: they were rounded)', () => {
    const schema = { type: 'record', name: 'Big', fields: [{ name: 'n', type: 'long' }, { name: 'm', type: 'long' }, { name: 'k', type: 'long' }, { name: 'small', type: 'long' }] };
    const zigzag = (n: bigint): number[] => {
      const out: number[] = [];
      for (let z = n >= 0n ? n << 1n : (-n << 1n) - 1n; ; z >>= 7n) {
        if (z < 0x80n) return [...out, Number(z)];
        out.push(Number(z & 0x7fn) | 0x80);
      }
    };
    const values = [2n ** 63n - 1n, -(2n ** 63n), -(2n ** 53n - 1n), 2n ** 52n + 1n];
    const convert = avroConverter('BASE64', schema);

    const decoded = convert(wire(1, Buffer.from(values.flatMap(zigzag))), record);

    expect(decoded).toEqual({ n: 2n ** 63n - 1n, m: -(2n ** 63n), k: -(2 ** 53 - 1), small: 2 ** 52 + 1 });
    expect(renderValue(decoded)).toBe('{"n":9223372036854775807,"m":-9223372036854775808,"k":-9007199254740991,"small":4503599627370497}');
  });

  it('resolves names from referenced schemas', () => {
    const money = { type: 'record', name: 'Amount', namespace: 'shop', fields: [{ name: 'cents', type: 'long' }] };
    const main = { type: 'record', name: 'Invoice', namespace: 'shop', fields: [{ name: 'total', type: 'shop.Amount' }] };
    const writerType = avro.Type.forSchema(main as avro.Schema, { registry: { 'shop.Amount': avro.Type.forSchema(money as avro.Schema) } });
    const convert = registryConverter('AVRO', 'AvroConverter', cachedClient({ 1: compileSchema(raw('AVRO', main, [{ name: 'shop.Amount', text: JSON.stringify(money) }]), 'BASE64') }));

    expect(convert(wire(1, writerType.toBuffer({ total: { cents: 995 } })), record)).toEqual({ total: { cents: 995 } });
  });
});

const PROTO = `
syntax = "proto3";
package shop;
import "google/protobuf/timestamp.proto";

message Order {
  string id = 1;
  int64 total_cents = 2;
  Customer customer = 3;
  repeated Line lines = 4;
  map<string, int32> counts = 5;
  Status status = 6;
  bytes raw = 7;
  google.protobuf.Timestamp created_at = 8;
  oneof payment { string card = 9; string iban = 10; }
  float ratio = 11;
  message Line { string sku = 1; int32 qty = 2; }
  enum Status { NEW = 0; PAID = 1; }
}
message Customer { string name = 1; Address address = 2; message Address { string city = 1; } }
`;

describe('Protobuf -> Connect JSON', () => {
  const root = protobuf.parse(PROTO, { keepCase: true }).root;
  protobuf.parse('syntax = "proto3"; package google.protobuf; message Timestamp { int64 seconds = 1; int32 nanos = 2; }', root);
  root.resolveAll();
  const convert = registryConverter('PROTOBUF', 'ProtobufConverter', cachedClient({ 1: compileSchema(raw('PROTOBUF', PROTO), 'BASE64') }));

  it('reads the first message type (index list [0], one zero byte), oneofs first, snake_case names kept', () => {
    const Order = root.lookupType('shop.Order');
    const payload = Order.encode(
      Order.fromObject({ id: 'o1', total_cents: 1999, lines: [{ sku: 's', qty: 2 }], counts: { a: 1 }, status: 1, raw: Buffer.from('hi'), created_at: { seconds: 1_700_000_000, nanos: 5_000_000 }, iban: 'DE00', ratio: 0.1 }),
    ).finish();

    expect(JSON.stringify(convert(protobufWire(1, [0], payload), record))).toBe(
      JSON.stringify({
        payment_0: { card: null, iban: 'DE00' },
        id: 'o1',
        total_cents: 1999,
        customer: null,
        lines: [{ sku: 's', qty: 2 }],
        counts: { a: 1 },
        status: 'PAID',
        raw: 'aGk=',
        created_at: 1_700_000_000_005,
        ratio: 0.1,
      }),
    );
  });

  it('reads the second top-level type and a nested type by their message indexes', () => {
    const Customer = root.lookupType('shop.Customer');
    const Address = root.lookupType('shop.Customer.Address');
    const Line = root.lookupType('shop.Order.Line');

    expect(convert(protobufWire(1, [1], Customer.encode(Customer.fromObject({ name: 'ada', address: { city: 'Turin' } })).finish()), record)).toEqual({ name: 'ada', address: { city: 'Turin' } });
    expect(convert(protobufWire(1, [1, 0], Address.encode(Address.fromObject({ city: 'Oslo' })).finish()), record)).toEqual({ city: 'Oslo' });
    expect(convert(protobufWire(1, [0, 0], Line.encode(Line.fromObject({ sku: 'x' })).finish()), record)).toEqual({ sku: 'x', qty: 0 });
  });

  it('rejects an index path that names no type, and a corrupt payload, as bad data', () => {
    expect(() => convert(protobufWire(1, [5], Buffer.alloc(0)), record)).toThrow('payload does not match schema id 1 (PROTOBUF): message index path [5] names no message type');
    expect(() => convert(protobufWire(1, [5], Buffer.alloc(0)), record)).toThrow(BadDataError);
    expect(() => convert(protobufWire(1, [0], Buffer.from([0x3a, 0x7f])), record)).toThrow(BadDataError); // bytes field 7: 127 bytes, none there
    expect(convert(protobufWire(1, [0], Buffer.alloc(0)), record)).toMatchObject({ raw: '', counts: {}, lines: [] }); // absent fields: defaults
  });

  it('reads 64-bit integers beyond 2^53 exactly (regression: they were rounded)', () => {
    const big = 'syntax = "proto3"; message Big { int64 s = 1; uint64 u = 2; sint64 z = 3; int64 small = 4; }';
    const Big = protobuf.parse(big).root.lookupType('Big');
    const payload = Big.encode(Big.fromObject({ s: '-9223372036854775808', u: '18446744073709551615', z: '9007199254740993', small: 42 })).finish();
    const bigConvert = registryConverter('PROTOBUF', 'ProtobufConverter', cachedClient({ 1: compileSchema(raw('PROTOBUF', big), 'BASE64') }));

    expect(renderValue(bigConvert(protobufWire(1, [0], payload), record))).toBe('{"s":-9223372036854775808,"u":18446744073709551615,"z":9007199254740993,"small":42}');
  });

  it('decodes the index list: zero byte, count and zigzag values', () => {
    expect(readMessageIndexes(Buffer.from([0, 9]), 0)).toEqual({ indexes: [0], next: 1 });
    expect(readMessageIndexes(Buffer.from([4, 2, 0, 9]), 0)).toEqual({ indexes: [1, 0], next: 3 });
  });
});

describe('JSON Schema -> Connect JSON', () => {
  const schema = {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      price: { type: 'number', title: 'org.apache.kafka.connect.data.Decimal', 'connect.parameters': { scale: '2' } },
      items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer' } } } },
    },
  };
  const bytes = wire(1, Buffer.from(JSON.stringify({ name: 'x', id: 1, extra: true, price: 1.5, items: [{ sku: 'a' }] })));

  it('writes the schema\'s properties in its order, absent ones as null, and drops the rest', () => {
    const convert = registryConverter('JSON', 'JsonSchemaConverter', cachedClient({ 1: compileSchema(raw('JSON', schema), 'NUMERIC') }));

    expect(JSON.stringify(convert(bytes, record))).toBe('{"id":1,"name":"x","price":1.5,"items":[{"sku":"a","qty":null}]}');
  });

  it('writes a Connect decimal as base64 of its unscaled value by default', () => {
    const convert = registryConverter('JSON', 'JsonSchemaConverter', cachedClient({ 1: compileSchema(raw('JSON', schema), 'BASE64') }));

    expect(convert(bytes, record)).toMatchObject({ price: Buffer.from([0x00, 0x96]).toString('base64') });
  });
});

describe('wire format and bad records', () => {
  const convert = registryConverter('AVRO', 'AvroConverter', cachedClient({ 1: compileSchema(raw('AVRO', { type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }] }), 'BASE64'), 2: compileSchema(raw('JSON', { type: 'object' }), 'BASE64') }));

  it('says what is wrong with a typed BadDataError: magic byte, too short, corrupt payload, another kind of schema', () => {
    const failure = (bytes: Buffer): unknown => {
      try {
        return convert(bytes, record);
      } catch (error) {
        return error;
      }
    };
    expect(failure(Buffer.from('{"a":1}'))).toMatchObject({ code: 'BAD_DATA', retriable: false, reason: 'not-wire-format', message: expect.stringContaining('unknown magic byte 0x7b') });
    expect(failure(Buffer.from([0, 0]))).toMatchObject({ reason: 'not-wire-format', message: expect.stringContaining('too few') });
    expect(failure(wire(1, Buffer.from([0x20, 0x61])))).toMatchObject({ reason: 'payload-mismatch', message: expect.stringMatching(/^payload does not match schema id 1 \(AVRO\)/) });
    expect(failure(wire(2, Buffer.from('{}')))).toMatchObject({ reason: 'wrong-schema-type', message: 'schema id 2 is a JSON schema, but the converter is AvroConverter' });
    const json = registryConverter('JSON', 'JsonSchemaConverter', cachedClient({ 2: compileSchema(raw('JSON', { type: 'object' }), 'BASE64') }));
    expect(() => json(wire(2, Buffer.from('{"a":')), record)).toThrow(BadDataError);
  });

  it('dead-letters bad data but stops on a bug in a mapping, which is no BadDataError (regression: both were bad records)', async () => {
    const buggy: CompiledSchema = {
      kind: 'AVRO',
      read: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'map')");
      },
    };
    const withBug = registryConverter('AVRO', 'AvroConverter', cachedClient({ 1: buggy }));
    const parked: number[] = [];
    const deadLetters = { handle: async (failed: readonly { record: { offset: number } }[]) => void parked.push(...failed.map((f) => f.record.offset)) };
    const run = (value: Buffer) => lastValueFrom(of([kafkaRecord({ offset: 4, value })]).pipe(decode({ key: convert, value: withBug, onError: 'dlq', deadLetters: deadLetters as never })));

    await expect(run(Buffer.from('not the wire format'))).resolves.toEqual([]);
    expect(parked).toEqual([4]);
    await expect(run(wire(1, Buffer.from([0])))).rejects.toThrow(TypeError);
    expect(parked).toEqual([4]);
    await expect(lastValueFrom(of([kafkaRecord({ offset: 5, value: 'x' })]).pipe(decode({ key: convert, value: convert })))).rejects.toThrow(DecodeError);
  });

  it('answers with a Promise only for an id that is not cached', async () => {
    const miss = convert(wire(3, Buffer.from([0])), record);

    expect(miss).toBeInstanceOf(Promise);
    await expect(miss).rejects.toThrow('schema id 3 is not in the schema registry');
    expect(convert(null, record)).toBeNull();
  });
});

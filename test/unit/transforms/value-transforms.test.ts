/**
 * Cast, TimestampConverter, Flatten, SetSchemaMetadata, with and without a schema. Expected behaviour from Kafka
 * Connect's documentation (https://kafka.apache.org/documentation/#connect_included_transformation) and Confluent's
 * SMT reference pages for Cast, TimestampConverter, Flatten and SetSchemaMetadata
 * (https://docs.confluent.io/platform/current/connect/transforms/overview.html).
 */
import { describe, expect, it } from '@jest/globals';
import { JsonNumber } from '../../../src/common/json-text.js';
import { TIMESTAMP_SCHEMA_NAME } from '../../../src/records/schema.js';
import { cast } from '../../../src/transform/cast.js';
import { flatten } from '../../../src/transform/flatten.js';
import { setSchemaMetadata } from '../../../src/transform/setSchemaMetadata.js';
import { timestampConverter } from '../../../src/transform/timestampConverter.js';
import { sinkRecord } from '../fakes.js';
import { i32, i64, runOn, str, struct } from './run.js';

describe('Cast (Connect docs: cast fields or the entire key or value to a specific type)', () => {
  it('schemaless: strings parse, floats truncate toward zero, booleans from numbers and strings', async () => {
    const [out] = await runOn(cast({ spec: { a: 'int32', b: 'int8', c: 'boolean', d: 'string', e: 'float64', f: 'boolean' } }), [
      sinkRecord({ offset: 0, value: { a: '42', b: -3.9, c: 2, d: 17, e: '1.5', f: 'TRUE', g: 'kept' } }),
    ]);
    expect(out!.value).toEqual({ a: 42, b: -3, c: true, d: '17', e: 1.5, f: true, g: 'kept' });
  });

  it('to float64 writes a Java double in the body: 21 becomes 21.0', async () => {
    const { jsonText } = await import('../../../src/common/json-text.js');
    const [out] = await runOn(cast({ spec: { e: 'float64' } }), [sinkRecord({ offset: 0, value: { e: 21 } })]);
    expect(jsonText(out!.value)).toBe('{"e":21.0}');
  });

  it('with a schema: the field schemas change type; the whole value can be cast', async () => {
    const schema = struct({ qty: str(true), id: i64() });
    const [out] = await runOn(cast({ spec: { qty: 'int32' } }), [sinkRecord({ offset: 0, value: { qty: '5', id: 1 }, valueSchema: schema })]);
    expect(out!.value).toEqual({ qty: 5, id: 1 });
    expect(out!.valueSchema!.fields![0]).toEqual({ name: 'qty', schema: i32(true) });
    const [whole] = await runOn(cast({ spec: 'string' }), [sinkRecord({ offset: 1, value: 12, valueSchema: i64() })]);
    expect(whole!.value).toBe('12');
    expect(whole!.valueSchema).toEqual(str());
  });

  it('reads numbers kept with their exact text (JsonNumber: 21.0, decimals) as numbers; Flatten leaves them alone', async () => {
    const [out] = await runOn(cast({ spec: { t: 'int32', s: 'string' } }), [sinkRecord({ offset: 0, value: { t: new JsonNumber('21.0'), s: new JsonNumber('1.0E21') } })]);
    expect(out!.value).toEqual({ t: 21, s: '1.0E21' });
    const [flat] = await runOn(flatten(), [sinkRecord({ offset: 1, value: { a: { t: new JsonNumber('21.0') } } })]);
    expect(flat!.value).toEqual({ 'a.t': new JsonNumber('21.0') });
  });

  it('narrows like Java (int8 wraps) and refuses a string that is not a number, naming the record', async () => {
    const [out] = await runOn(cast({ spec: { n: 'int8' } }), [sinkRecord({ offset: 0, value: { n: 200 } })]);
    expect((out!.value as { n: number }).n).toBe(-56);
    await expect(runOn(cast({ spec: { n: 'int32' } }), [sinkRecord({ offset: 8, value: { n: 'abc' } })])).rejects.toThrow(/offset 8: cannot cast field n to int32: "abc" is not a whole number/);
  });

  // Cast narrows with Number.intValue() & co., i.e. Java's primitive narrowing (JLS 5.1.3): a double -> int/long is
  // rounded toward zero and saturates (NaN -> 0); double -> byte/short goes through int (saturating), then wraps.
  it('narrows a double like Java: saturating to int/long, then wrapping to byte/short; NaN is 0', async () => {
    const spec = { a: 'int32', b: 'int32', c: 'int32', d: 'int32', e: 'int64', f: 'int64', g: 'int8', h: 'int16', i: 'int8', j: 'int16', k: 'int8' } as const;
    const [out] = await runOn(cast({ spec }), [
      sinkRecord({ offset: 0, value: { a: new JsonNumber('3.0E9'), b: Infinity, c: -Infinity, d: NaN, e: 1e19, f: -Infinity, g: new JsonNumber('1.0E10'), h: new JsonNumber('-1.0E10'), i: 300.7, j: 3000000000.5, k: NaN } }),
    ]);
    expect(out!.value).toEqual({ a: 2147483647, b: 2147483647, c: -2147483648, d: 0, e: 9223372036854775807n, f: -9223372036854775808n, g: -1, h: 0, i: 44, j: -1, k: 0 });
  });

  it('a float64 field (by its schema) saturates; an int64 field and a schemaless integer wrap, as a Java long does', async () => {
    const schema = struct({ d: { type: 'float64', optional: false }, l: i64() });
    const [out] = await runOn(cast({ spec: { d: 'int32', l: 'int32' } }), [sinkRecord({ offset: 0, value: { d: 3e9, l: 3e9 }, valueSchema: schema })]);
    expect(out!.value).toEqual({ d: 2147483647, l: -1294967296 });
    const [whole] = await runOn(cast({ spec: 'int32' }), [sinkRecord({ offset: 1, value: 3e9, valueSchema: { type: 'float64', optional: false } })]);
    expect(whole!.value).toBe(2147483647);
    const [schemaless] = await runOn(cast({ spec: { l: 'int32', n: 'int8' } }), [sinkRecord({ offset: 2, value: { l: 3000000000, n: 2 ** 32 + 1 } })]);
    expect(schemaless!.value).toEqual({ l: -1294967296, n: 1 });
  });
});

describe('TimestampConverter (Connect docs: convert timestamps between string, unix, Date, Time and Timestamp)', () => {
  const ms = Date.UTC(2024, 0, 31, 13, 45, 6, 789);

  it('schemaless: unix ms -> formatted string (UTC) and back', async () => {
    const [s] = await runOn(timestampConverter({ field: 'ts', targetType: 'string', format: "yyyy-MM-dd'T'HH:mm:ss.SSSX" }), [sinkRecord({ offset: 0, value: { ts: ms } })]);
    expect(s!.value).toEqual({ ts: '2024-01-31T13:45:06.789Z' });
    const [u] = await runOn(timestampConverter({ field: 'ts', targetType: 'unix', format: "yyyy-MM-dd'T'HH:mm:ss.SSSX", unixPrecision: 'seconds' }), [s!]);
    expect(u!.value).toEqual({ ts: Math.trunc(ms / 1000) });
  });

  it('with a schema: string -> Timestamp (epoch ms, the logical schema), Date as days since the epoch', async () => {
    const schema = struct({ when: str() });
    const [out] = await runOn(timestampConverter({ field: 'when', targetType: 'Timestamp', format: 'yyyy-MM-dd HH:mm' }), [sinkRecord({ offset: 0, value: { when: '2024-01-31 13:45' }, valueSchema: schema })]);
    expect(out!.value).toEqual({ when: Date.UTC(2024, 0, 31, 13, 45) });
    expect(out!.valueSchema!.fields![0]!.schema).toMatchObject({ type: 'int64', name: TIMESTAMP_SCHEMA_NAME });
    const [day] = await runOn(timestampConverter({ targetType: 'Date' }), [sinkRecord({ offset: 1, value: ms, valueSchema: { type: 'int64', optional: false, name: TIMESTAMP_SCHEMA_NAME } })]);
    expect(day!.value).toBe(19753);
  });

  it('a string that does not match the format is a record error', async () => {
    await expect(runOn(timestampConverter({ field: 'ts', targetType: 'unix', format: 'yyyy-MM-dd' }), [sinkRecord({ offset: 3, value: { ts: 'yesterday' } })])).rejects.toThrow(
      /offset 3: field ts: "yesterday" does not match the format/,
    );
  });
});

describe('Flatten (Connect docs: flatten a nested data structure, joining field names with a delimiter)', () => {
  it('schemaless: nested maps, arrays kept', async () => {
    const [out] = await runOn(flatten({ delimiter: '_' }), [sinkRecord({ offset: 0, value: { a: { b: 1, c: { d: 'x' } }, list: [1, { e: 2 }], n: null } })]);
    expect(out!.value).toEqual({ a_b: 1, a_c_d: 'x', list: [1, { e: 2 }], n: null });
  });

  it('schemaless: an empty outer name adds no delimiter, an empty inner name does (Connect\'s naming)', async () => {
    const [out] = await runOn(flatten(), [sinkRecord({ offset: 0, value: { '': { a: 1, b: { c: 2 } }, x: { '': { d: 3 } }, y: { '': 5 } } })]);
    // Kafka Connect 3.9.1 (conformance/probes, Flatten$Value) on the same map:
    expect(JSON.stringify(out!.value)).toBe('{"a":1,"b.c":2,"x..d":3,"y.":5}');
  });

  it('with a schema: nested struct fields become optional under an optional parent', async () => {
    const schema = struct({ id: i64(), addr: struct({ city: str() }, { optional: true }) });
    const [out] = await runOn(flatten(), [sinkRecord({ offset: 0, value: { id: 1, addr: null }, valueSchema: schema })]);
    expect(out!.value).toEqual({ id: 1, 'addr.city': null });
    expect(out!.valueSchema!.fields).toEqual([
      { name: 'id', schema: i64() },
      { name: 'addr.city', schema: str(true) },
    ]);
  });

  it('with a schema: a map field is a record error, as Kafka Connect 3.9.1 refuses it (issue 20)', async () => {
    const schema = struct({ m: { type: 'map', optional: false, keySchema: str(), valueSchema: i32() }, s: struct({ q: i32() }) });
    await expect(runOn(flatten(), [sinkRecord({ offset: 0, value: { m: { b: 1 }, s: { q: 1 } }, valueSchema: schema })])).rejects.toThrow('Flatten transformation does not support MAP for record with schemas (for field m).');
  });
});

describe('SetSchemaMetadata (Connect docs: set the schema name, version or both on the record\'s key or value schema)', () => {
  it('with a schema: name and version change, the data does not', async () => {
    const [out] = await runOn(setSchemaMetadata({ schemaName: 'com.acme.Order', schemaVersion: 3 }), [sinkRecord({ offset: 0, value: { id: 1 }, valueSchema: struct({ id: i64() }) })]);
    expect(out!.value).toEqual({ id: 1 });
    expect(out!.valueSchema).toMatchObject({ name: 'com.acme.Order', version: 3 });
  });

  it('without a schema: a record error, as Connect requires a schema', async () => {
    await expect(runOn(setSchemaMetadata({ schemaName: 'x' }), [sinkRecord({ offset: 2, value: { id: 1 } })])).rejects.toThrow(/offset 2: the value has no schema/);
  });
});

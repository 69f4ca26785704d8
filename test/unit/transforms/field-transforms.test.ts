/**
 * InsertField, ReplaceField, MaskField, ExtractField, HoistField, ValueToKey, with and without a schema. Expected
 * behaviour from Kafka Connect's documentation: https://kafka.apache.org/documentation/#connect_included_transformation
 * and Confluent's SMT reference pages (https://docs.confluent.io/platform/current/connect/transforms/overview.html:
 * InsertField, ReplaceField, MaskField, ExtractField, HoistField, ValueToKey).
 */
import { describe, expect, it } from '@jest/globals';
import { TransformError } from '../../../src/common/errors.js';
import { PartitionTracker } from '../../../src/source/offset-tracker.js';
import { extractField } from '../../../src/transform/extractField.js';
import { hoistField } from '../../../src/transform/hoistField.js';
import { insertField } from '../../../src/transform/insertField.js';
import { maskField } from '../../../src/transform/maskField.js';
import { replaceField } from '../../../src/transform/replaceField.js';
import { valueToKey } from '../../../src/transform/valueToKey.js';
import type { FailedRecord } from '../../../src/records/outcome.js';
import { sinkRecord } from '../fakes.js';
import { i32, i64, runOn, str, struct } from './run.js';

const userSchema = struct({ id: i64(), name: str(), ssn: str(true), age: i32(true) }, { name: 'com.acme.User', version: 1 });
const user = { id: 7, name: 'ada', ssn: '123-45-6789', age: 36 };

describe('InsertField (Connect docs: InsertField inserts field(s) using attributes from the record metadata or a static value)', () => {
  it('schemaless: adds topic, partition, offset, timestamp and a static field to the map', async () => {
    const [out] = await runOn(insertField({ topicField: 't', partitionField: 'p', offsetField: 'o', timestampField: 'ts', staticField: 's', staticValue: 'x' }), [
      sinkRecord({ offset: 42, value: { a: 1 }, timestamp: 1_700_000_000_000 }),
    ]);
    expect(out!.value).toEqual({ a: 1, t: 'iot', p: 0, o: 42, ts: 1_700_000_000_000, s: 'x' });
    expect(out!.valueSchema).toBeUndefined();
  });

  it('with a schema: the struct schema grows by optional fields (required with a trailing !)', async () => {
    const [out] = await runOn(insertField({ topicField: 'topic!', offsetField: 'offset' }), [sinkRecord({ offset: 3, value: user, valueSchema: userSchema })]);
    expect(out!.value).toEqual({ ...user, topic: 'iot', offset: 3 });
    expect(out!.valueSchema!.fields!.slice(-2)).toEqual([
      { name: 'topic', schema: { type: 'string', optional: false } },
      { name: 'offset', schema: { type: 'int64', optional: true } },
    ]);
    expect(out!.valueSchema!.name).toBe('com.acme.User');
  });

  it('passes a tombstone unchanged and fails on a value that is not a map', async () => {
    const [tomb] = await runOn(insertField({ topicField: 't' }), [sinkRecord({ offset: 1, value: null })]);
    expect(tomb!.value).toBeNull();
    await expect(runOn(insertField({ topicField: 't' }), [sinkRecord({ offset: 9, value: 'text' })])).rejects.toThrow(/InsertField failed on topic iot partition 0 offset 9: only a map/);
  });

  it('on the key with part=key', async () => {
    const [out] = await runOn(insertField({ part: 'key', staticField: 'k', staticValue: 'v' }), [sinkRecord({ offset: 1, key: { id: 1 } })]);
    expect(out!.key).toEqual({ id: 1, k: 'v' });
  });
});

describe('ReplaceField (Connect docs: filter or rename fields; include/exclude, formerly whitelist/blacklist, and renames)', () => {
  it('schemaless: excludes and renames', async () => {
    const [out] = await runOn(replaceField({ exclude: ['ssn'], renames: { name: 'fullName' } }), [sinkRecord({ offset: 0, value: user })]);
    expect(out!.value).toEqual({ id: 7, fullName: 'ada', age: 36 });
  });

  it('with a schema: include keeps only the listed fields, in schema order, and the schema follows', async () => {
    const [out] = await runOn(replaceField({ include: ['name', 'id'] }), [sinkRecord({ offset: 0, value: user, valueSchema: userSchema })]);
    expect(out!.value).toEqual({ id: 7, name: 'ada' });
    expect(out!.valueSchema!.fields!.map((f) => f.name)).toEqual(['id', 'name']);
  });
});

describe('MaskField (Connect docs: mask with the type\'s null-equivalent value, or a replacement for string and numeric fields)', () => {
  it('schemaless: empty values by JSON type; a field the map lacks is written null (Connect puts every field)', async () => {
    const [out] = await runOn(maskField({ fields: ['name', 'age', 'flag', 'missing'] }), [sinkRecord({ offset: 0, value: { name: 'ada', age: 36, flag: true } })]);
    expect(JSON.stringify(out!.value)).toBe('{"name":"","missing":null,"flag":false,"age":0}'); // Kafka Connect 3.9.1's bytes
  });

  it('with a schema: replacement for a string field; a replacement an int field cannot take is a record error', async () => {
    const [out] = await runOn(maskField({ fields: ['ssn'], replacement: '***-**-****' }), [sinkRecord({ offset: 0, value: user, valueSchema: userSchema })]);
    expect((out!.value as typeof user).ssn).toBe('***-**-****');
    const failed: FailedRecord[] = [];
    const kept = await runOn(maskField({ fields: ['age'], replacement: 'old', onError: 'drop', deadLetters: { handle: async (f) => void failed.push(...f) } }), [
      sinkRecord({ offset: 5, value: user, valueSchema: userSchema }),
    ]);
    expect(kept).toEqual([]);
    expect(failed[0]!.error).toBeInstanceOf(TransformError);
    expect(failed[0]!.error.message).toMatch(/offset 5: cannot mask field age: replacement "old" is not a int32/);
  });

  it('with a schema: a named field the schema lacks is ignored, the others masked (Connect walks the schema)', async () => {
    const [out] = await runOn(maskField({ fields: ['absent', 'name'] }), [sinkRecord({ offset: 0, value: user, valueSchema: userSchema })]);
    // Kafka Connect 3.9.1 (conformance/probes, MaskField$Value fields=absent,name): {"id":7,"name":"",...}
    expect(JSON.stringify(out!.value)).toBe('{"id":7,"name":"","ssn":"123-45-6789","age":36}');
  });
});

describe('ExtractField (Connect docs: extract the specified field from a Struct when schema present, or a Map in the case of schemaless data)', () => {
  it('schemaless: the field, or null when missing', async () => {
    const out = await runOn(extractField({ field: 'name' }), [sinkRecord({ offset: 0, value: user }), sinkRecord({ offset: 1, value: { other: 1 } })]);
    expect(out.map((r) => r.value)).toEqual(['ada', null]);
  });

  it('with a schema: the field and its schema; a missing field stops the pipeline naming topic, partition and offset', async () => {
    const [out] = await runOn(extractField({ field: 'id' }), [sinkRecord({ offset: 0, value: user, valueSchema: userSchema })]);
    expect(out!.value).toBe(7);
    expect(out!.valueSchema).toEqual(i64());
    await expect(runOn(extractField({ field: 'nope', name: 'pick' }), [sinkRecord({ offset: 12, partition: 2, value: user, valueSchema: userSchema })])).rejects.toThrow(
      'transform pick failed on topic iot partition 2 offset 12: unknown field nope in the value schema',
    );
  });

  it('dead-letters the failing record and acknowledges it once handled', async () => {
    const tracker = new PartitionTracker('iot', 0);
    tracker.track(0);
    tracker.track(1);
    const parked: number[] = [];
    const kept = await runOn(extractField({ field: 'nope', onError: 'dlq', deadLetters: { handle: async (f) => void parked.push(...f.map((x) => x.record.offset)) } }), [
      sinkRecord({ offset: 0, value: user, valueSchema: userSchema, handle: tracker }),
      sinkRecord({ offset: 1, value: user, handle: tracker }),
    ]);
    expect(parked).toEqual([0]);
    expect(kept.map((r) => r.value)).toEqual([null]);
    expect(tracker.inFlight()).toBe(1); // offset 1 still to be delivered
  });
});

describe('HoistField (Connect docs: wrap data using the specified field name in a Struct when schema present, or a Map in the case of schemaless data)', () => {
  it('schemaless and with a schema', async () => {
    const [plain, typed] = await runOn(hoistField({ field: 'payload' }), [sinkRecord({ offset: 0, value: 'x' }), sinkRecord({ offset: 1, value: 5, valueSchema: i32() })]);
    expect(plain!.value).toEqual({ payload: 'x' });
    expect(typed!.value).toEqual({ payload: 5 });
    expect(typed!.valueSchema).toEqual(struct({ payload: i32() }));
  });
});

describe('ValueToKey (Connect docs: replace the record key with a new key formed from a subset of fields in the record value)', () => {
  it('schemaless and with a schema', async () => {
    const [plain, typed] = await runOn(valueToKey({ fields: ['id', 'name'] }), [sinkRecord({ offset: 0, value: user }), sinkRecord({ offset: 1, value: user, valueSchema: userSchema })]);
    expect(plain!.key).toEqual({ id: 7, name: 'ada' });
    expect(typed!.key).toEqual({ id: 7, name: 'ada' });
    expect(typed!.keySchema).toEqual(struct({ id: i64(), name: str() }));
  });

  it('a field the value schema lacks is a record error', async () => {
    await expect(runOn(valueToKey({ fields: ['nope'] }), [sinkRecord({ offset: 4, value: user, valueSchema: userSchema })])).rejects.toThrow(/offset 4: field nope does not exist/);
  });
});

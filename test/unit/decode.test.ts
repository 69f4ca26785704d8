import { describe, expect, it } from '@jest/globals';
import { lastValueFrom, of } from 'rxjs';
import type { DecodeOptions } from '../../src/decode/converter-config.js';
import { byteArrayConverter, jsonConverter, stringConverter } from '../../src/decode/converter.js';
import { DecodeError, NullValueError } from '../../src/common/errors.js';
import { decode } from '../../src/decode/decode.js';
import type { DeadLetters } from '../../src/outcomes/dead-letters.js';
import type { KafkaRecord } from '../../src/records/record.js';
import { kafkaRecord } from './fakes.js';

const decoded = (records: KafkaRecord[], options: DecodeOptions) => lastValueFrom(of(records).pipe(decode(options)));
/** The error decode stopped with; fails the test if it did not stop. */
async function failure(records: KafkaRecord[], options: DecodeOptions): Promise<unknown> {
  const outcome = await decoded(records, options).then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  if (outcome === undefined) throw new Error('expected decode to fail');
  return outcome.error;
}

const measurement = { iot_id: 7, metric: 'Temperature', measurement: 21.5 };
const envelope = JSON.stringify({
  schema: { type: 'struct', fields: [{ field: 'iot_id', type: 'int32' }, { field: 'metric', type: 'string' }, { field: 'measurement', type: 'double' }] },
  payload: measurement,
});

describe('decode', () => {
  it('with StringConverter gives the key and value as text and keeps the rest of the record', async () => {
    const record = kafkaRecord({ topic: 'iot', partition: 1, offset: 4, key: 'sensor-7', value: 'Temperature=21.5' });

    const [out] = await decoded([record], { key: stringConverter, value: stringConverter });

    expect(out).toEqual({ ...record, key: 'sensor-7', value: 'Temperature=21.5', valueText: 'Temperature=21.5' });
    expect(out!.handle).toBe(record.handle);
    expect(out!.raw.value).toEqual(Buffer.from('Temperature=21.5'));
  });

  it('decodes every record of a poll, in order', async () => {
    const records = [0, 1, 2].map((offset) => kafkaRecord({ offset, value: `m${offset}` }));

    const out = await decoded(records, { key: stringConverter, value: stringConverter });

    expect(out.map((r) => [r.offset, r.value])).toEqual([[0, 'm0'], [1, 'm1'], [2, 'm2']]);
  });

  it('leaves a null key null', async () => {
    const [out] = await decoded([kafkaRecord({ offset: 0, key: null, value: 'x' })], { key: stringConverter, value: stringConverter });

    expect(out!.key).toBeNull();
  });

  it('with JsonConverter and schemas.enable=true unwraps the envelope to its payload', async () => {
    const [out] = await decoded([kafkaRecord({ offset: 0, value: envelope })], { key: stringConverter, value: jsonConverter(true) });

    expect(out!.value).toEqual(measurement);
  });

  it('with JsonConverter and schemas.enable=true rejects plain JSON with a DecodeError naming the record', async () => {
    const error = await failure([kafkaRecord({ topic: 'iot', partition: 2, offset: 9, value: JSON.stringify(measurement) })], {
      key: stringConverter,
      value: jsonConverter(true),
    });

    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({ code: 'DECODE_FAILED', part: 'value', record: { topic: 'iot', partition: 2, offset: 9 } });
    expect((error as Error).message).toContain('topic iot partition 2 offset 9');
    expect((error as Error).message).toContain('schemas.enable');
  });

  it('with JsonConverter and schemas.enable=false gives the parsed JSON as it is', async () => {
    const [plain, wrapped] = await decoded([kafkaRecord({ offset: 0, value: JSON.stringify(measurement) }), kafkaRecord({ offset: 1, value: envelope })], {
      key: stringConverter,
      value: jsonConverter(false),
    });

    expect(plain!.value).toEqual(measurement);
    expect(wrapped!.value).toEqual(JSON.parse(envelope));
  });

  it('fails on invalid JSON with DECODE_FAILED, not retriable', async () => {
    const error = await failure([kafkaRecord({ offset: 3, value: '{"metric": ' })], { key: stringConverter, value: jsonConverter(false) });

    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({ code: 'DECODE_FAILED', retriable: false, part: 'value' });
    expect((error as Error).message).toMatch(/offset 3.*invalid JSON/);
  });

  it('says when it is the key that cannot be decoded', async () => {
    const error = await failure([kafkaRecord({ offset: 5, key: 'not json', value: '{}' })], { key: jsonConverter(false), value: jsonConverter(false) });

    expect(error).toMatchObject({ code: 'DECODE_FAILED', part: 'key' });
    expect((error as Error).message).toContain('cannot decode key');
  });

  it('fails on a null value (tombstone) with a NullValueError naming the record', async () => {
    const error = await failure([kafkaRecord({ offset: 0, value: 'ok' }), kafkaRecord({ partition: 1, offset: 8, value: null })], {
      key: stringConverter,
      value: stringConverter,
    });

    expect(error).toBeInstanceOf(NullValueError);
    expect(error).toMatchObject({ code: 'NULL_VALUE', record: { partition: 1, offset: 8 } });
    expect((error as Error).message).toContain('topic iot partition 1 offset 8');
  });

  it('with ByteArrayConverter passes the bytes through', async () => {
    const bytes = Buffer.from([0xde, 0xad, 0xbe, 0xef]);

    const [out] = await decoded([kafkaRecord({ offset: 0, value: bytes })], { key: byteArrayConverter, value: byteArrayConverter });

    expect(out!.value).toEqual(bytes);
  });
});

describe('decode with null values and error tolerance', () => {
  const acked: number[] = [];
  const tracked = (fields: Parameters<typeof kafkaRecord>[0]): KafkaRecord => ({ ...kafkaRecord(fields), handle: { ack: (offset) => acked.push(offset) } });
  const strings = { key: stringConverter, value: stringConverter };
  const poll = (): KafkaRecord[] => [tracked({ offset: 0, key: 'a', value: 'x' }), tracked({ offset: 1, key: 'b', value: null }), tracked({ offset: 2, value: 'y' })];
  const recording = (): DeadLetters & { handled: [number[], string][] } => {
    const handled: [number[], string][] = [];
    return { handled, handle: async (failed, action) => void handled.push([failed.map((f) => f.record.offset), action]) };
  };

  it.each(['ignore', 'log'] as const)('%s skips a null value and acknowledges it', async (onNull) => {
    acked.length = 0;

    const out = await decoded(poll(), { ...strings, onNull });

    expect(out.map((r) => r.offset)).toEqual([0, 2]);
    expect(acked).toEqual([1]);
  });

  it('delete passes a null value on with its key decoded', async () => {
    const out = await decoded(poll(), { ...strings, onNull: 'delete' });

    expect(out.map((r) => [r.offset, r.key, r.value])).toEqual([[0, 'a', 'x'], [1, 'b', null], [2, null, 'y']]);
  });

  it('hands an undecodable record (or a refused null) to the dead letters and acknowledges it only after that', async () => {
    acked.length = 0;
    const deadLetters = recording();
    const records = [tracked({ offset: 0, value: '{}' }), tracked({ offset: 1, value: '{bad' }), tracked({ offset: 2, value: null })];

    const out = await lastValueFrom(of(records).pipe(decode({ key: stringConverter, value: jsonConverter(false), onError: 'dlq', deadLetters })));

    expect(out.map((r) => r.offset)).toEqual([0]);
    expect(deadLetters.handled).toEqual([[[1, 2], 'dlq']]);
    expect(acked).toEqual([1, 2]);
  });

  it('stops when the dead letters fail, acknowledging nothing', async () => {
    acked.length = 0;
    const deadLetters: DeadLetters = { handle: () => Promise.reject(new Error('broker down')) };

    await expect(lastValueFrom(of(poll()).pipe(decode({ ...strings, onError: 'dlq', deadLetters })))).rejects.toThrow('broker down');
    expect(acked).toEqual([]);
  });
});

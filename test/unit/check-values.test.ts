/**
 * behavior.on.unrenderable.values: Aiven's HTTP sink renders only text, a map or a struct; its task fails on any other
 * value (issue 20, checked against Kafka Connect 3.9.1 in the conformance suite). `send` (default) delivers such values;
 * `fail` makes them record errors, so errors.tolerance decides as for a record a transform fails on.
 */
import { describe, expect, it } from '@jest/globals';
import { TransformError } from '../../src/common/errors.js';
import { parseConnectorConfig } from '../../src/connector/connector-config.js';
import { JsonNumber } from '../../src/common/json-text.js';
import type { FailedRecord } from '../../src/records/outcome.js';
import { checkValues } from '../../src/request/checkValues.js';
import { sinkRecord } from './fakes.js';
import { runOn } from './transforms/run.js';

const values = ['text', { a: 1 }, 5, new JsonNumber('12.5'), 7n, true, [1, 2], Buffer.from('bytes'), null];
const records = values.map((value, offset) => sinkRecord({ offset, value }));

describe('checkValues', () => {
  it('send (the default): every value passes', async () => {
    expect(await runOn(checkValues('send'), records)).toHaveLength(values.length);
    expect(await runOn(checkValues(undefined), records)).toHaveLength(values.length);
  });

  it('fail with errors.tolerance=all: text, maps and nulls go on; the others are dead-lettered, each named', async () => {
    const failed: FailedRecord[] = [];
    const kept = await runOn(checkValues('fail', { onError: 'drop', deadLetters: { handle: async (f) => void failed.push(...f) } }), records);
    expect(kept.map((r) => r.offset)).toEqual([0, 1, 8]);
    expect(failed.map((f) => f.record.offset)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(failed.every((f) => f.error instanceof TransformError)).toBe(true);
    expect(failed.map((f) => f.error.message.replace(/.*: the value is (.*), not text.*/, '$1'))).toEqual(['a number', 'a number', 'a number', 'a boolean', 'an array', 'bytes']);
  });

  it('fail with errors.tolerance=none: the pipeline stops on the first such record, naming it and the key', async () => {
    await expect(runOn(checkValues('fail'), records)).rejects.toThrow(/topic iot partition 0 offset 2: the value is a number, not text, a map or a struct; behavior.on.unrenderable.values is fail/);
  });
});

describe('behavior.on.unrenderable.values', () => {
  const base = { name: 'u', topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none' };
  it('is send by default, takes fail, refuses anything else naming the key', () => {
    expect(parseConnectorConfig(base, {}).request.unrenderable).toBe('send');
    expect(parseConnectorConfig({ ...base, 'behavior.on.unrenderable.values': 'fail' }, {}).request.unrenderable).toBe('fail');
    expect(() => parseConnectorConfig({ ...base, 'behavior.on.unrenderable.values': 'drop' }, {})).toThrow(/behavior\.on\.unrenderable\.values/);
  });
});

/**
 * Files written for Kafka Connect 3.8/3.9 run unchanged (issue 20): ExtractField's `field.syntax.version=V2` nested
 * paths (KIP-821) and `replace.null.with.default` on the transforms that take it in 3.9. Path splitting and the
 * extracted values are what Kafka Connect 3.9.1's ExtractField gave for the same paths and maps.
 */
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../../src/common/errors.js';
import { jsonConverter } from '../../../src/decode/converter.js';
import { fieldPathSteps } from '../../../src/transform/field-path.js';
import { applyTransforms, parseTransforms } from '../../../src/transform/transform-config.js';
import { sinkRecord } from '../fakes.js';
import { runOn } from './run.js';

const T = 'org.apache.kafka.connect.transforms';
const json = (text: string): unknown => jsonConverter(false)(Buffer.from(text), { topic: 't', partition: 0, offset: 0 });
const VALUES = ['{"a":{"b":{"c":1}},"a.b":2,"x":null}', '{"a":{"b":null}}', '{"a":5}'];

async function extract(field: string, version?: string): Promise<unknown[]> {
  const settings = parseTransforms({ transforms: 'x', 'transforms.x.type': `${T}.ExtractField$Value`, 'transforms.x.field': field, ...(version ? { 'transforms.x.field.syntax.version': version } : {}) });
  const out: unknown[] = [];
  for (const [offset, value] of VALUES.entries()) {
    try {
      const [record] = await runOn(applyTransforms(settings, { onNull: 'delete' }), [sinkRecord({ offset, value: json(value) })]);
      out.push(record?.value);
    } catch {
      out.push('error');
    }
  }
  return out;
}

describe('field.syntax.version', () => {
  it('splits V2 paths as Connect does: dots, backtick-quoted steps, escaped backticks, a trailing dot', () => {
    expect(fieldPathSteps('a.b.c', 'V2', 'field')).toEqual(['a', 'b', 'c']);
    expect(fieldPathSteps('`a.b`.c', 'V2', 'field')).toEqual(['a.b', 'c']);
    expect(fieldPathSteps('`a\\`.b`.c', 'V2', 'field')).toEqual(['a`.b', 'c']);
    expect(fieldPathSteps('a`b.c', 'V2', 'field')).toEqual(['a`b', 'c']);
    expect(fieldPathSteps('a.', 'V2', 'field')).toEqual(['a', '']);
    expect(fieldPathSteps('a.b', 'V1', 'field')).toEqual(['a.b']);
    expect(() => fieldPathSteps('`a.b', 'V2', 'field')).toThrow(ConfigError);
  });

  it('ExtractField with V2 reads nested fields (null where a step is missing or null, a record error where it is not a map)', async () => {
    expect(await extract('a.b.c', 'v2')).toEqual([1, null, 'error']);
    expect(await extract('`a.b`', 'V2')).toEqual([2, null, null]);
    expect(await extract('a.b', 'V1')).toEqual([2, null, null]);
    expect(await extract('a.b')).toEqual([2, null, null]);
  });

  it('refuses a version Connect does not know, naming the key', () => {
    expect(() => parseTransforms({ transforms: 'x', 'transforms.x.type': `${T}.ExtractField$Value`, 'transforms.x.field': 'a', 'transforms.x.field.syntax.version': 'V3' })).toThrow(/transforms\.x\.field\.syntax\.version/);
  });
});

describe('replace.null.with.default', () => {
  it('is accepted where Kafka Connect 3.9 takes it', () => {
    for (const [type, options] of [
      ['Cast$Value', { spec: 'a:int32' }],
      ['InsertField$Value', { 'topic.field': 't' }],
      ['MaskField$Value', { fields: 'a' }],
      ['ReplaceField$Value', { exclude: 'a' }],
      ['ValueToKey', { fields: 'a' }],
      ['ExtractField$Value', { field: 'a' }],
      ['TimestampConverter$Value', { 'target.type': 'unix' }],
      ['SetSchemaMetadata$Value', { 'schema.name': 'n' }],
      ['HeaderFrom$Value', { fields: 'a', headers: 'h', operation: 'copy' }],
    ] as const) {
      const raw: Record<string, unknown> = { transforms: 'x', 'transforms.x.type': `${T}.${type}`, 'transforms.x.replace.null.with.default': 'false' };
      for (const [k, v] of Object.entries(options)) raw[`transforms.x.${k}`] = v;
      expect(() => parseTransforms(raw)).not.toThrow();
    }
  });
});

/**
 * JsonConverter with schemas.enable=true converts the payload to the schema's types before writing it (Connect's
 * JsonConverter docs: the envelope's schema describes the payload), so a float64 field holding 21 is written 21.0.
 */
import { describe, expect, it } from '@jest/globals';
import { jsonText } from '../../src/common/json-text.js';
import { jsonConverter } from '../../src/decode/converter.js';

const ref = { topic: 't', partition: 0, offset: 0 };
const envelope = (schema: unknown, payload: unknown): Buffer => Buffer.from(JSON.stringify({ schema, payload }));

describe('JsonConverter envelopes with float fields', () => {
  const schema = {
    type: 'struct',
    fields: [
      { field: 'measurement', type: 'float64', optional: false },
      { field: 'ratio', type: 'float', optional: true },
      { field: 'count', type: 'int32', optional: false },
      { field: 'history', type: 'array', items: { type: 'float64', optional: false }, optional: true },
    ],
    optional: false,
  };

  it('writes float64 and float32 values as Java prints them, integers unchanged', () => {
    const value = jsonConverter(true)(envelope({ ...schema, fields: schema.fields.map((f) => (f.field === 'ratio' ? { ...f, type: 'float32' } : f)) }, { measurement: 21, ratio: 16777216, count: 3, history: [1, 1e21, 0.5] }), ref, {});
    expect(jsonText(value)).toBe('{"measurement":21.0,"ratio":1.6777216E7,"count":3,"history":[1.0,1.0E21,0.5]}');
  });

  it('leaves a payload whose schema has no float field as it was', () => {
    const value = jsonConverter(true)(envelope({ type: 'struct', fields: [{ field: 'count', type: 'int32', optional: false }], optional: false }, { count: 3 }), ref, {});
    expect(jsonText(value)).toBe('{"count":3}');
  });
});

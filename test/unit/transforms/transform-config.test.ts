/**
 * The `transforms.*` / `predicates.*` keys as Kafka Connect documents them
 * (https://kafka.apache.org/documentation/#connect_transforms and #connect_predicates): a chain in order, a
 * predicate per transform, `negate`; every mistake is a ConfigError naming the key. Also: decode gives transforms the
 * schema (JsonConverter envelope, Avro through the registry), and the chain built from a connector file.
 */
import { describe, expect, it } from '@jest/globals';
import { lastValueFrom, of } from 'rxjs';
import { ConfigError } from '../../../src/common/errors.js';
import { jsonConverter, stringConverter } from '../../../src/decode/converter.js';
import { decode } from '../../../src/decode/decode.js';
import { compileSchema } from '../../../src/decode/compile-schema.js';
import { applyTransforms, decodeNullPolicy, isTransformKey, parseTransforms } from '../../../src/transform/transform-config.js';
import { transformsDocTable } from '../../../src/transform/transformsDocTable.js';
import { kafkaRecord, sinkRecord } from '../fakes.js';
import { runOn } from './run.js';

const T = 'org.apache.kafka.connect.transforms';

function configError(raw: Record<string, unknown>): ConfigError {
  try {
    parseTransforms(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('isTransformKey', () => {
  it('is true for transforms and predicates keys only', () => {
    expect(['transforms', 'transforms.a.type', 'predicates', 'predicates.p.pattern'].every(isTransformKey)).toBe(true);
    expect(['transformsx', 'topics', 'predicate'].some(isTransformKey)).toBe(false);
  });
});

describe('parseTransforms', () => {
  it('reads the chain in order with predicates and negate', () => {
    const settings = parseTransforms({
      transforms: 'drop,route',
      'transforms.drop.type': `${T}.Filter`,
      'transforms.drop.predicate': 'tomb',
      'transforms.route.type': `${T}.RegexRouter`,
      'transforms.route.regex': '(.*)',
      'transforms.route.replacement': 'x-$1',
      'transforms.route.negate': 'true',
      'transforms.route.predicate': 'tomb',
      predicates: 'tomb',
      'predicates.tomb.type': `${T}.predicates.RecordIsTombstone`,
    });
    expect(settings.chain.map((s) => [s.name, s.type, s.negate, s.predicate?.name])).toEqual([
      ['drop', `${T}.Filter`, false, 'tomb'],
      ['route', `${T}.RegexRouter`, true, 'tomb'],
    ]);
  });

  it.each([
    [{ transforms: 'a', 'transforms.a.type': 'com.example.Nope' }, 'transforms.a.type', /unknown transform "com.example.Nope": one of .*InsertField\$Key/],
    [{ transforms: 'a', 'transforms.a.type': `${T}.InsertField` }, 'transforms.a.type', /use .*InsertField\$Key or .*InsertField\$Value/],
    [{ transforms: 'a', 'transforms.a.type': `${T}.MaskField$Value`, 'transforms.a.fields': 'x', 'transforms.a.bogus': '1' }, 'transforms.a.bogus', /unknown option; allowed: fields, replacement/],
    [{ transforms: 'a', 'transforms.a.type': `${T}.MaskField$Value` }, 'transforms.a.fields', /is required/],
    [{ transforms: 'a', 'transforms.a.type': `${T}.Cast$Value`, 'transforms.a.spec': 'x:decimal' }, 'transforms.a.spec', /type decimal of field x is not one of int8/],
    [{ transforms: 'a', 'transforms.a.type': `${T}.Filter`, 'transforms.a.predicate': 'p' }, 'transforms.a.predicate', /predicate p is not defined/],
    [{ transforms: 'a', 'transforms.a.type': `${T}.Filter`, 'transforms.a.negate': 'maybe' }, 'transforms.a.negate', /must be true or false/],
    [{ transforms: 'a', 'transforms.a.type': `${T}.Filter`, 'transforms.a.negate': 'true' }, 'transforms.a.negate', /needs a predicate/],
    [{ transforms: 'a', 'transforms.a.type': `${T}.Filter`, 'transforms.b.type': `${T}.Filter` }, 'transforms.b.type', /not listed in transforms/],
    [{ predicates: 'p', 'predicates.p.type': `${T}.predicates.Nope` }, 'predicates.p.type', /unknown predicate/],
    [{ predicates: 'p', 'predicates.p.type': `${T}.predicates.TopicNameMatches`, 'predicates.p.pattern': '(' }, 'predicates.p.pattern', /not a valid regular expression/],
    [{ transforms: 'a', 'transforms.a.type': `${T}.TimestampConverter$Value`, 'transforms.a.target.type': 'Instant' }, 'transforms.a.target.type', /one of string, unix, Date, Time, Timestamp/],
  ])('refuses %j naming %s', (raw, key, allowed) => {
    const error = configError(raw);
    expect(error.key).toBe(key);
    expect(error.message.startsWith(`${key}: `)).toBe(true);
    expect(error.message).toMatch(allowed);
  });

  it('has no transforms when none are configured', () => {
    expect(parseTransforms({ topics: 'x' }).chain).toEqual([]);
  });
});

describe('applyTransforms', () => {
  it('runs the chain in order, each step gated by its predicate', async () => {
    const settings = parseTransforms({
      transforms: 'tombstones,owner,route',
      'transforms.tombstones.type': `${T}.Filter`,
      'transforms.tombstones.predicate': 'isTombstone',
      'transforms.owner.type': `${T}.InsertField$Value`,
      'transforms.owner.static.field': 'owner',
      'transforms.owner.static.value': 'ops',
      'transforms.route.type': `${T}.RegexRouter`,
      'transforms.route.regex': 'iot',
      'transforms.route.replacement': 'devices',
      'transforms.route.predicate': 'isIot',
      predicates: 'isTombstone,isIot',
      'predicates.isTombstone.type': `${T}.predicates.RecordIsTombstone`,
      'predicates.isIot.type': `${T}.predicates.TopicNameMatches`,
      'predicates.isIot.pattern': 'i.t',
    });
    const out = await runOn(applyTransforms(settings, {}), [sinkRecord({ offset: 0, value: { a: 1 } }), sinkRecord({ offset: 1, value: null }), sinkRecord({ offset: 2, topic: 'other', value: {} })]);
    expect(out.map((r) => [r.topic, r.offset, r.value])).toEqual([
      ['devices', 0, { a: 1, owner: 'ops' }],
      ['other', 2, { owner: 'ops' }],
    ]);
  });

  it('applies behavior.on.null.values after the transforms: a tombstone a transform turned into data is delivered', async () => {
    const settings = parseTransforms({ transforms: 'wrap', 'transforms.wrap.type': `${T}.HoistField$Value`, 'transforms.wrap.field': 'v' });
    expect(decodeNullPolicy(settings, 'fail')).toBe('delete');
    expect(decodeNullPolicy(parseTransforms({}), 'fail')).toBe('fail');
    const [out] = await runOn(applyTransforms(settings, { onNull: 'fail' }), [sinkRecord({ offset: 0, value: null })]);
    expect(out!.value).toEqual({ v: null });
    const dropNulls = parseTransforms({ transforms: 'tag', 'transforms.tag.type': `${T}.InsertHeader`, 'transforms.tag.header': 'h', 'transforms.tag.value.literal': 'x' });
    expect(await runOn(applyTransforms(dropNulls, { onNull: 'ignore' }), [sinkRecord({ offset: 1, value: null })])).toEqual([]);
    await expect(runOn(applyTransforms(dropNulls, { onNull: 'fail' }), [sinkRecord({ offset: 2, value: null })])).rejects.toThrow(/null value \(tombstone\) at topic iot partition 0 offset 2/);
  });

  it('the docs table names every class and option', () => {
    const table = transformsDocTable();
    expect(table).toContain(`\`${T}.InsertField$Key\`, \`$Value\``);
    expect(table).toContain(`\`${T}.predicates.HasHeaderKey\` (predicate)`);
    expect(table).toContain('`replacement`');
  });
});

describe('decode gives transforms the schema', () => {
  it('JsonConverter with schemas.enable=true: the envelope\'s schema', async () => {
    const envelope = JSON.stringify({ schema: { type: 'struct', name: 'R', fields: [{ field: 'id', type: 'int64' }, { field: 'n', type: 'string', optional: true }] }, payload: { id: 1, n: 'x' } });
    const [out] = await lastValueFrom(of([kafkaRecord({ offset: 0, value: envelope })]).pipe(decode({ key: stringConverter, value: jsonConverter(true) })));
    expect(out!.value).toEqual({ id: 1, n: 'x' });
    expect(out!.valueSchema).toEqual({ type: 'struct', optional: false, name: 'R', fields: [{ name: 'id', schema: { type: 'int64', optional: false } }, { name: 'n', schema: { type: 'string', optional: true } }] });
  });

  it('Avro: the record schema as Connect\'s AvroData maps it ([null, X] is an optional X)', () => {
    const avro = { type: 'record', name: 'Order', namespace: 'shop', fields: [{ name: 'id', type: 'long' }, { name: 'note', type: ['null', 'string'] }, { name: 'tags', type: { type: 'array', items: 'string' } }] };
    const compiled = compileSchema({ id: 1, kind: 'AVRO', text: JSON.stringify(avro), references: [] }, 'BASE64');
    expect(compiled.connectSchema).toEqual({
      type: 'struct',
      optional: false,
      name: 'shop.Order',
      fields: [
        { name: 'id', schema: { type: 'int64', optional: false } },
        { name: 'note', schema: { type: 'string', optional: true } },
        { name: 'tags', schema: { type: 'array', optional: false, valueSchema: { type: 'string', optional: false } } },
      ],
    });
  });
});

describe('registry converters give transforms the schema', () => {
  it('Protobuf: the message type the record names, as ProtobufData maps it', () => {
    const proto = 'syntax = "proto3"; package shop; import "google/protobuf/timestamp.proto"; message Order { int64 id = 1; repeated string tags = 2; google.protobuf.Timestamp at = 3; optional string note = 4; }';
    const compiled = compileSchema({ id: 1, kind: 'PROTOBUF', text: proto, references: [] }, 'BASE64');
    const schema = compiled.connectSchemaOf!(Buffer.from([0, 0, 0, 0, 1, 0]), 5);
    expect(schema).toEqual({
      type: 'struct',
      optional: false,
      name: 'shop.Order',
      fields: [
        { name: 'id', schema: { type: 'int64', optional: false } },
        { name: 'tags', schema: { type: 'array', optional: false, valueSchema: { type: 'string', optional: false } } },
        { name: 'at', schema: { type: 'int64', optional: true, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 } },
        { name: 'note', schema: { type: 'string', optional: true } },
      ],
    });
  });
});

describe('configProblems with transforms', () => {
  it('reports each broken transform or predicate once, by key, and nothing for the valid ones', async () => {
    const { configProblems } = await import('../../../src/connector/config-problems.js');
    const problems = configProblems(
      {
        name: 'n',
        topics: 't',
        'http.url': 'http://127.0.0.1/',
        'http.authorization.type': 'none',
        transforms: 'a,b,c',
        'transforms.a.type': 'com.example.Nope',
        'transforms.b.type': `${T}.MaskField$Value`,
        'transforms.c.type': `${T}.Filter`,
        'transforms.c.predicate': 'p',
        predicates: 'p',
        'predicates.p.type': `${T}.predicates.TopicNameMatches`,
      },
      {},
    );
    expect(problems.map((p) => p.key)).toEqual(['transforms.a.type', 'transforms.b.fields', 'predicates.p.pattern']);
  });
});

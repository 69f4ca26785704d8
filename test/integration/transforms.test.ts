/**
 * Single Message Transforms on the real broker: a connector file's chain (Kafka Connect's `transforms` and
 * `predicates` keys) between the converters and the endpoint, with tombstones and headers; a transform failing on a
 * record stops the pipeline or dead-letters it; an unknown class is refused by `validate` with exit 2.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { produce, readTopic } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { runNode } from '../support/spawn-node.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { baseConnector, bootstrap, committed, committedIs, eventually, freshTopic, runConnector } from '../support/harness.js';

const T = 'org.apache.kafka.connect.transforms';
const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

describe('transforms and predicates', () => {
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop().catch(() => {});
    await receiver?.close();
    running = undefined;
  });

  it('runs a chain of eight transforms with two predicates; ${topic} renders the routed topic; filtered offsets are committed', async () => {
    const topic = await freshTopic('smt_chain', 1);
    const user = (id: number, name: string) => JSON.stringify({ id, user: { name, ssn: `ssn-${id}` }, debug: id % 2 === 0 });
    await produce(bootstrap(), topic, [
      { key: 'k0', value: user(0, 'ada'), headers: [{ trace: 't0' }] },
      { key: 'k1', value: null }, // tombstone: dropped by Filter + RecordIsTombstone
      { key: 'k2', value: user(2, 'bob'), headers: [{ skip: 'yes' }] }, // dropped by Filter + HasHeaderKey
      { key: 'k3', value: user(3, 'cy') },
      { key: 'k4', value: null }, // the last record is dropped: its offset must still be committed
    ]);
    receiver = await startReceiver();
    const name = `smt_chain_${topic}`;
    running = await runConnector({
      ...baseConnector(name, topic, `${receiver.url}/in/\${topic}`),
      'value.converter': JSON_CONVERTER,
      'value.converter.schemas.enable': 'false',
      transforms: 'dropTombstones,dropSkipped,flatten,mask,rename,meta,route,tag',
      'transforms.dropTombstones.type': `${T}.Filter`,
      'transforms.dropTombstones.predicate': 'isTombstone',
      'transforms.dropSkipped.type': `${T}.Filter`,
      'transforms.dropSkipped.predicate': 'hasSkip',
      'transforms.flatten.type': `${T}.Flatten$Value`,
      'transforms.flatten.delimiter': '_',
      'transforms.mask.type': `${T}.MaskField$Value`,
      'transforms.mask.fields': 'user_ssn',
      'transforms.mask.replacement': '***',
      'transforms.rename.type': `${T}.ReplaceField$Value`,
      'transforms.rename.exclude': 'debug',
      'transforms.rename.renames': 'user_name:name',
      'transforms.meta.type': `${T}.InsertField$Value`,
      'transforms.meta.topic.field': 'source_topic',
      'transforms.meta.offset.field': 'source_offset',
      'transforms.route.type': `${T}.RegexRouter`,
      'transforms.route.regex': 'smt_chain_(.*)',
      'transforms.route.replacement': 'routed-$1',
      'transforms.tag.type': `${T}.InsertHeader`,
      'transforms.tag.header': 'via',
      'transforms.tag.value.literal': 'smt',
      predicates: 'isTombstone,hasSkip',
      'predicates.isTombstone.type': `${T}.predicates.RecordIsTombstone`,
      'predicates.hasSkip.type': `${T}.predicates.HasHeaderKey`,
      'predicates.hasSkip.name': 'skip',
    });

    await eventually(() => committedIs(name, topic, 5), 30_000, 'offset 5 committed (past the dropped tombstone at 4)');
    const routed = `routed-${topic.slice('smt_chain_'.length)}`;
    expect(receiver.accepted.map((r) => [r.path, JSON.parse(r.body.toString()) as unknown])).toEqual([
      [`/in/${routed}`, { id: 0, name: 'ada', user_ssn: '***', source_topic: topic, source_offset: 0 }],
      [`/in/${routed}`, { id: 3, name: 'cy', user_ssn: '***', source_topic: topic, source_offset: 3 }],
    ]);
  });

  it('stops on a record a transform fails on (ExtractField: field missing from the schema), naming topic, partition and offset', async () => {
    const topic = await freshTopic('smt_fail', 1);
    const envelope = (payload: object, fields: string[]) => JSON.stringify({ schema: { type: 'struct', fields: fields.map((field) => ({ field, type: 'string' })) }, payload });
    await produce(bootstrap(), topic, [{ value: envelope({ id: 'a' }, ['id']) }, { value: envelope({ other: 'b' }, ['other']) }]);
    receiver = await startReceiver();
    const name = `smt_fail_${topic}`;
    running = await runConnector({
      ...baseConnector(name, topic, receiver.url),
      'value.converter': JSON_CONVERTER,
      'value.converter.schemas.enable': 'true',
      transforms: 'pick',
      'transforms.pick.type': `${T}.ExtractField$Value`,
      'transforms.pick.field': 'id',
    });
    await expect(running.done).rejects.toThrow(`transform pick failed on topic ${topic} partition 0 offset 1: unknown field id in the value schema`);
    // The failing record's poll stops as a whole (as with a converter error): offset 0 may or may not have been sent
    // first, but nothing is committed past the failed record.
    expect(receiver.accepted.every((r) => r.body.toString() === '"a"')).toBe(true);
    const [at] = await committed(name, topic, 1);
    expect(at).toBeLessThanOrEqual(1);
  });

  it('dead-letters a record a transform fails on (Cast that cannot parse) with errors.tolerance=all, and goes on', async () => {
    const topic = await freshTopic('smt_dlq', 1);
    const dlq = await freshTopic('smt_dlq_dead', 1);
    await produce(bootstrap(), topic, [{ value: '{"n":"1"}' }, { value: '{"n":"one"}' }, { value: '{"n":"3"}' }]);
    receiver = await startReceiver();
    const name = `smt_dlq_${topic}`;
    running = await runConnector({
      ...baseConnector(name, topic, receiver.url),
      'value.converter': JSON_CONVERTER,
      'value.converter.schemas.enable': 'false',
      transforms: 'toInt',
      'transforms.toInt.type': `${T}.Cast$Value`,
      'transforms.toInt.spec': 'n:int32',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    await eventually(() => committedIs(name, topic, 3), 30_000, 'all three committed');
    expect(receiver.accepted.map((r) => JSON.parse(r.body.toString()) as unknown)).toEqual([{ n: 1 }, { n: 3 }]);
    const [dead] = await readTopic(bootstrap(), dlq, 1);
    expect(dead!.value?.toString()).toBe('{"n":"one"}');
    expect(dead!.headers).toMatchObject({ '__connect.errors.offset': '1', '__connect.errors.stage': 'TRANSFORMATION', '__connect.errors.exception.class.name': 'TransformError' });
  });

  it('validate refuses an unknown transform class with exit 2, naming the key and what is allowed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smt-validate-'));
    const file = join(dir, 'smt.json');
    writeFileSync(file, JSON.stringify({ ...baseConnector('smt_validate', 'x', 'http://127.0.0.1/'), transforms: 'a', 'transforms.a.type': 'com.example.Nope' }));
    const run = await runNode(['bin/kafka-http-sink.mjs', 'validate', file], {});
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/smt\.json: transforms\.a\.type: unknown transform "com\.example\.Nope": one of org\.apache\.kafka\.connect\.transforms\.InsertField\$Key/);
  });
});

/** Avro, Protobuf and JSON Schema records through a schema registry on 127.0.0.1, end to end on the real broker. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import protobuf from 'protobufjs';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { DecodeError, SchemaRegistryError } from '../../src/common/errors.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { makeTestCerts, type TestCerts } from '../support/certs.js';
import { baseConnector, bootstrap, captureLog, committed, committedIs, eventually, freshTopic, runConnector } from '../support/harness.js';
import { READING_SCHEMA, reading, readingBody } from '../support/avro-reading.js';
import { protobufWire, startTestRegistry, type TestRegistry } from '../support/schema-registry.js';

const USER = 'avnadmin';
const PASSWORD = 'sr:pass:with:colons';
const AVRO = 'io.confluent.connect.avro.AvroConverter';

const KEY = { type: 'record', name: 'Key', namespace: 'iot', fields: [{ name: 'iot_id', type: 'int' }] };

describe('schema registry converters', () => {
  let certs: TestCerts;
  let registry: TestRegistry;
  let producer: SchemaRegistry;
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;

  beforeAll(async () => {
    certs = makeTestCerts();
    registry = await startTestRegistry({ username: USER, password: PASSWORD, tls: { cert: readFileSync(certs.serverCertFile), key: readFileSync(certs.serverKeyFile) } });
    producer = new SchemaRegistry({ host: registry.url, auth: { username: USER, password: PASSWORD }, agent: new Agent({ ca: certs.ca }) as never });
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await receiver?.close();
  });
  afterAll(async () => {
    await registry.close();
    certs.remove();
  });

  /** The seed's key set for both converters: https registry, USER_INFO, plus the CA file. */
  const registryKeys = (part: 'key' | 'value'): Record<string, unknown> => ({
    [`${part}.converter`]: AVRO,
    [`${part}.converter.schema.registry.url`]: registry.url,
    [`${part}.converter.basic.auth.credentials.source`]: 'USER_INFO',
    [`${part}.converter.schema.registry.basic.auth.user.info`]: `${USER}:${PASSWORD}`,
    [`${part}.converter.schema.registry.ssl.ca.location`]: certs.caFile,
  });

  it('runs the seed\'s Avro set-up (https, USER_INFO, CA file) for key and value: Connect JSON bodies and keys, offsets committed, password never printed', async () => {
    const topic = await freshTopic('sr_avro', 1);
    const valueId = (await producer.register({ type: SchemaType.AVRO, schema: JSON.stringify(READING_SCHEMA) }, { subject: `${topic}-value` })).id;
    const keyId = (await producer.register({ type: SchemaType.AVRO, schema: JSON.stringify(KEY) }, { subject: `${topic}-key` })).id;
    await produce(bootstrap(), topic, [
      { key: await producer.encode(keyId, { iot_id: 101 }), value: await producer.encode(valueId, reading(1)) },
      { key: await producer.encode(keyId, { iot_id: 102 }), value: await producer.encode(valueId, reading(2, null)) },
    ]);
    receiver = await startReceiver();
    const name = `sr_avro_${topic}`;
    const { log, lines } = captureLog('debug');
    // The decoded key goes into the query as the URL template writes an object: its Connect JSON, percent-encoded.
    const url = `${receiver.url}/devices/\${value.iot_id}?key=\${key}`;
    running = await runConnector({ ...baseConnector(name, topic, receiver.url), ...registryKeys('key'), ...registryKeys('value'), 'http.url': url }, { log });

    await receiver.waitForAccepted(2, 30_000);
    await eventually(() => committedIs(name, topic, 2), 30_000, 'both committed');
    expect(receiver.accepted.map((r) => [r.path, r.body.toString()])).toEqual([
      [`/devices/1?key=${encodeURIComponent('{"iot_id":101}')}`, readingBody(1)],
      [`/devices/2?key=${encodeURIComponent('{"iot_id":102}')}`, readingBody(2, null)],
    ]);
    // The double 21 as Java prints it (Connect's JsonConverter): 21.0, not 21 (issue 14).
    expect(readingBody(2, null)).toBe('{"iot_id":2,"metric":"Temperature","measurement":21.0,"unit":null,"seq":2,"battery":1.1,"tags":["a","b"],"day":19700,"at":1702080000002,"price":"BNI="}');
    await running.stop();
    expect(lines.join('\n')).not.toContain(PASSWORD);
    expect(JSON.stringify(running.config.redacted)).not.toContain('pass:with');
  });

  it('reads Protobuf records of the first, the second and a nested message type, and JSON Schema records', async () => {
    const proto = 'syntax = "proto3";\npackage shop;\nmessage Order { string id = 1; int64 cents = 2; Line line = 3; message Line { string sku = 1; } }\nmessage Refund { string order_id = 1; }\n';
    const root = protobuf.parse(proto, { keepCase: true }).root;
    const topic = await freshTopic('sr_proto', 1);
    const protoId = (await producer.register({ type: SchemaType.PROTOBUF, schema: proto }, { subject: `${topic}-value` })).id;
    const encode = (type: string, value: object) => root.lookupType(type).encode(root.lookupType(type).fromObject(value)).finish();
    await produce(bootstrap(), topic, [
      { value: protobufWire(protoId, [0], encode('shop.Order', { id: 'o1', cents: 1999, line: { sku: 'A' } })) },
      { value: protobufWire(protoId, [1], encode('shop.Refund', { order_id: 'o1' })) },
      { value: protobufWire(protoId, [0, 0], encode('shop.Order.Line', { sku: 'B' })) },
    ]);
    const jsonTopic = await freshTopic('sr_json', 1);
    const jsonSchema = { type: 'object', properties: { id: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } }, note: { type: 'string' } } };
    const jsonId = (await producer.register({ type: SchemaType.JSON, schema: JSON.stringify(jsonSchema) }, { subject: `${jsonTopic}-value` })).id;
    await produce(bootstrap(), jsonTopic, [{ value: await producer.encode(jsonId, { tags: ['x'], id: 7 }) }]);
    receiver = await startReceiver();

    const connector = (name: string, t: string, converter: string) => ({ ...baseConnector(name, t, receiver!.url), ...registryKeys('value'), 'value.converter': converter });
    running = await runConnector(connector(`sr_proto_${topic}`, topic, 'io.confluent.connect.protobuf.ProtobufConverter'));
    await receiver.waitForAccepted(3, 30_000);
    await running.stop();
    running = await runConnector(connector(`sr_json_${jsonTopic}`, jsonTopic, 'io.confluent.connect.json.JsonSchemaConverter'));
    await receiver.waitForAccepted(4, 30_000);

    expect(receiver.accepted.map((r) => r.body.toString())).toEqual(['{"id":"o1","cents":1999,"line":{"sku":"A"}}', '{"order_id":"o1"}', '{"sku":"B"}', '{"id":7,"tags":["x"],"note":null}']);
  });

  it('waits while the registry is down and delivers everything once it is back', async () => {
    const topic = await freshTopic('sr_down', 1);
    const id = (await producer.register({ type: SchemaType.AVRO, schema: JSON.stringify({ ...KEY, name: 'Down' }) }, { subject: `${topic}-value` })).id;
    await produce(bootstrap(), topic, await Promise.all([1, 2, 3].map(async (n) => ({ value: await producer.encode(id, { iot_id: n }) }))));
    receiver = await startReceiver();
    const name = `sr_down_${topic}`;
    await registry.stop();
    try {
      const { log, lines } = captureLog();
      running = await runConnector({ ...baseConnector(name, topic, receiver.url), ...registryKeys('value') }, { log });
      await eventually(() => lines.some((l) => l.includes('schema registry unavailable')), 30_000, 'a retry warning');
      expect(receiver.accepted).toHaveLength(0);
      expect(await committed(name, topic, 1)).toEqual([-1001]);
    } finally {
      await registry.start();
    }

    await receiver.waitForAccepted(3, 60_000);
    await eventually(() => committedIs(name, topic, 3), 30_000, 'all three committed');
    expect(receiver.accepted.map((r) => r.body.toString())).toEqual(['{"iot_id":1}', '{"iot_id":2}', '{"iot_id":3}']);
  });

  it('waits through a restarted registry that answers "not found" while loading, committing nothing past the record, then delivers (issue 20)', async () => {
    const topic = await freshTopic('sr_restart', 1);
    const id = (await producer.register({ type: SchemaType.AVRO, schema: JSON.stringify({ ...KEY, name: 'Restart' }) }, { subject: `${topic}-value` })).id;
    await produce(bootstrap(), topic, await Promise.all([1, 2].map(async (n) => ({ value: await producer.encode(id, { iot_id: n }) }))));
    receiver = await startReceiver();
    const name = `sr_restart_${topic}`;
    await registry.stop();
    let restarted = false;
    try {
      const { log, lines } = captureLog();
      running = await runConnector({ ...baseConnector(name, topic, receiver.url), ...registryKeys('value') }, { log });
      await eventually(() => lines.some((l) => l.includes('schema registry unavailable')), 30_000, 'a retry warning while down');
      registry.forceReply = { status: 404, body: { error_code: 40403, message: `Schema ${id} not found` } };
      await registry.start();
      restarted = true;
      await eventually(() => lines.some((l) => l.includes('still loading')), 30_000, 'a retry warning for the 404');
      expect(receiver.accepted).toHaveLength(0);
      expect(await committed(name, topic, 1)).toEqual([-1001]);
    } finally {
      registry.forceReply = undefined;
      if (!restarted) await registry.start();
    }

    await receiver.waitForAccepted(2, 60_000);
    await eventually(() => committedIs(name, topic, 2), 30_000, 'both committed');
    expect(receiver.accepted.map((r) => r.body.toString())).toEqual(['{"iot_id":1}', '{"iot_id":2}']);
  });

  it('stops calling the registry once the pipeline is stopped (regression: the retries went on forever)', async () => {
    const topic = await freshTopic('sr_stop', 1);
    const id = (await producer.register({ type: SchemaType.AVRO, schema: JSON.stringify({ ...KEY, name: 'Stop' }) }, { subject: `${topic}-value` })).id;
    await produce(bootstrap(), topic, [{ value: await producer.encode(id, { iot_id: 1 }) }]);
    receiver = await startReceiver();
    registry.forceReply = { status: 503, body: { error_code: 50301, message: 'overloaded' } };
    try {
      const { log, lines } = captureLog();
      running = await runConnector({ ...baseConnector(`sr_stop_${topic}`, topic, receiver.url), ...registryKeys('value'), 'shutdown.timeout.ms': 500 }, { log });
      await eventually(() => lines.some((l) => l.includes('schema registry unavailable')), 30_000, 'a retry warning');
      await running.stop();
      running = undefined;
      const requests = registry.log.length;
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // several backoff periods (200 ms and up)

      expect(registry.log.length).toBe(requests);
      expect(receiver.accepted).toHaveLength(0);
    } finally {
      registry.forceReply = undefined;
    }
  });

  it.each([
    ['an unknown schema id', Buffer.from([0, 0, 0, 0x03, 0xe7, 2]), 'schema id 999 is not in the schema registry'],
    ['a corrupt payload', null, 'payload does not match schema id'],
    ['a wrong magic byte', Buffer.from('{"iot_id":1}'), 'unknown magic byte 0x7b'],
  ])('stops on %s, naming topic, partition and offset, without committing past it', async (_what, bad, reason) => {
    const topic = await freshTopic('sr_bad', 1);
    const id = (await producer.register({ type: SchemaType.AVRO, schema: JSON.stringify({ ...KEY, name: 'Bad' }) }, { subject: `${topic}-value` })).id;
    const good = await producer.encode(id, { iot_id: 1 });
    const corrupt = Buffer.concat([good.subarray(0, 5), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]);
    await produce(bootstrap(), topic, [{ value: good }, { value: bad ?? corrupt }, { value: good }]);
    receiver = await startReceiver();
    const name = `sr_bad_${topic}`;
    running = await runConnector({ ...baseConnector(name, topic, receiver.url), ...registryKeys('value') });

    const error = await running.done.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as Error).message).toContain(`cannot decode value of topic ${topic} partition 0 offset 1: ${reason}`);
    // The poll holding it stops as a whole: nothing at or after offset 1 is delivered or committed.
    expect((await committed(name, topic, 1))[0]).toBeLessThanOrEqual(1);
    expect(receiver.accepted.length).toBeLessThanOrEqual(1);
  });

  it('stops with a clear error when the registry refuses the credentials', async () => {
    const topic = await freshTopic('sr_creds', 1);
    const id = (await producer.register({ type: SchemaType.AVRO, schema: JSON.stringify({ ...KEY, name: 'Creds' }) }, { subject: `${topic}-value` })).id;
    await produce(bootstrap(), topic, [{ value: await producer.encode(id, { iot_id: 1 }) }]);
    receiver = await startReceiver();
    const { log, lines } = captureLog();
    const name = `sr_creds_${topic}`;
    running = await runConnector(
      { ...baseConnector(name, topic, receiver.url), ...registryKeys('value'), 'value.converter.schema.registry.basic.auth.user.info': '${env:SR_USER_INFO}' },
      { log, env: { SR_USER_INFO: `${USER}:not-the-password` } },
    );

    const error = await running.done.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect((error as Error).message).toBe(
      `schema registry ${registry.url}: HTTP 401 fetching schema id ${id}: the registry refused the credentials; check value.converter.schema.registry.basic.auth.user.info`,
    );
    expect(lines.join('\n')).not.toContain('not-the-password');
    expect(receiver.accepted).toHaveLength(0);
    expect(await committed(name, topic, 1)).toEqual([-1001]); // nothing committed: the record is read again once fixed
  });
});


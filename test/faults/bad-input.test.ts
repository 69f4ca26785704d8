/**
 * Bad records and bad connector files. With errors.tolerance=none: a clear stop that names the record, and nothing
 * committed past it. With errors.tolerance=all and a dead-letter topic: the bad record lands there with Kafka
 * Connect's context headers, the records around it are delivered, and the committed offset covers them all.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { endOffsets, produce, readTopic } from '../support/kafka-tools.js';
import { startReceiver, type Responder } from '../support/receiver.js';
import { SinkError } from '../../src/common/errors.js';
import { baseConnector, bootstrap, captureLog, committed, freshTopic, runConnector } from '../support/harness.js';
import { expectDelivered, spawnSink, startIdReceiver, verdict, waitForDelivery } from './support/fault-kit.js';

/** Good records carry the fault kit's ids ("<partition>-<seq>"): 0-0 ... 0-4 before the bad one (offset 5), 0-5 and 0-6 after. */
const good = (i: number): string => JSON.stringify({ id: `0-${i}`, measurement: i });
const values = (bad: string | null): (string | null)[] => [...[0, 1, 2, 3, 4].map(good), bad, ...[5, 6].map(good)];
const JSON_VALUES = { 'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': false };

/** The endpoint refuses bodies over 10 kB (413) and the record with an unknown field (400). */
const endpoint: Responder = (request) => {
  const body = request.body.toString();
  if (body.length > 10_000) return { status: 413, body: 'too large' };
  if (body.includes('reject-me')) return { status: 400, body: 'unknown field' };
  return { status: 200 };
};

describe('faults: bad records with errors.tolerance=none', () => {
  const cases: [string, { value: string | null }, Record<string, unknown>, string, RegExp][] = [
    ['invalid JSON under JsonConverter', { value: '{"id": "broken",' }, JSON_VALUES, 'DECODE_FAILED', /cannot decode value of topic \S+ partition 0 offset 5: invalid JSON/],
    ['a null value (tombstone)', { value: null }, {}, 'NULL_VALUE', /null value \(tombstone\) at topic \S+ partition 0 offset 5/],
    ['a value over the endpoint size limit (413)', { value: 'x'.repeat(20_000) }, {}, 'DELIVERY_FAILED', /topic \S+ partition 0 offset 5 after 1 attempt\(s\): HTTP 413/],
    ['a record the endpoint rejects (400)', { value: '{"id":"reject-me"}' }, {}, 'DELIVERY_FAILED', /topic \S+ partition 0 offset 5 after 1 attempt\(s\): HTTP 400: unknown field/],
  ];

  it.each(cases)('%s stops the pipeline with an error naming it and commits nothing past it', async (_name, bad, settings, code, message) => {
    const topic = await freshTopic('bad_record', 1);
    await produce(bootstrap(), topic, values(bad.value).map((value) => ({ value })));
    const receiver = await startReceiver({ respond: endpoint });
    const name = `bad_${topic}`;
    const { log, lines } = captureLog();
    const running = await runConnector({ ...baseConnector(name, topic, receiver.url), 'max.retries': 3, 'retry.backoff.ms': 10, ...settings }, { log });
    const error = await running.done.then(() => undefined, (e: unknown) => e);
    await receiver.close();

    expect(error).toBeInstanceOf(SinkError);
    expect((error as SinkError).code).toBe(code);
    expect((error as SinkError).message).toMatch(message);
    expect(lines.some((l) => l.includes('pipeline stopped') && message.test(l))).toBe(true);
    // Records before the bad one may or may not have been sent (a decode failure fails its whole poll), but what was
    // committed is exactly what was delivered, and never the bad record or anything after it.
    const delivered = receiver.accepted.map((r) => (JSON.parse(r.body.toString()) as { id: string }).id);
    expect(delivered).toEqual(['0-0', '0-1', '0-2', '0-3', '0-4'].slice(0, delivered.length));
    const [offset] = await committed(name, topic, 1);
    expect(offset === -1001 ? 0 : offset).toBe(delivered.length);
  });
});

describe('faults: bad records with errors.tolerance=all and a dead-letter topic', () => {
  const cases: [string, string, string | null, Record<string, unknown>, Record<string, string>, RegExp][] = [
    ['invalid JSON under JsonConverter', 'dlq-invalid-json', '{"id": "broken",', JSON_VALUES, { stage: 'VALUE_CONVERTER', 'exception.class.name': 'DecodeError' }, /invalid JSON/],
    ['a null value (tombstone)', 'dlq-null-value', null, {}, { stage: 'TASK_PUT', 'exception.class.name': 'NullValueError' }, /null value/],
    ['a value over the endpoint size limit (413)', 'dlq-413', 'x'.repeat(20_000), {}, { stage: 'TASK_PUT', 'exception.class.name': 'HttpStatusError', 'http.status': '413', 'http.response.body': 'too large' }, /413/],
    ['a record the endpoint rejects (400)', 'dlq-400', '{"id":"reject-me"}', {}, { stage: 'TASK_PUT', 'exception.class.name': 'HttpStatusError', 'http.status': '400', 'http.response.body': 'unknown field' }, /400/],
  ];

  it.each(cases)('%s goes to the dead-letter topic with its context headers; the records around it are delivered and committed', async (_title, scenario, bad, settings, context, exceptionMessage) => {
    const startedAt = Date.now();
    const topic = await freshTopic('bad_dlq', 1);
    const dlq = await freshTopic('bad_dlq_dead', 1);
    await produce(bootstrap(), topic, values(bad).map((value) => ({ value })));
    const sink = await startIdReceiver(endpoint);
    const name = `dlq_${topic}`;
    const { log, lines } = captureLog();
    const running = await runConnector(
      {
        ...baseConnector(name, topic, sink.receiver.url),
        'max.retries': 3,
        'retry.backoff.ms': 10,
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.context.headers.enable': true,
        ...settings,
      },
      { log },
    );
    const spec = { name, topic, partitions: 1, count: 8 };
    await waitForDelivery(sink, 7, spec, 30_000);
    await running.stop();
    const ended = await running.done.then(() => 'stopped', (e: unknown) => `failed: ${String(e)}`);
    await sink.receiver.close();

    // One pipeline; the good records are accepted at the first attempt and the bad one is never accepted: nothing is
    // re-sent, so no duplicate.
    const produced = { byPartition: [[0, 1, 2, 3, 4, 5, 6].map((i) => `0-${i}`)], total: 7 };
    await expectDelivered(verdict(produced, sink.ids), { scenario, startedAt, maxDuplicates: 0, committed: spec });
    expect(ended).toBe('stopped');
    expect(await endOffsets(bootstrap(), dlq, 1)).toEqual([1]); // the bad record, once
    const [dead] = await readTopic(bootstrap(), dlq, 1);
    expect(dead!.value === null ? null : dead!.value.toString()).toBe(bad);
    const headers = Object.fromEntries(Object.entries(dead!.headers).filter(([k]) => k.startsWith('__connect.errors.')).map(([k, v]) => [k.slice('__connect.errors.'.length), v]));
    expect(headers).toEqual({
      topic,
      partition: '0',
      offset: '5',
      'connector.name': name,
      'task.id': '0',
      'class.name': 'kafka-http-sink',
      'exception.message': expect.stringMatching(exceptionMessage),
      ...context,
    });
    expect(lines.some((l) => l.includes('records written to the dead-letter topic') && l.includes(dlq))).toBe(true);
  });
});

describe('faults: bad connector files', () => {
  const base = { name: 'bad_config', topics: 'never_consumed', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none' };
  const without = (key: keyof typeof base): Record<string, unknown> => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key));
  const converters = [
    'org.apache.kafka.connect.storage.StringConverter',
    'org.apache.kafka.connect.json.JsonConverter',
    'org.apache.kafka.connect.converters.ByteArrayConverter',
    'io.confluent.connect.avro.AvroConverter',
    'io.confluent.connect.protobuf.ProtobufConverter',
    'io.confluent.connect.json.JsonSchemaConverter',
  ].map((c) => c.replaceAll('.', '\\.'));
  // Where a value is refused, the line says what is allowed (and, from convict, what was given).
  const cases: [string, Record<string, unknown> | string, RegExp][] = [
    ['missing http.url', without('http.url'), /^http\.url: is required: The endpoint \(http or https\)/],
    ['the seed placeholder left in http.url', { ...base, 'http.url': 'SERVER_URL' }, /^http\.url: must be an absolute http:\/\/ or https:\/\/ URL: value was "SERVER_URL"$/],
    ['a non-http URL', { ...base, 'http.url': 'ftp://example.com/x' }, /^http\.url: must be an absolute http:\/\/ or https:\/\/ URL: value was "ftp:\/\/example\.com\/x"$/],
    ['an unknown authorization type', { ...base, 'http.authorization.type': 'kerberos' }, /^http\.authorization\.type: must be one of none, static, basic, oauth2: value was "kerberos"$/],
    ['missing authorization type', without('http.authorization.type'), /^http\.authorization\.type: is required: `none`, `static` .*, `basic` .* or `oauth2` /],
    ['static without a header', { ...base, 'http.authorization.type': 'static' }, /^http\.headers\.authorization: is required when http\.authorization\.type is static$/],
    ['none with a header', { ...base, 'http.headers.authorization': 'Bearer x' }, /^http\.headers\.authorization: must not be set when http\.authorization\.type is none$/],
    ['oauth2 without a token URL', { ...base, 'http.authorization.type': 'oauth2', 'oauth2.client.id': 'id', 'oauth2.client.secret': 's' }, /^oauth2\.access\.token\.url: is required when http\.authorization\.type is oauth2$/],
    ['negative retries', { ...base, 'max.retries': -1 }, /^max\.retries: must be a whole number from 0 to 1000000: value was -1$/],
    ['a zero batch size', { ...base, 'batch.max.size': 0 }, /^batch\.max\.size: must be a whole number from 1 to 1000000(: value was 0)?$/],
    ['a batch size that is not a number', { ...base, 'batch.max.size': 'lots' }, /^batch\.max\.size: must be a whole number from 1 to 1000000: value was "lots"$/],
    ['an unknown converter class', { ...base, 'value.converter': 'com.example.MagicConverter' }, new RegExp(`^value\\.converter: must be one of ${converters.join(', ')}: value was "com\\.example\\.MagicConverter"$`)],
    ['an unknown key', { ...base, 'http.urll': 'http://x' }, /^http\.urll: unknown key \(did you mean http\.url\?\)/],
    ['a wrong type (array)', { ...base, topics: ['a', 'b'] }, /^topics: must be a string, number or boolean, not an array$/],
    ['an unreadable ${file:...}', { ...base, 'http.url': '${file:/nonexistent/sink.properties:url}' }, /^http\.url: \$\{file:\/nonexistent\/sink\.properties:url\}: cannot read \/nonexistent\/sink\.properties \(ENOENT\)$/],
    ['an unset ${env:...}', { ...base, 'http.url': '${env:SINK_TEST_UNSET_VARIABLE}' }, /^http\.url: \$\{env:SINK_TEST_UNSET_VARIABLE\} is not set; export SINK_TEST_UNSET_VARIABLE/],
    ['an unknown config provider', { ...base, 'http.url': '${vault:kv/sink:url}' }, /^http\.url: \$\{vault:\.\.\.\} uses an unknown config provider; supported: \$\{env:NAME\}, \$\{file:\/path:key\}$/],
    ['both topics and topics.regex', { ...base, 'topics.regex': 'iot_.*' }, /^topics: set exactly one of topics \(comma list\) and topics\.regex$/],
    ['neither topics nor topics.regex', without('topics'), /^topics: set exactly one of topics \(comma list\) and topics\.regex$/],
    ['missing name', without('name'), /^name: is required/],
    ['a name with a space', { ...base, name: 'my sink' }, /^name: may only contain letters, digits, "\.", "_" and "-" \(no "\/", spaces or control characters\)$/],
    ['a boolean that is not one', { ...base, 'batching.enabled': 'maybe' }, /^batching\.enabled: must be true or false: value was "maybe"$/],
    ['a property the sink manages', { ...base, 'kafka.enable.auto.commit': 'true' }, /^kafka\.enable\.auto\.commit: is managed by the sink/],
    ['a zero timeout', { ...base, 'http.timeout': 0 }, /^http\.timeout: must be a whole number from 1 to 3600(: value was 0)?$/],
    ['zero concurrency', { ...base, 'http.concurrency': 0 }, /^http\.concurrency: must be a whole number from 1 to 1024 or adaptive(: value was 0)?$/],
    ['an unknown ordering', { ...base, ordering: 'random' }, /^ordering: must be one of partition, key, none: value was "random"$/],
    ['a proxy host without a port', { ...base, 'http.proxy.host': 'proxy.local' }, /^http\.proxy\.port: http\.proxy\.host and http\.proxy\.port must be set together$/],
    ['a trust store that is not there', { ...base, 'http.ssl.truststore.location': '/etc/truststore.jks' }, /^http\.ssl\.truststore\.location: cannot read \/etc\/truststore\.jks \(ENOENT\)$/],
    ['another connector class', { ...base, 'connector.class': 'com.example.OtherSinkConnector' }, /^connector\.class: must be one of io\.aiven\.kafka\.connect\.http\.HttpSinkConnector, io\.confluent\.connect\.http\.HttpSinkConnector: value was "com\.example\.OtherSinkConnector"$/],
    ['a file that is not JSON', '{"name": "oops",', /^cannot read connector file .*bad\.json: /],
  ];

  // Concurrent (jest's default: 5 at a time), each reported on its own.
  it.concurrent.each(cases)('%s: exits 2 with one line naming the key, without consuming', async (_title, content, expected) => {
    const file = join(mkdtempSync(join(tmpdir(), 'bad-config-')), 'bad.json');
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    const { code, stderr } = await spawnSink(file, { KAFKA_BOOTSTRAP_SERVERS: bootstrap() }, 60_000).exited;
    const lines = stderr.trim().split('\n');
    expect({ code, lines: lines.length }).toEqual({ code: 2, lines: 1 });
    expect(lines[0]!).toMatch(/^config error: /);
    expect(lines[0]!.replace(/^config error: /, '')).toMatch(expected);
    expect(stderr).not.toContain('kafka source started');
  });
});

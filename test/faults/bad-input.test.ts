/** Bad records and bad connector files: a clear stop that names the record or the key, and nothing committed past it. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { produce } from '../../src/devtools/kafka-tools.js';
import { startReceiver } from '../../src/devtools/receiver.js';
import { SinkError } from '../../src/errors.js';
import { baseConnector, bootstrap, captureLog, committed, freshTopic, runConnector } from '../support/harness.js';
import { spawnSink } from './support/fault-kit.js';

const good = (i: number): string => JSON.stringify({ id: `g${i}`, measurement: i });

describe('faults: bad records with errors.tolerance=none', () => {
  const cases: [string, { value: string | null }, Record<string, unknown>, string, RegExp][] = [
    ['invalid JSON under JsonConverter', { value: '{"id": "broken",' }, { 'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': false }, 'DECODE_FAILED', /cannot decode value of topic \S+ partition 0 offset 5: invalid JSON/],
    ['a null value (tombstone)', { value: null }, {}, 'NULL_VALUE', /null value \(tombstone\) at topic \S+ partition 0 offset 5/],
    ['a value over the endpoint size limit (413)', { value: 'x'.repeat(20_000) }, {}, 'DELIVERY_FAILED', /topic \S+ partition 0 offset 5 after 1 attempt\(s\): HTTP 413/],
    ['a record the endpoint rejects (400)', { value: '{"id":"reject-me"}' }, {}, 'DELIVERY_FAILED', /topic \S+ partition 0 offset 5 after 1 attempt\(s\): HTTP 400: unknown field/],
  ];

  it.each(cases)('%s stops the pipeline with an error naming it and commits nothing past it', async (_name, bad, settings, code, message) => {
    const topic = await freshTopic('bad_record', 1);
    const values = [...[0, 1, 2, 3, 4].map(good), bad.value, ...[6, 7].map(good)];
    await produce(bootstrap(), topic, values.map((value) => ({ value })));
    const receiver = await startReceiver({
      respond: (request) => {
        const body = request.body.toString();
        if (body.length > 10_000) return { status: 413, body: 'too large' };
        if (body.includes('reject-me')) return { status: 400, body: 'unknown field' };
        return { status: 200 };
      },
    });
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
    expect(delivered).toEqual(['g0', 'g1', 'g2', 'g3', 'g4'].slice(0, delivered.length));
    const [offset] = await committed(name, topic, 1);
    expect(offset === -1001 ? 0 : offset).toBe(delivered.length);
  });
});

describe('faults: bad connector files', () => {
  const base = { name: 'bad_config', topics: 'never_consumed', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none' };
  const without = (key: keyof typeof base): Record<string, unknown> => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key));
  const cases: [string, Record<string, unknown> | string, RegExp][] = [
    ['missing http.url', without('http.url'), /^http\.url: is required/],
    ['the seed placeholder left in http.url', { ...base, 'http.url': 'SERVER_URL' }, /^http\.url: must be an absolute http:\/\/ or https:\/\/ URL/],
    ['a non-http URL', { ...base, 'http.url': 'ftp://example.com/x' }, /^http\.url: must be an absolute http/],
    ['an unknown authorization type', { ...base, 'http.authorization.type': 'kerberos' }, /^http\.authorization\.type: must be one of none, static, basic, oauth2/],
    ['missing authorization type', without('http.authorization.type'), /^http\.authorization\.type: is required/],
    ['static without a header', { ...base, 'http.authorization.type': 'static' }, /^http\.headers\.authorization: is required when http\.authorization\.type is static/],
    ['none with a header', { ...base, 'http.headers.authorization': 'Bearer x' }, /^http\.headers\.authorization: must not be set/],
    ['oauth2 without a token URL', { ...base, 'http.authorization.type': 'oauth2', 'oauth2.client.id': 'id', 'oauth2.client.secret': 's' }, /^oauth2\.access\.token\.url: /],
    ['negative retries', { ...base, 'max.retries': -1 }, /^max\.retries: must be a whole number from 0 to/],
    ['a zero batch size', { ...base, 'batch.max.size': 0 }, /^batch\.max\.size: must be a whole number from 1 to 1000000/],
    ['a batch size that is not a number', { ...base, 'batch.max.size': 'lots' }, /^batch\.max\.size: must be a whole number/],
    ['an unknown converter class', { ...base, 'value.converter': 'com.example.MagicConverter' }, /^value\.converter: must be one of org\.apache\.kafka\.connect\.storage\.StringConverter/],
    ['an unknown key', { ...base, 'http.urll': 'http://x' }, /^http\.urll: unknown key \(did you mean http\.url\?\)/],
    ['a wrong type (array)', { ...base, topics: ['a', 'b'] }, /^topics: must be a string, number or boolean, not an array/],
    ['an unreadable ${file:...}', { ...base, 'http.url': '${file:/nonexistent/sink.properties:url}' }, /^http\.url: \$\{file:\/nonexistent\/sink\.properties:url\}: cannot read/],
    ['an unset ${env:...}', { ...base, 'http.url': '${env:SINK_TEST_UNSET_VARIABLE}' }, /^http\.url: \$\{env:SINK_TEST_UNSET_VARIABLE\} is not set/],
    ['an unknown config provider', { ...base, 'http.url': '${vault:kv/sink:url}' }, /^http\.url: \$\{vault:\.\.\.\} uses an unknown config provider/],
    ['both topics and topics.regex', { ...base, 'topics.regex': 'iot_.*' }, /^topics: set exactly one of topics/],
    ['neither topics nor topics.regex', without('topics'), /^topics: set exactly one of topics/],
    ['missing name', without('name'), /^name: is required/],
    ['a name with a space', { ...base, name: 'my sink' }, /^name: may only contain/],
    ['a boolean that is not one', { ...base, 'batching.enabled': 'maybe' }, /^batching\.enabled: must be true or false/],
    ['a property the sink manages', { ...base, 'kafka.enable.auto.commit': 'true' }, /^kafka\.enable\.auto\.commit: is managed by the sink/],
    ['a zero timeout', { ...base, 'http.timeout': 0 }, /^http\.timeout: must be a whole number from 1/],
    ['zero concurrency', { ...base, 'http.concurrency': 0 }, /^http\.concurrency: must be/],
    ['an unknown ordering', { ...base, ordering: 'random' }, /^ordering: must be one of partition, key, none/],
    ['a proxy host without a port', { ...base, 'http.proxy.host': 'proxy.local' }, /^http\.proxy\.(host|port): /],
    ['a JKS truststore', { ...base, 'http.ssl.truststore.location': '/etc/truststore.jks' }, /^http\.ssl\.truststore\.location: .*PEM/],
    ['another connector class', { ...base, 'connector.class': 'io.confluent.connect.http.HttpSinkConnector' }, /^connector\.class: must be one of io\.aiven\.kafka\.connect\.http\.HttpSinkConnector/],
    ['a file that is not JSON', '{"name": "oops",', /^cannot read connector file .*bad\.json: /],
  ];

  it(`each of ${cases.length} broken files exits 2 with one line naming the key, without consuming`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-configs-'));
    const run = async ([title, content, expected]: (typeof cases)[number], index: number): Promise<void> => {
      const file = join(dir, `${index}`, 'bad.json');
      (await import('node:fs')).mkdirSync(join(dir, `${index}`));
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
      const { code, stderr } = await spawnSink(file, { KAFKA_BOOTSTRAP_SERVERS: bootstrap() }, 60_000).exited;
      const lines = stderr.trim().split('\n');
      expect({ title, code, lines: lines.length }).toEqual({ title, code: 2, lines: 1 });
      expect({ title, line: lines[0]!.replace(/^config error: /, '') }).toEqual({ title, line: expect.stringMatching(expected) });
      expect(stderr).not.toContain('kafka source started');
    };
    for (let i = 0; i < cases.length; i += 4) await Promise.all(cases.slice(i, i + 4).map((c, j) => run(c, i + j)));
  });
});

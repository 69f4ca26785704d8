import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/common/errors.js';
import { gunzipSync } from 'node:zlib';
import { buildRequest, buildRequests } from '../../src/request/request-builder.js';
import { parseAdditionalHeaders, type RequestOptions } from '../../src/request/request-config.js';
import { compileTemplate } from '../../src/request/template.js';
import { lastValueFrom, of } from 'rxjs';
import { stringConverter } from '../../src/decode/converter.js';
import { decode } from '../../src/decode/decode.js';
import { kafkaRecord, sinkRecord } from './fakes.js';

const batching: RequestOptions = { url: 'http://sink.test/ingest', headers: { 'X-Env': 'test' }, batching: true, prefix: '[', separator: ',', suffix: ']' };
const single: RequestOptions = { ...batching, batching: false };

const withValues = (...values: unknown[]) => values.map((value, offset) => sinkRecord({ offset, value }));

describe('buildRequest', () => {
  it('POSTs to the URL with the static headers and carries its records', () => {
    const records = withValues('a', 'b');

    const request = buildRequest(records, batching);

    expect(request).toMatchObject({ method: 'POST', url: 'http://sink.test/ingest', headers: { 'X-Env': 'test' } });
    expect(request.records).toEqual(records);
  });

  it('frames a batch with prefix, separator and suffix', () => {
    expect(buildRequest(withValues('a', 'b', 'c'), batching).body).toBe('[a,b,c]');
  });

  it('frames a batch of one without a separator', () => {
    expect(buildRequest(withValues('a'), { ...batching, prefix: '', separator: '\n', suffix: '\n' }).body).toBe('a\n');
  });

  it('renders decoded JSON values as compact JSON', () => {
    const body = buildRequest(withValues({ metric: 'Temperature', measurement: 21.5 }, [1, 2], 42, null), batching).body;

    expect(body).toBe('[{"metric":"Temperature","measurement":21.5},[1,2],42,null]');
    expect(JSON.parse(body as string)).toEqual([{ metric: 'Temperature', measurement: 21.5 }, [1, 2], 42, null]);
  });

  it('keeps Buffer values as bytes, framing them byte for byte', () => {
    const bytes = Buffer.from([0x00, 0xff, 0x10]);

    const body = buildRequest(withValues(bytes, 'text'), batching).body;

    expect(Buffer.isBuffer(body)).toBe(true);
    expect(body).toEqual(Buffer.concat([Buffer.from('['), bytes, Buffer.from(','), Buffer.from('text'), Buffer.from(']')]));
  });

  it('without batching sends the bare value, unframed', () => {
    expect(buildRequest(withValues('Temperature=21.5'), single).body).toBe('Temperature=21.5');
    expect(buildRequest(withValues({ a: 1 }), single).body).toBe('{"a":1}');
    const bytes = Buffer.from([1, 2, 3]);
    expect(buildRequest(withValues(bytes), single).body).toBe(bytes);
  });
});

describe('parseAdditionalHeaders', () => {
  it('reads comma-separated Name:value pairs, trimming spaces', () => {
    expect(parseAdditionalHeaders('X-Env:prod, X-Team : iot ')).toEqual({ 'X-Env': 'prod', 'X-Team': 'iot' });
  });

  it('splits at the first colon, so values may contain colons', () => {
    expect(parseAdditionalHeaders('X-Callback:http://h:8080/x,X-Time:12:30')).toEqual({ 'X-Callback': 'http://h:8080/x', 'X-Time': '12:30' });
  });

  it('gives no headers for an empty value and skips empty entries', () => {
    expect(parseAdditionalHeaders('')).toEqual({});
    expect(parseAdditionalHeaders('X-A:1,,')).toEqual({ 'X-A': '1' });
  });

  it('rejects a name given twice, ignoring case', () => {
    expect(() => parseAdditionalHeaders('X-Env:prod,x-env:test')).toThrow(ConfigError);
    expect(() => parseAdditionalHeaders('X-Env:prod,x-env:test')).toThrow(/^http\.headers\.additional: header x-env is given twice/);
    expect(() => parseAdditionalHeaders('x-env:prod,X-ENV:test')).toThrow(/^http\.headers\.additional: header X-ENV is given twice/);
  });

  it.each(['X-Env', ':value', 'Bad Name:value', 'X-Env=prod'])('rejects %j, which is not a Name:value pair', (text) => {
    expect(() => parseAdditionalHeaders(text)).toThrow(/^http\.headers\.additional: .* is not a Name:value pair/);
  });
});

describe('buildRequest refuses what would lose records', () => {
  it('throws when batching is off but a batch of several records arrives (a miswired custom pipeline)', () => {
    expect(() => buildRequest(withValues('a', 'b'), single)).toThrow('toRequest got 2 records with batching off');
  });

  it('throws on an empty batch', () => {
    expect(() => buildRequest([], batching)).toThrow('toRequest got 0 records');
  });
});

describe('buildRequests', () => {
  const keyed = (offset: number, key: string | null, value: unknown, headers: [string, string][] = []) =>
    sinkRecord({ offset, key, value, headers: headers.map(([k, v]) => ({ key: k, value: Buffer.from(v) })) });

  it('groups a batch by rendered URL, keeping order within each URL', () => {
    const requests = buildRequests([keyed(0, 'a', '1'), keyed(1, 'b', '2'), keyed(2, 'a', '3')], { ...batching, url: 'http://sink.test/${key}' });

    expect(requests.map((r) => [r.url, r.body])).toEqual([
      ['http://sink.test/a', '[1,3]'],
      ['http://sink.test/b', '[2]'],
    ]);
  });

  it('sends a tombstone as a DELETE of its own, after the records before it and before those after it', () => {
    const requests = buildRequests([keyed(0, 'a', 'x'), keyed(1, 'a', null), keyed(2, 'a', 'y')], { ...batching, url: 'http://sink.test/${key}', method: 'PUT' });

    expect(requests.map((r) => [r.method, r.url, r.body.toString(), r.records.map((x) => x.offset)])).toEqual([
      ['PUT', 'http://sink.test/a', '[x]', [0]],
      ['DELETE', 'http://sink.test/a', '', [1]],
      ['PUT', 'http://sink.test/a', '[y]', [2]],
    ]);
  });

  it('renders header templates, forwards Kafka headers by prefix and groups by the headers', () => {
    const options = { ...batching, headers: { 'X-Topic': '${topic}' }, forwardHeaderPrefix: 'x-trace' };
    const requests = buildRequests([keyed(0, null, '1', [['X-Trace-Id', 't1'], ['other', 'no']]), keyed(1, null, '2', [['X-Trace-Id', 't2']])], options);

    expect(requests.map((r) => r.headers)).toEqual([
      { 'X-Topic': 'iot', 'X-Trace-Id': 't1' },
      { 'X-Topic': 'iot', 'X-Trace-Id': 't2' },
    ]);
  });

  it('adds an idempotency key naming the topic, partition and offset range', () => {
    const [request] = buildRequests([keyed(5, null, 'a'), keyed(6, null, 'b')], { ...batching, idempotencyHeader: 'Idempotency-Key' });

    expect(request!.headers['Idempotency-Key']).toBe('iot/0/5-6');
  });

  it('gzips the body when asked', () => {
    const [request] = buildRequests([keyed(0, null, 'hello')], { ...single, compression: 'gzip' });

    expect(request!.headers['Content-Encoding']).toBe('gzip');
    expect(gunzipSync(request!.body as Buffer).toString()).toBe('hello');
  });

  it('writes json_array and ndjson bodies from strings, JSON text and objects', () => {
    const records = [keyed(0, null, '{"a": 1}'), keyed(1, null, 'plain'), keyed(2, null, { b: [2] })];

    expect(buildRequests(records, { ...batching, format: 'json_array' })[0]!.body).toBe('[{"a":1},"plain",{"b":[2]}]');
    expect(buildRequests(records, { ...batching, format: 'ndjson' })[0]!.body).toBe('{"a":1}\n"plain"\n{"b":[2]}\n');
  });
});

describe('parseAdditionalHeaders as JSON', () => {
  it('allows commas and colons in values', () => {
    expect(parseAdditionalHeaders('{"X-Tags": "a,b:c", "X-Env": "prod"}')).toEqual({ 'X-Tags': 'a,b:c', 'X-Env': 'prod' });
  });

  it('rejects a non-string value and a repeated name', () => {
    expect(() => parseAdditionalHeaders('{"X-N": 1}')).toThrow(ConfigError);
    expect(() => parseAdditionalHeaders('{"X-A": "1", "x-a": "2"}')).toThrow(/given twice/);
  });
});

describe('templated header values', () => {
  const templated: RequestOptions = { ...single, headers: { 'X-Device': '${value.device}' } };

  it.each([
    ['CR/LF', 'a\r\nInjected: 1', 'aInjected: 1'],
    ['a bare LF', 'a\nb', 'ab'],
    ['NUL, ESC and DEL', 'a\u0000b\u001bc\u007fd', 'abcd'],
    ['a tab', 'a\tb', 'ab'],
  ])('removes %s from the rendered value, even after the same template was compiled unsanitised', (_name, device, sent) => {
    // request-config compiles header templates without an encoder to check them: that must not be what headers use.
    compileTemplate('${value.device}');

    const request = buildRequest([sinkRecord({ offset: 0, value: { device } })], templated);

    expect(request.headers['X-Device']).toBe(sent);
    expect(Object.keys(request.headers)).toEqual(['X-Device']);
  });
});

describe('credentials in http.url', () => {
  it('leave the URL and become a Basic Authorization header, whichever transport sends it', async () => {
    const { connectorSettings } = await import('../../src/connector/connector-config.js');
    const settings = connectorSettings({ name: 'c', topics: 't', 'http.url': 'https://ingest:s3cr%3At@sink.test/in', 'http.authorization.type': 'none' });
    expect(settings.request.url).toBe('https://sink.test/in');
    expect(settings.request.headers.Authorization).toBe(`Basic ${Buffer.from('ingest:s3cr:t').toString('base64')}`);
  });

  it.each([
    'https://api.example.com?token=a@evil.example',
    'https://api.example.com#frag@evil.example',
    'https://api.example.com/path/a@b',
  ])('leave an @ after the host alone: %s keeps its host and gets no header', async (url) => {
    const { connectorSettings } = await import('../../src/connector/connector-config.js');
    const settings = connectorSettings({ name: 'c', topics: 't', 'http.url': url, 'http.authorization.type': 'none' });
    expect(settings.request.url).toBe(url);
    expect(settings.request.headers.Authorization).toBeUndefined();
  });
});

describe('bodies of StringConverter values', () => {
  const decodeStrings = (values: (string | Buffer)[]) =>
    lastValueFrom(of(values.map((value, offset) => kafkaRecord({ offset, value }))).pipe(decode({ key: stringConverter, value: stringConverter })));
  const ndjson: RequestOptions = { ...batching, prefix: '', separator: '\n', suffix: '\n' };

  it('carry the record bytes as they came from Kafka, framed', async () => {
    const records = await decodeStrings(['{"t":21.5}', 'naïve ✓']);

    const body = buildRequest(records, ndjson).body;

    expect(Buffer.isBuffer(body)).toBe(true);
    expect(Buffer.from(body).toString('utf8')).toBe('{"t":21.5}\nnaïve ✓\n');
    expect(buildRequest(records.slice(0, 1), single).body).toBe(records[0]!.raw.value);
  });

  it('follow a value an operator changed, not the bytes it came from', async () => {
    const [first, second] = await decodeStrings(['a', 'b']);
    const changed = [{ ...first!, value: 'A' }, { ...second!, value: { b: 1 } }];

    expect(Buffer.from(buildRequest(changed, ndjson).body).toString('utf8')).toBe('A\n{"b":1}\n');
    expect(buildRequest(changed.slice(0, 1), single).body).toBe('A');
  });

  it('send invalid UTF-8 as Java reads it (U+FFFD), never the raw bytes', async () => {
    const [record] = await decodeStrings([Buffer.from([0x61, 0xff, 0x62])]);

    expect(record!.valueText).toBeUndefined();
    expect(Buffer.from(buildRequest([record!], ndjson).body).toString('utf8')).toBe('a\uFFFDb\n');
    expect(buildRequest([record!], single).body).toBe('a\uFFFDb');
  });
});

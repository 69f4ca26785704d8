import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { lastValueFrom, of } from 'rxjs';
import { Secret } from '../../src/common/config/secret.js';
import { stringConverter } from '../../src/decode/converter.js';
import { createRegistryClient, type RawSchema, type RegistryClientOptions } from '../../src/decode/registry-client.js';
import { compileSchema } from '../../src/decode/compile-schema.js';
import { registryConverter } from '../../src/decode/registry-converter.js';
import { BadDataError, DecodeError, SchemaRegistryError } from '../../src/common/errors.js';
import { makeTestCerts } from '../support/certs.js';
import { decode } from '../../src/decode/decode.js';
import type { KafkaRecord } from '../../src/records/record.js';
import { startTestRegistry, type TestRegistry } from '../support/schema-registry.js';
import { kafkaRecord } from './fakes.js';

const USER = 'sr-user';
const PASSWORD = 'pa:ss:word'; // colons after the first belong to the password
const SCHEMA = { type: 'record', name: 'Reading', namespace: 'iot', fields: [{ name: 'id', type: 'int' }, { name: 'metric', type: 'string' }] };

describe('schema registry client and converter (a registry on 127.0.0.1)', () => {
  let registry: TestRegistry | undefined;
  afterEach(async () => {
    await registry?.close();
  });

  async function setUp(): Promise<{ registry: TestRegistry; id: number; encode: (value: object) => Promise<Buffer>; options: RegistryClientOptions }> {
    registry = await startTestRegistry({ username: USER, password: PASSWORD });
    const producer = new SchemaRegistry({ host: registry.url, auth: { username: USER, password: PASSWORD } });
    const { id } = await producer.register({ type: SchemaType.AVRO, schema: JSON.stringify(SCHEMA) }, { subject: 'iot-value' });
    const options: RegistryClientOptions = {
      url: registry.url,
      username: USER,
      password: new Secret(PASSWORD),
      credentialsKey: 'value.converter.schema.registry.basic.auth.user.info',
      backoff: { policy: 'fixed', baseMs: 20, maxMs: 20 },
    };
    return { registry, id, encode: (value) => producer.encode(id, value), options };
  }

  it('fetches a schema once however many records miss it at the same time, then answers from the cache', async () => {
    const { registry, id, encode, options } = await setUp();
    registry.delayMs = 50;
    const convert = registryConverter('AVRO', 'AvroConverter', createRegistryClient(options, (raw) => compileSchema(raw, 'BASE64')));
    const bytes = await encode({ id: 1, metric: 'Temperature' });

    const first = await Promise.all(Array.from({ length: 20 }, (_, i) => convert(bytes, { topic: 't', partition: 0, offset: i })));
    const later = convert(bytes, { topic: 't', partition: 0, offset: 99 });

    expect(first.every((v) => JSON.stringify(v) === '{"id":1,"metric":"Temperature"}')).toBe(true);
    expect(later).toEqual({ id: 1, metric: 'Temperature' }); // synchronous: no Promise
    expect(registry.idFetches.get(id)).toBe(1);
  });

  it('waits for a registry that is down, retrying with backoff, and decodes once it is back', async () => {
    const { registry, encode, options } = await setUp();
    const bytes = await encode({ id: 2, metric: 'Humidity' });
    await registry.stop();
    const warnings: string[] = [];
    const log = { warn: (message: string) => warnings.push(message) } as never;
    const convert = registryConverter('AVRO', 'AvroConverter', createRegistryClient(options, (raw) => compileSchema(raw, 'BASE64')));

    const pending = convert(bytes, { topic: 't', partition: 0, offset: 0 }, { log }) as Promise<unknown>;
    await new Promise((resolve) => setTimeout(resolve, 200));
    await registry.start();

    await expect(pending).resolves.toEqual({ id: 2, metric: 'Humidity' });
    expect(warnings.length).toBeGreaterThanOrEqual(2);
  });

  it('retries a "not found" that comes right after the registry was unreachable (a restart still loading its schemas), and decodes once it answers (issue 20)', async () => {
    const { registry, id, encode, options } = await setUp();
    const bytes = await encode({ id: 3, metric: 'Pressure' });
    await registry.stop();
    const warnings: string[] = [];
    const log = { warn: (message: string) => warnings.push(message) } as never;
    const convert = registryConverter('AVRO', 'AvroConverter', createRegistryClient(options, (raw) => compileSchema(raw, 'BASE64')));

    const pending = convert(bytes, { topic: 't', partition: 0, offset: 0 }, { log }) as Promise<unknown>;
    await new Promise((resolve) => setTimeout(resolve, 100)); // connection refused meanwhile
    registry.forceReply = { status: 404, body: { error_code: 40403, message: `Schema ${id} not found` } };
    await registry.start();
    await new Promise((resolve) => setTimeout(resolve, 200)); // "not found" meanwhile
    registry.forceReply = undefined;

    await expect(pending).resolves.toEqual({ id: 3, metric: 'Pressure' });
    expect(registry.log.filter((line) => line === `GET /schemas/ids/${id} 404`).length).toBeGreaterThanOrEqual(2);
    expect(warnings.some((w) => w.includes('not found'))).toBe(true);
  });

  it('believes a "not found" once the registry has answered for longer than notFoundAfterOutageMs (a bad record, not a stop)', async () => {
    const { registry, id, encode, options } = await setUp();
    const bytes = await encode({ id: 4, metric: 'Pressure' });
    await registry.stop();
    const convert = registryConverter('AVRO', 'AvroConverter', createRegistryClient({ ...options, notFoundAfterOutageMs: 150 }, (raw) => compileSchema(raw, 'BASE64')));

    const started = Date.now();
    const pending = convert(bytes, { topic: 't', partition: 0, offset: 0 }) as Promise<unknown>;
    pending.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 60));
    registry.forceReply = { status: 404, body: { error_code: 40403, message: `Schema ${id} not found` } };
    await registry.start();

    await expect(pending).rejects.toBeInstanceOf(BadDataError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(registry.log.filter((line) => line === `GET /schemas/ids/${id} 404`).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses wrong credentials with a SchemaRegistryError naming the key, not the password', async () => {
    const { encode, options } = await setUp();
    const bytes = await encode({ id: 3, metric: 'x' });
    const convert = registryConverter('AVRO', 'AvroConverter', createRegistryClient({ ...options, password: new Secret('wrong-secret') }, (raw) => compileSchema(raw, 'BASE64')));

    const error = await (convert(bytes, { topic: 't', partition: 0, offset: 0 }) as Promise<unknown>).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect(error).toMatchObject({ code: 'SCHEMA_REGISTRY', retriable: false, status: 401 });
    expect((error as Error).message).toContain('refused the credentials; check value.converter.schema.registry.basic.auth.user.info');
    expect((error as Error).message).not.toContain('wrong-secret');
  });

  it('makes an unknown schema id a bad record (DecodeError), and a refused credential a pipeline stop even with a dead-letter queue', async () => {
    const { options } = await setUp();
    const client = createRegistryClient(options, (raw) => compileSchema(raw, 'BASE64'));
    const unknown = Buffer.from([0, 0, 0, 0, 77, 2]);
    const records: KafkaRecord[] = [kafkaRecord({ offset: 0, value: unknown })];
    const handled: number[] = [];
    const deadLetters = { handle: async (failed: readonly { record: { offset: number } }[]) => void handled.push(...failed.map((f) => f.record.offset)) };

    const stopped = await lastValueFrom(of(records).pipe(decode({ key: stringConverter, value: registryConverter('AVRO', 'AvroConverter', client) }))).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(DecodeError);
    expect((stopped as Error).message).toBe(`cannot decode value of topic iot partition 0 offset 0: schema id 77 is not in the schema registry ${options.url} (HTTP 404, error_code 40403)`);

    const refused = registryConverter('AVRO', 'AvroConverter', createRegistryClient({ ...options, password: new Secret('nope') }, (raw) => compileSchema(raw, 'BASE64')));
    const fatal = await lastValueFrom(of(records).pipe(decode({ key: stringConverter, value: refused, onError: 'dlq', deadLetters: deadLetters as never }))).catch((e: unknown) => e);
    expect(fatal).toBeInstanceOf(SchemaRegistryError);
    expect(handled).toEqual([]);
  });

  it('keeps a poll in order when some records wait for their schema and some fail', async () => {
    const { encode, options } = await setUp();
    const convert = registryConverter('AVRO', 'AvroConverter', createRegistryClient(options, (raw) => compileSchema(raw, 'BASE64')));
    const good = await encode({ id: 4, metric: 'ok' });
    const records = [kafkaRecord({ offset: 0, value: good }), kafkaRecord({ offset: 1, value: '{"not":"avro"}' }), kafkaRecord({ offset: 2, value: good })];
    const handled: number[] = [];
    const deadLetters = { handle: async (failed: readonly { record: { offset: number } }[]) => void handled.push(...failed.map((f) => f.record.offset)) };

    const out = await lastValueFrom(of(records).pipe(decode({ key: stringConverter, value: convert, onError: 'dlq', deadLetters: deadLetters as never })));

    expect(out.map((r) => [r.offset, r.value])).toEqual([[0, { id: 4, metric: 'ok' }], [2, { id: 4, metric: 'ok' }]]);
    expect(handled).toEqual([1]);
  });

  const parking = () => {
    const parked: number[] = [];
    return { parked, deadLetters: { handle: async (failed: readonly { record: { offset: number } }[]) => void parked.push(...failed.map((f) => f.record.offset)) } as never };
  };

  it('stops on a 404 without Confluent\'s error_code 40403 (wrong base path, a proxy), even with a dead-letter queue (regression: every record was dead-lettered)', async () => {
    const { registry, encode, options } = await setUp();
    const bytes = await encode({ id: 5, metric: 'x' });
    const { parked, deadLetters } = parking();
    const run = (client: ReturnType<typeof createRegistryClient>) =>
      lastValueFrom(of([kafkaRecord({ offset: 0, value: bytes })]).pipe(decode({ key: stringConverter, value: registryConverter('AVRO', 'AvroConverter', client as never), onError: 'dlq', deadLetters }))).catch((e: unknown) => e);
    const compile = (raw: RawSchema) => compileSchema(raw, 'BASE64');

    const wrongPath = await run(createRegistryClient({ ...options, url: `${registry.url}/not-the-registry`, urlKey: 'value.converter.schema.registry.url' }, compile));
    registry.forceReply = { status: 404, body: '<html>Not Found</html>' };
    const proxy = await run(createRegistryClient(options, compile));

    for (const error of [wrongPath, proxy]) expect(error).toMatchObject({ name: 'SchemaRegistryError', status: 404, retriable: false });
    expect((wrongPath as Error).message).toContain('is value.converter.schema.registry.url the registry\'s base URL?');
    expect((proxy as Error).message).toContain('HTTP 404 (no Confluent error_code) for GET /schemas/ids/');
    expect(parked).toEqual([]);
  });

  it('stops with a non-retriable error when the registry answers something unusable, rather than a bad record', async () => {
    const { registry, options } = await setUp();
    const auth = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    const response = await fetch(`${registry.url}/subjects/x/versions`, { method: 'POST', headers: { authorization: auth }, body: JSON.stringify({ schema: '<x/>', schemaType: 'XML' }) });
    const { id } = (await response.json()) as { id: number };
    const client = createRegistryClient(options, (raw) => compileSchema(raw, 'BASE64'));

    const error = await client.load(id).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect(error).toMatchObject({ retriable: false, message: expect.stringContaining('unknown schemaType XML') });
  });

  it('asks the registry once for an unknown id however many records carry it, while the answer is fresh', async () => {
    const { registry, options } = await setUp();
    const client = createRegistryClient({ ...options, notFoundTtlMs: 60_000 }, (raw) => compileSchema(raw, 'BASE64'));
    const { parked, deadLetters } = parking();
    const unknown = Buffer.from([0, 0, 0, 0, 77, 2]);
    const polls = [0, 1, 2, 3].map((offset) => [kafkaRecord({ offset, value: unknown })]);

    for (const poll of polls) await lastValueFrom(of(poll).pipe(decode({ key: stringConverter, value: registryConverter('AVRO', 'AvroConverter', client), onError: 'dlq', deadLetters })));

    expect(parked).toEqual([0, 1, 2, 3]);
    expect(registry.idFetches.get(77)).toBe(1);
    await expect(client.load(77)).rejects.toBeInstanceOf(BadDataError);
    // Once known to be unknown, the converter throws at once rather than returning a Promise (the slow path).
    expect(() => registryConverter('AVRO', 'AvroConverter', client)(unknown, polls[0]![0]!)).toThrow(BadDataError);
  });

  it('ends its retries when closed (regression: a stopped pipeline kept calling the registry forever)', async () => {
    const { registry, encode, options } = await setUp();
    const bytes = await encode({ id: 6, metric: 'x' });
    registry.forceReply = { status: 503, body: { error_code: 50301, message: 'overloaded' } };
    const warnings: string[] = [];
    const log = { warn: (message: string) => warnings.push(message) } as never;
    const client = createRegistryClient(options, (raw) => compileSchema(raw, 'BASE64'));
    const pending = registryConverter('AVRO', 'AvroConverter', client)(bytes, { topic: 't', partition: 0, offset: 0 }, { log }) as Promise<unknown>;
    pending.catch(() => {});
    for (let i = 0; i < 100 && warnings.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(warnings.length).toBeGreaterThanOrEqual(2);

    client.close();
    await expect(pending).rejects.toThrow('the client was closed (the pipeline stopped)');
    const requests = registry.log.length;
    await new Promise((resolve) => setTimeout(resolve, 200)); // ten backoff periods

    expect(registry.log.length).toBe(requests);
  });

  it('retries a 503 with Confluent\'s error_code through got, with a warning per attempt, and decodes once the registry answers', async () => {
    const { registry, encode, options } = await setUp();
    const bytes = await encode({ id: 7, metric: 'y' });
    registry.forceReply = { status: 503, body: { error_code: 50301, message: 'overloaded' } };
    const warnings: { message: string; meta: { error: string } }[] = [];
    const log = { warn: (message: string, meta: { error: string }) => warnings.push({ message, meta }) } as never;
    const client = createRegistryClient(options, (raw) => compileSchema(raw, 'BASE64'));
    const pending = registryConverter('AVRO', 'AvroConverter', client)(bytes, { topic: 't', partition: 0, offset: 0 }, { log }) as Promise<unknown>;
    for (let i = 0; i < 100 && warnings.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    registry.forceReply = undefined;

    await expect(pending).resolves.toEqual({ id: 7, metric: 'y' });
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings[0]!.meta.error).toContain('HTTP 503 fetching schema id 1: overloaded');
    client.close();
  });

  it('stops at once on an untrusted registry certificate, naming the CA key (regression: retried forever)', async () => {
    const certs = makeTestCerts();
    try {
      registry = await startTestRegistry({ username: USER, password: PASSWORD, tls: { cert: readFileSync(certs.serverCertFile), key: readFileSync(certs.serverKeyFile) } });
      const caKey = 'value.converter.schema.registry.ssl.ca.location';
      const options: RegistryClientOptions = { url: registry.url, username: USER, password: new Secret(PASSWORD), credentialsKey: 'k', caKey, backoff: { policy: 'fixed', baseMs: 20, maxMs: 20 } };

      const untrusted = await createRegistryClient(options, (raw) => compileSchema(raw, 'BASE64')).load(1).catch((e: unknown) => e);
      const trusted = await createRegistryClient({ ...options, ca: certs.ca }, (raw) => compileSchema(raw, 'BASE64')).load(1).catch((e: unknown) => e);

      expect(untrusted).toBeInstanceOf(SchemaRegistryError);
      expect(untrusted).toMatchObject({ retriable: false, message: expect.stringMatching(/TLS certificate is not trusted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY): .*\); set value\.converter\.schema\.registry\.ssl\.ca\.location to the PEM file/) });
      expect(trusted).toBeInstanceOf(BadDataError); // the CA is trusted: the registry answered (id 1 is unknown there)
    } finally {
      certs.remove();
    }
  });
});

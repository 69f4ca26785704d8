import { describe, expect, it } from '@jest/globals';
import { lastValueFrom, of, toArray } from 'rxjs';
import { noAuthorization } from '../../src/deliver/auth/authorizer.js';
import { DeadLetterError, DecodeError, DeliveryError, HttpStatusError } from '../../src/common/errors.js';
import { post, type PostOptions } from '../../src/deliver/post.js';
import { createDeadLetters, deadLetterMessage, type DeadLetterMessage, type DeadLetterProducer, type DeadLetters, type FailedRecord } from '../../src/outcomes/dead-letters.js';
import type { Send } from '../../src/deliver/http-service.js';
import { reportMessages } from '../../src/outcomes/reporter.js';
import type { HttpRequest } from '../../src/request/request.js';
import { defaultStatusPolicy, type StatusPolicy } from '../../src/deliver/status-policy.js';
import { captureLog } from '../support/harness.js';
import { sinkRecord } from './fakes.js';

const record = (offset: number) =>
  sinkRecord({ offset, headers: [{ key: 'trace', value: Buffer.from(`t${offset}`) }], raw: { key: Buffer.from(`k${offset}`), value: Buffer.from(`v${offset}`) } });

const options = { connector: 'iot-sink', topic: 'iot-dlq', contextHeaders: true, logErrors: false, logMessages: false };

function recordingProducer(fail?: Error): DeadLetterProducer & { written: { topic: string; messages: readonly DeadLetterMessage[] }[] } {
  const written: { topic: string; messages: readonly DeadLetterMessage[] }[] = [];
  return {
    written,
    produce: async (topic, messages) => {
      if (fail) throw fail;
      written.push({ topic, messages });
    },
    close: async () => {},
  };
}

const headerMap = (m: DeadLetterMessage): Record<string, string> => Object.assign({}, ...m.headers.map((h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.toString()]))));

describe('deadLetterMessage', () => {
  it('keeps the original key, value and headers and adds the Kafka Connect context and the HTTP outcome', () => {
    const failed: FailedRecord = { record: record(4), error: new DeliveryError([record(4)], 2, new HttpStatusError(422, 'bad field', false)) };

    const message = deadLetterMessage(failed, options);

    expect(message.key).toEqual(Buffer.from('k4'));
    expect(message.value).toEqual(Buffer.from('v4'));
    expect(headerMap(message)).toEqual({
      trace: 't4',
      '__connect.errors.topic': 'iot',
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '4',
      '__connect.errors.connector.name': 'iot-sink',
      '__connect.errors.task.id': '0',
      '__connect.errors.stage': 'TASK_PUT',
      '__connect.errors.class.name': 'kafka-http-sink',
      '__connect.errors.exception.class.name': 'HttpStatusError',
      '__connect.errors.exception.message': 'HTTP 422: bad field',
      '__connect.errors.http.status': '422',
      '__connect.errors.http.response.body': 'bad field',
    });
  });

  it('names the converter stage of a decode failure and adds no context without the setting', () => {
    const failed: FailedRecord = { record: record(1), error: new DecodeError(record(1), 'key', 'invalid JSON') };

    expect(headerMap(deadLetterMessage(failed, options))['__connect.errors.stage']).toBe('KEY_CONVERTER');
    expect(headerMap(deadLetterMessage(failed, { ...options, contextHeaders: false }))).toEqual({ trace: 't1' });
  });

  it('cuts a long response body to 1 KB', () => {
    const failed: FailedRecord = { record: record(1), error: new HttpStatusError(400, 'x'.repeat(5000), false) };

    expect(headerMap(deadLetterMessage(failed, options))['__connect.errors.http.response.body']).toHaveLength(1027);
  });
});

describe('createDeadLetters', () => {
  it('writes every record and logs each one with errors.log.enable, the messages only when asked', async () => {
    const producer = recordingProducer();
    const { log, lines } = captureLog();
    const failed = [0, 1].map((o) => ({ record: record(o), error: new HttpStatusError(400, '', false) }));

    await createDeadLetters({ ...options, logErrors: true, logMessages: true }, producer, log).handle(failed, 'dlq');

    expect(producer.written).toHaveLength(1);
    expect(producer.written[0]!.messages.map((m) => m.value?.toString())).toEqual(['v0', 'v1']);
    expect(lines.filter((l) => l.includes('record failed') && l.includes('"value":"v1"'))).toHaveLength(1);
  });

  it('turns a producer failure into a DeadLetterError naming the records', async () => {
    const failing = createDeadLetters(options, recordingProducer(new Error('Broker: Unknown topic')), captureLog().log);

    const error = await failing.handle([{ record: record(3), error: new HttpStatusError(400, '', false) }], 'dlq').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DeadLetterError);
    expect(error).toMatchObject({ code: 'DEAD_LETTER', message: 'cannot write topic iot partition 0 offset 3 to dead-letter topic iot-dlq: Broker: Unknown topic' });
  });
});

describe('post with a dead-letter policy', () => {
  const request = (offsets: number[]): HttpRequest => ({ method: 'POST', url: 'http://sink.test/', headers: {}, body: 'x', records: offsets.map(record) });
  const answering = (status: number): Send => async () => ({ status, headers: {}, body: `status ${status}` });
  const run = (send: Send, policy: StatusPolicy, deadLetters?: DeadLetters) => {
    const opts: PostOptions = { send, authorizer: noAuthorization, policy, retry: { maxRetries: 1, delayMs: 1 }, concurrency: 2, keyOf: () => undefined, deadLetters };
    return lastValueFrom(of(request([5, 6, 7])).pipe(post(opts), toArray()));
  };
  const recording = (): DeadLetters & { handled: [number[], string][] } => {
    const handled: [number[], string][] = [];
    return { handled, handle: async (failed, action) => void handled.push([failed.map((f) => f.record.offset), action]) };
  };

  it('hands every record of a failed batch to the dead letters, then emits it as dead-lettered', async () => {
    const deadLetters = recording();

    const [delivery] = await run(answering(400), { ...defaultStatusPolicy, otherwise: 'dlq' }, deadLetters);

    expect(deadLetters.handled).toEqual([[[5, 6, 7], 'dlq']]);
    expect(delivery).toMatchObject({ outcome: 'dead-lettered', attempts: 1, response: { status: 400 } });
    expect(delivery!.records.map((r) => r.offset)).toEqual([5, 6, 7]);
  });

  it('sends records whose retries ran out where errors.tolerance says', async () => {
    const deadLetters = recording();

    const [delivery] = await run(answering(503), { ...defaultStatusPolicy, onError: 'drop' }, deadLetters);

    expect(deadLetters.handled).toEqual([[[5, 6, 7], 'drop']]);
    expect(delivery).toMatchObject({ outcome: 'dropped', attempts: 2 });
  });

  it('fails when the policy says dlq but there is no dead-letter handler, and when the handler fails', async () => {
    await expect(run(answering(400), { ...defaultStatusPolicy, otherwise: 'dlq' })).rejects.toBeInstanceOf(DeliveryError);
    const broken: DeadLetters = { handle: () => Promise.reject(new DeadLetterError('dlq', [], 'broker down')) };
    await expect(run(answering(400), { ...defaultStatusPolicy, otherwise: 'dlq' }, broken)).rejects.toBeInstanceOf(DeadLetterError);
  });
});

describe('reportMessages', () => {
  it('gives one record per input record with the status, the cut body and the input coordinates', () => {
    const records = [record(1), record(2)];
    const request: HttpRequest = { method: 'POST', url: 'http://sink.test/', headers: {}, body: 'x', records };

    const messages = reportMessages({ request, records, attempts: 2, outcome: 'delivered', response: { status: 200, headers: {}, body: 'abcdef' } }, 3);

    expect(messages.map((m) => [m.key?.toString(), JSON.parse(m.value!.toString()), headerMap(m)])).toEqual([1, 2].map((o) => [
      `k${o}`,
      { status: 200, body: 'abc', attempts: 2 },
      { 'input.topic': 'iot', 'input.partition': '0', 'input.offset': String(o), 'input.key': `k${o}` },
    ]));
  });
});

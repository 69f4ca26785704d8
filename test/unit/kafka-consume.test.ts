/** The consume path: lean when the patched addon is there, standard otherwise, over the slab budget, or when turned off. */
import { describe, expect, it } from '@jest/globals';
import rdkafka from 'node-rdkafka';
import type { KafkaConsumer, Message } from 'node-rdkafka';
import { FlowControl } from '../../src/source/flow-control.js';
import { KafkaConsume, nativeConsumeBatch } from '../../src/source/kafka-consume.js';
import { PollRecords } from '../../src/source/poll-records.js';
import type { NativeBatch } from '../../src/source/slab-batch.js';
import { ackRecords, type KafkaRecord } from '../../src/records/record.js';
import { captureLog } from '../support/harness.js';
import { encodeBatch } from './slab-encoder.js';

/** A consumer with node-rdkafka's two ways to poll: `consume(n)` (messages) and the native `consumeBatch` (slabs). */
function consumerWith(batches: (NativeBatch | { message: string; code: number })[], lean = true): { consumer: KafkaConsumer; calls: string[] } {
  const calls: string[] = [];
  const consumeBatch = (_timeout: number, max: number, maxBytes: number, done: (err: unknown, batch?: NativeBatch) => void): void => {
    calls.push(`batch ${max} ${maxBytes}`);
    const next = batches.shift()!;
    setImmediate(() => ('count' in next ? done(null, next) : done(next)));
  };
  const message: Message = { topic: 't', partition: 0, offset: 100, value: Buffer.from('std'), size: 3, timestamp: 1 };
  const consumer = {
    _client: lean ? { consumeBatch } : {},
    setDefaultConsumeTimeout: () => {},
    consume: (max: number, done: (err: unknown, messages: Message[]) => void) => {
      calls.push(`consume ${max}`);
      setImmediate(() => done(null, [{ ...message, offset: message.offset++ }]));
    },
    emit: (event: string, payload: unknown) => calls.push(`${event} ${JSON.stringify(payload)}`),
  };
  return { consumer: consumer as unknown as KafkaConsumer, calls };
}

const poll = (reader: KafkaConsume, max = 10): Promise<{ err?: { message: string; code: number }; records: KafkaRecord[]; read: number }> =>
  new Promise((resolve) => reader.poll(max, 5, (err, records, read) => resolve({ err, records, read })));

const newReader = (consumer: KafkaConsumer, options: ConstructorParameters<typeof KafkaConsume>[3] = {}): { reader: KafkaConsume; lines: string[] } => {
  const { log, lines } = captureLog('debug');
  return { reader: new KafkaConsume(consumer, new PollRecords(new FlowControl(1000), () => {}, log), log, { env: {}, ...options }), lines };
};

describe('KafkaConsume', () => {
  it('reads through consumeBatch when the addon has it, says so at debug, and passes partition ends on', async () => {
    const { consumer, calls } = consumerWith([encodeBatch([{ topic: 't', partition: 0, offset: 0, value: 'a' }], [{ topic: 't', partition: 0, offset: 1, messageIndex: 0 }])]);
    const { reader, lines } = newReader(consumer);
    expect(reader.path).toBe('lean');
    expect(lines.join('')).toContain('kafka source reads through the lean consume path');
    const { records, read } = await poll(reader);
    expect([records.map((r) => r.value!.toString()), read]).toEqual([['a'], 1]);
    expect(calls).toEqual([`batch 10 ${4 * 1024 * 1024}`, 'partition.eof {"topic":"t","partition":0,"offset":1}']);
  });

  it('hands a native error over as node-rdkafka does (code and message)', async () => {
    const { consumer } = consumerWith([{ message: 'Local: Broker transport failure', code: rdkafka.CODES.ERRORS.ERR__TRANSPORT }]);
    const { err, records } = await poll(newReader(consumer).reader);
    expect([err?.message, err?.code]).toEqual(['Local: Broker transport failure', rdkafka.CODES.ERRORS.ERR__TRANSPORT]);
    expect(records).toEqual([]);
  });

  it('takes the standard path while slabs with records in the pipeline pass the budget, and the lean one once acks free them', async () => {
    const big = encodeBatch([{ topic: 't', partition: 0, offset: 0, value: 'x'.repeat(64) }]);
    const { consumer, calls } = consumerWith([big, encodeBatch([{ topic: 't', partition: 0, offset: 200, value: 'y' }])]);
    const { reader, lines } = newReader(consumer, { budget: 64 });
    const first = await poll(reader);
    const second = await poll(reader); // 64 bytes pinned: at the budget
    expect(second.records.map((r) => r.value!.toString())).toEqual(['std']);
    ackRecords(first.records);
    const third = await poll(reader);
    expect(third.records.map((r) => r.offset)).toEqual([200]);
    expect(calls.map((c) => c.split(' ')[0])).toEqual(['batch', 'consume', 'batch']);
    expect(lines.join('')).toContain('slabs over budget');
  });

  it('reads through consume(n) without the patch, or with KAFKA_HTTP_SINK_LEAN_CONSUME=off', async () => {
    for (const [consumer, env, why] of [
      [consumerWith([], false).consumer, {}, 'not built'],
      [consumerWith([]).consumer, { KAFKA_HTTP_SINK_LEAN_CONSUME: 'off' }, 'KAFKA_HTTP_SINK_LEAN_CONSUME=off'],
    ] as const) {
      const { reader, lines } = newReader(consumer, { env });
      expect(reader.path).toBe('standard');
      expect(lines.join('')).toContain(why);
      expect((await poll(reader)).records.map((r) => r.value!.toString())).toEqual(['std']);
    }
  });
});

// CI sets REQUIRE_LEAN_CONSUME=1: the installed node-rdkafka must then have the patch built (postinstall,
// scripts/patch-node-rdkafka.mjs). Elsewhere its absence is reported, not failed: the sink runs without it.
describe('the installed node-rdkafka', () => {
  it('has the lean-consume patch built (required when REQUIRE_LEAN_CONSUME=1)', () => {
    const consumer = new rdkafka.KafkaConsumer({ 'group.id': 'lean-check', 'bootstrap.servers': '127.0.0.1:9' }, {});
    const present = nativeConsumeBatch(consumer) !== undefined;
    if (!present && process.env.REQUIRE_LEAN_CONSUME !== '1') {
      process.stderr.write('\nnode-rdkafka has no consumeBatch (the lean-consume patch is not built): REQUIRE_LEAN_CONSUME=1 makes this a failure\n');
      return;
    }
    expect(present).toBe(true);
  });
});

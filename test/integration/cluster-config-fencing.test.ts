/**
 * Config writes are fenced (docs/cluster.md): a leader that lost its lease with a config write in flight cannot get
 * that record into what the workers read once the next leader fenced in, and a write it makes later fails.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import rdkafka from 'node-rdkafka';
import { ConfigLog } from '../../src/worker/cluster/config-log.js';
import { FencedWriter } from '../../src/worker/cluster/fenced-writer.js';
import { bootstrap, captureLog, freshTopic } from '../support/harness.js';

const config = (name: string): string => JSON.stringify({ name, 'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector', topics: 't', 'http.url': 'http://127.0.0.1:1' });

/** `call` as a promise; its error (a rejection) carries librdkafka's message. */
function promised(call: (done: (err: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => call((err) => (err ? reject(err instanceof Error ? err : new Error(String((err as { message?: unknown }).message ?? err))) : resolve())));
}

describe('fenced config writes', () => {
  it('drops the write of a leader fenced out mid-transaction, and refuses its later writes', async () => {
    const topic = await freshTopic('config_fencing', 1);
    const kafka = { 'bootstrap.servers': bootstrap() };
    const transactionalId = `cluster-${randomBytes(4).toString('hex')}-config-writer`;
    const { log } = captureLog();

    // the old leader: its writer fenced in, a transaction open with one record sent (acknowledged, not committed)
    const old = new rdkafka.Producer({ ...kafka, 'transactional.id': transactionalId, dr_cb: true }, { acks: -1 });
    await promised((done) => old.connect({ timeout: 30_000 }, done));
    old.setPollInterval(10);
    await promised((done) => old.initTransactions(30_000, done));
    await promised((done) => old.beginTransaction(done));
    const sent = new Promise<void>((resolve) => old.once('delivery-report', () => resolve()));
    old.produce(topic, 0, Buffer.from(config('zombie')), 'connector-zombie');
    await sent;

    // the new leader fences, reads to the end (not held back by the open transaction: it was aborted), and writes
    const writer = new FencedWriter(kafka, transactionalId);
    const store = new ConfigLog({ kafka, topic, producer: writer, log, writeTimeoutMs: 15_000 });
    await store.start();
    await writer.fence(1);
    await store.readToEnd();
    await store.save(new Map([['fresh', { config: JSON.parse(config('fresh')) as Record<string, unknown>, paused: false }]]), ['fresh']);

    // the old leader wakes: its commit fails
    await expect(promised((done) => old.commitTransaction(30_000, done))).rejects.toThrow(/fenced|epoch/i);
    await new Promise<void>((resolve) => old.disconnect(() => resolve()));

    // leadership moves on again: the writer of the leader before is fenced out, its next write fails and is not read
    const next = new FencedWriter(kafka, transactionalId);
    await next.fence(1);
    await expect(writer.write(topic, 'connector-late', config('late'))).rejects.toThrow(/fenced|epoch|transaction/i);
    await next.drop();

    // what every worker reads: the new leader's record, never the old leader's nor the fenced one
    const reader = new ConfigLog({ kafka, topic, producer: writer, log });
    await reader.start();
    await reader.readToEnd();
    expect([...reader.load().keys()]).toEqual(['fresh']);
    expect([...store.load().keys()]).toEqual(['fresh']);
    await Promise.all([reader.close(), store.close(), writer.drop()]);
  }, 120_000);
});

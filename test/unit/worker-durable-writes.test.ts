/**
 * REST changes answer only once the state store has them: in cluster mode once the config-topic record was
 * acknowledged and read back by this worker; a save that fails answers 500 naming the connector and the cause, and
 * leaves the worker as the store has it. Without a broker: a scripted producer and reader.
 */
import { describe, expect, it } from '@jest/globals';
import { NO_PROVIDERS } from '../../src/common/config/providers.js';
import { createLogger } from '../../src/common/log.js';
import { LogLevels } from '../../src/worker/log-levels.js';
import { ApiError } from '../../src/worker/api-error.js';
import { ConfigLog } from '../../src/worker/cluster/config-log.js';
import type { LogProducer } from '../../src/worker/cluster/log-producer.js';
import type { TailRecord } from '../../src/worker/cluster/topic-tail.js';
import { Connectors } from '../../src/worker/connectors.js';
import { type ApiContext, handleApi } from '../../src/worker/routes.js';
import type { StateStore, StoredConnector } from '../../src/worker/state-store.js';

const log = createLogger({ level: 'error' });
const VALID = { topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'static', 'http.headers.authorization': 'Bearer s3cret-token' };
const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function contextOn(store: StateStore): ApiContext {
  const connectors = new Connectors({
    store,
    env: {},
    providers: NO_PROVIDERS,
    log,
    deps: () => ({ env: {}, log, observer: () => undefined as never, statisticsIntervalMs: 1000, start: async () => new Promise(() => undefined), providers: NO_PROVIDERS }),
    runsHere: () => false,
  });
  return { connectors, env: {}, workerId: 'w:1', version: '0', providers: NO_PROVIDERS, loggers: new LogLevels(log, () => []), clusterId: async () => '' };
}

async function answer(on: ApiContext, method: string, path: string, body?: unknown): Promise<{ status: number; body?: unknown; message?: string }> {
  try {
    return await handleApi(on, { method, path, query: new URLSearchParams(), body });
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, message: error.message };
    throw error;
  }
}

/** A store whose saves succeed until `failing` is set, then reject with `cause`. */
function flakyStore(cause = 'disk full') {
  const state = { failing: false, saved: new Map<string, StoredConnector>() };
  const store: StateStore = {
    load: () => new Map(state.saved),
    save: async (view) => {
      if (state.failing) throw new Error(cause);
      state.saved = new Map(view);
    },
  };
  return { store, state };
}

/** A write that did not land: a 500 naming the connector and the cause, never the config's secret. */
function expectFailedSave(answered: { status: number; message?: string }, connector: string, cause: string): void {
  expect(answered.status).toBe(500);
  expect(answered.message).toContain(connector);
  expect(answered.message).toContain(cause);
  expect(answered.message).not.toContain('s3cret');
}

describe('a state store whose save rejects', () => {
  it('answers a POST 500 naming the connector and the cause, and creates nothing here', async () => {
    const { store, state } = flakyStore();
    const on = contextOn(store);
    on.connectors.restore([]);
    state.failing = true;
    const answered = await answer(on, 'POST', '/connectors', { name: 'orders', config: VALID });
    expectFailedSave(answered, 'orders', 'disk full');
    expect(on.connectors.has('orders')).toBe(false);
    expect((await answer(on, 'GET', '/connectors')).body).toEqual([]);
  });

  it('keeps the old config, the running state and the connector on a failed PUT, pause or DELETE', async () => {
    const { store, state } = flakyStore();
    const on = contextOn(store);
    on.connectors.restore([]);
    expect((await answer(on, 'POST', '/connectors', { name: 'orders', config: VALID })).status).toBe(201);
    state.failing = true;
    expect((await answer(on, 'PUT', '/connectors/orders/config', { ...VALID, 'http.timeout': 5 })).status).toBe(500);
    expect(on.connectors.get('orders').config).toEqual({ ...VALID, name: 'orders' });
    expect((await answer(on, 'PUT', '/connectors/orders/pause')).status).toBe(500);
    expect(on.connectors.get('orders').paused).toBe(false);
    expect((await answer(on, 'DELETE', '/connectors/orders')).status).toBe(500);
    expect(on.connectors.has('orders')).toBe(true);
    state.failing = false;
    expect((await answer(on, 'PUT', '/connectors/orders/pause')).status).toBe(202);
    expect(state.saved.get('orders')).toMatchObject({ paused: true });
    await on.connectors.stopAll();
  });
});

/**
 * A config topic in memory: the producer acknowledges each record (or fails, or hangs) and the reader reads it
 * back when the test says so, or at once.
 */
function configTopic(options: { readBack?: 'at once' | 'held'; writeTimeoutMs?: number } = {}) {
  const written: [string, string | null][] = [];
  const unread: TailRecord[] = [];
  const waiting: { offset: number; resolve: () => void }[] = [];
  let position = 0;
  let deliver: (record: TailRecord) => void = () => undefined;
  let failure: Error | undefined;
  let hang = false;
  const readNext = (): void => {
    const record = unread.shift();
    if (!record) return;
    deliver(record);
    position = record.offset + 1;
    for (const w of waiting.splice(0)) if (w.offset < position) w.resolve();
      else waiting.push(w);
  };
  const producer = {
    write: async (_topic: string, key: string, value: string | null) => {
      if (hang) return new Promise(() => undefined);
      if (failure) throw failure;
      const offset = written.length;
      written.push([key, value]);
      unread.push({ key, value: value ?? undefined, partition: 0, offset });
      if (options.readBack !== 'held') readNext();
      return { partition: 0, offset };
    },
  } as unknown as LogProducer;
  const store = new ConfigLog({ kafka: {}, topic: 'connect-configs', producer, log, writeTimeoutMs: options.writeTimeoutMs }, (onRecord) => {
    deliver = onRecord;
    return {
      start: async () => undefined,
      readPast: (offset: number) => (offset < position ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ offset, resolve }))),
      close: async () => undefined,
    };
  });
  return {
    store,
    written,
    readNext,
    fail: (error: Error | undefined) => (failure = error),
    hang: () => (hang = true),
  };
}

async function clusterContext(topic: ReturnType<typeof configTopic>): Promise<ApiContext> {
  await topic.store.start();
  const on = contextOn(topic.store);
  on.connectors.restore([]);
  topic.store.follow((name, stored) => on.connectors.applyStored(name, stored));
  return on;
}

describe('cluster mode: a REST change answers once its config-topic record was read back', () => {
  it('holds the POST answer until this worker read the record back, and the connector appears from that record', async () => {
    const topic = configTopic({ readBack: 'held' });
    const on = await clusterContext(topic);
    let answered: { status: number } | undefined;
    const posting = answer(on, 'POST', '/connectors', { name: 'orders', config: VALID }).then((a) => (answered = a));
    await tick(10);
    expect(topic.written.map(([key]) => key)).toEqual(['connector-orders']); // acknowledged, not read back yet
    expect(answered).toBeUndefined();
    expect(on.connectors.has('orders')).toBe(false);
    topic.readNext(); // connector-orders read back: applied here
    expect(on.connectors.has('orders')).toBe(true);
    await tick(10);
    expect(answered).toBeUndefined(); // its target state is written, not read back yet
    topic.readNext();
    await posting;
    expect(answered?.status).toBe(201);
    expect(topic.written.map(([key]) => key)).toEqual(['connector-orders', 'target-state-orders']);
    await on.connectors.stopAll();
  });

  it('answers a POST 500 when the producer fails, creates nothing here, and a later POST writes the connector whole', async () => {
    const topic = configTopic();
    const on = await clusterContext(topic);
    topic.fail(new Error('cannot write to connect-configs: Broker: Not enough in-sync replicas'));
    const failed = await answer(on, 'POST', '/connectors', { name: 'orders', config: VALID });
    expectFailedSave(failed, 'Connector orders', 'Not enough in-sync replicas');
    expect(on.connectors.has('orders')).toBe(false);
    expect(topic.store.load().size).toBe(0);

    topic.fail(undefined);
    expect((await answer(on, 'POST', '/connectors', { name: 'orders', config: VALID })).status).toBe(201);
    expect(topic.written.map(([key]) => key)).toEqual(['connector-orders', 'target-state-orders']);
    expect(on.connectors.get('orders').config).toEqual({ ...VALID, name: 'orders' });
    await on.connectors.stopAll();
  });

  it('keeps the config the topic has when a PUT, pause or delete cannot be written', async () => {
    const topic = configTopic();
    const on = await clusterContext(topic);
    expect((await answer(on, 'POST', '/connectors', { name: 'orders', config: VALID })).status).toBe(201);
    topic.fail(new Error('Local: Message timed out'));
    expect((await answer(on, 'PUT', '/connectors/orders/config', { ...VALID, 'http.timeout': 5 })).status).toBe(500);
    expect(on.connectors.get('orders').config).toEqual({ ...VALID, name: 'orders' });
    expect((await answer(on, 'PUT', '/connectors/orders/pause')).status).toBe(500);
    expect(on.connectors.get('orders').paused).toBe(false);
    expect((await answer(on, 'DELETE', '/connectors/orders')).status).toBe(500);
    expect(on.connectors.has('orders')).toBe(true);
    topic.fail(undefined);
    // the failed PUT left nothing behind: the same change, retried, is written
    expect((await answer(on, 'PUT', '/connectors/orders/config', { ...VALID, 'http.timeout': 5 })).status).toBe(200);
    expect(on.connectors.get('orders').config).toMatchObject({ 'http.timeout': 5 });
    expect((await answer(on, 'PUT', '/connectors/orders/pause')).status).toBe(202);
    expect(on.connectors.get('orders').paused).toBe(true);
    expect((await answer(on, 'DELETE', '/connectors/orders')).status).toBe(204);
    expect(on.connectors.has('orders')).toBe(false);
    expect(topic.written.map(([key, value]) => `${key}${value === null ? ' (tombstone)' : ''}`)).toEqual([
      'connector-orders',
      'target-state-orders',
      'connector-orders',
      'target-state-orders',
      'connector-orders (tombstone)',
      'target-state-orders (tombstone)',
    ]);
  });

  it('answers 500 when the record is not acknowledged and read back in time', async () => {
    const topic = configTopic({ writeTimeoutMs: 50 });
    const on = await clusterContext(topic);
    topic.hang();
    const failed = await answer(on, 'POST', '/connectors', { name: 'orders', config: VALID });
    expect(failed.status).toBe(500);
    expect(failed.message).toMatch(/Connector orders.*not acknowledged and read back within 50 ms/s);
    expect(on.connectors.has('orders')).toBe(false);
  });
});

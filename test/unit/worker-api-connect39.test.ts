/** Kafka Connect 3.x routes beside the basic ones, without a broker: stop, initial state, PATCH config, tasks-config, topics, plugins. */
import { describe, expect, it } from '@jest/globals';
import { NO_PROVIDERS } from '../../src/common/config/providers.js';
import { createLogger } from '../../src/common/log.js';
import type { RunningPipeline, startPipeline } from '../../src/connector/startPipeline.js';
import { ApiError } from '../../src/worker/api-error.js';
import { Connectors } from '../../src/worker/connectors.js';
import { LogLevels } from '../../src/worker/log-levels.js';
import { handleApi, type ApiContext } from '../../src/worker/routes.js';
import type { StoredConnector } from '../../src/worker/state-store.js';

const CONFIG = { topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none', 'tasks.max': '1' };
const log = createLogger({ level: 'error' });

function setup() {
  const live = { count: 0, committed: new Map<string, number>() };
  const start: typeof startPipeline = async () => {
    live.count++;
    let stopped = false;
    const pipeline: RunningPipeline = {
      config: undefined as never,
      done: new Promise<void>(() => undefined),
      stats: () => ({ consumed: 0, inFlight: 0, paused: false, committed: new Map(live.committed), commits: 0 }),
      hold: () => undefined,
      stop: async () => void (stopped || ((stopped = true), live.count--)),
    };
    return pipeline;
  };
  const store = { saved: new Map<string, StoredConnector>(), load: () => new Map(store.saved), save: async (m: ReadonlyMap<string, StoredConnector>) => void (store.saved = new Map(m)) };
  const connectors = new Connectors({ store, env: {}, providers: NO_PROVIDERS, log, deps: () => ({ env: {}, log, observer: () => undefined as never, statisticsIntervalMs: 1000, start, providers: NO_PROVIDERS }) });
  const loggers = new LogLevels(createLogger({ level: 'error' }), () => connectors.list().map((c) => c.name));
  const context: ApiContext = { connectors, env: {}, workerId: 'w:1', version: '0.1.0', providers: NO_PROVIDERS, loggers, clusterId: async () => '' };
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body?: unknown }> => {
    const [pathname, query] = path.split('?');
    try {
      return await handleApi(context, { method, path: pathname!, query: new URLSearchParams(query), body });
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, body: { error_code: error.status, message: error.message } };
      throw error;
    }
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  return { call, live, store, settle, connectors };
}

describe('Connect 3.x connector routes', () => {
  it('stop (KIP-875): no task runs, the config stays, status STOPPED with no tasks, kept in the store; resume starts it again', async () => {
    const { call, live, store, settle } = setup();
    expect((await call('POST', '/connectors', { name: 'a', config: CONFIG })).status).toBe(201);
    await settle();
    expect(live.count).toBe(1);
    expect(await call('PUT', '/connectors/a/stop')).toEqual({ status: 204 });
    expect(live.count).toBe(0);
    expect(await call('GET', '/connectors/a/status')).toEqual({ status: 200, body: { name: 'a', connector: { state: 'STOPPED', worker_id: 'w:1' }, tasks: [], type: 'sink' } });
    expect((await call('GET', '/connectors/a')).body).toMatchObject({ tasks: [], config: { topics: 't' } });
    expect(await call('GET', '/connectors/a/tasks')).toEqual({ status: 200, body: [] });
    expect(store.saved.get('a')).toMatchObject({ stopped: true });
    expect(await call('POST', '/connectors/a/restart')).toEqual({ status: 204 });
    await settle();
    expect(live.count).toBe(0); // a restart does not start a stopped connector
    expect(await call('PUT', '/connectors/nope/stop')).toMatchObject({ status: 404 });
    expect(await call('PUT', '/connectors/a/resume')).toEqual({ status: 202 });
    await settle();
    expect(live.count).toBe(1);
    expect(store.saved.get('a')).toMatchObject({ paused: false });
    expect(store.saved.get('a')?.stopped).toBeUndefined();
  });

  it('initial_state (KIP-980): PAUSED and STOPPED kept from the start; anything else is a 400', async () => {
    const { call, settle } = setup();
    expect((await call('POST', '/connectors', { name: 'p', config: CONFIG, initial_state: 'PAUSED' })).status).toBe(201);
    expect((await call('POST', '/connectors', { name: 's', config: CONFIG, initial_state: 'STOPPED' })).status).toBe(201);
    expect((await call('POST', '/connectors', { name: 'r', config: CONFIG, initial_state: 'running' })).status).toBe(201);
    await settle();
    expect((await call('GET', '/connectors/p/status')).body).toMatchObject({ connector: { state: 'PAUSED' } });
    expect((await call('GET', '/connectors/s/status')).body).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
    expect((await call('GET', '/connectors/r/status')).body).toMatchObject({ connector: { state: 'RUNNING' } });
    expect(await call('POST', '/connectors', { name: 'x', config: CONFIG, initial_state: 'BOGUS' })).toMatchObject({ status: 400, body: { message: expect.stringContaining('RUNNING, PAUSED, STOPPED') } });
  });

  it('PATCH config (KIP-477) merges, a null removes the key; unknown connector 404', async () => {
    const { call } = setup();
    await call('POST', '/connectors', { name: 'a', config: { ...CONFIG, 'batch.max.size': '10' } });
    const patched = await call('PATCH', '/connectors/a/config', { 'batch.max.size': null, 'http.timeout': '5' });
    expect(patched.status).toBe(200);
    expect((patched.body as { config: Record<string, string> }).config).toEqual({ ...CONFIG, 'http.timeout': '5', name: 'a' });
    expect(await call('PATCH', '/connectors/nope/config', { a: 'b' })).toMatchObject({ status: 404, body: { message: 'Connector nope not found' } });
    expect(await call('PATCH', '/connectors/a/config', { 'http.url': null })).toMatchObject({ status: 400 });
  });

  it('tasks-config names the task class as Connect does; 404 while no task runs', async () => {
    const { call } = setup();
    await call('POST', '/connectors', { name: 'a', config: CONFIG });
    expect(await call('GET', '/connectors/a/tasks-config')).toEqual({
      status: 200,
      body: { 'a-0': { ...CONFIG, name: 'a', 'task.class': 'io.aiven.kafka.connect.http.HttpSinkTask' } },
    });
    await call('PUT', '/connectors/a/stop');
    expect(await call('GET', '/connectors/a/tasks-config')).toMatchObject({ status: 404 });
  });

  it('topics (KIP-558): those whose offsets moved since creation or the last reset; unknown connectors answer empty', async () => {
    const { call, live, settle } = setup();
    await call('POST', '/connectors', { name: 'a', config: CONFIG });
    await settle();
    expect(await call('GET', '/connectors/a/topics')).toEqual({ status: 200, body: { a: { topics: [] } } });
    live.committed.set('t/0', 3);
    expect(await call('GET', '/connectors/a/topics')).toEqual({ status: 200, body: { a: { topics: ['t'] } } });
    expect(await call('PUT', '/connectors/a/topics/reset')).toEqual({ status: 202 });
    expect(await call('GET', '/connectors/a/topics')).toEqual({ status: 200, body: { a: { topics: [] } } });
    live.committed.set('t/0', 4);
    expect(await call('GET', '/connectors/a/topics')).toEqual({ status: 200, body: { a: { topics: ['t'] } } });
    expect(await call('GET', '/connectors/nope/topics')).toEqual({ status: 200, body: { nope: { topics: [] } } });
  });

  it('offsets: alter and reset refused 400 unless STOPPED, 404 unknown, 400 without offsets (before any Kafka call)', async () => {
    const { call } = setup();
    await call('POST', '/connectors', { name: 'a', config: CONFIG });
    const body = { offsets: [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 1 } }] };
    expect(await call('PATCH', '/connectors/a/offsets', body)).toMatchObject({ status: 400, body: { message: expect.stringContaining("'/connectors/a/stop'") } });
    expect(await call('DELETE', '/connectors/a/offsets')).toMatchObject({ status: 400 });
    expect(await call('PATCH', '/connectors/nope/offsets', body)).toMatchObject({ status: 404 });
    expect(await call('PATCH', '/connectors/nope/offsets', { offsets: [] })).toMatchObject({ status: 400, body: { message: 'Partitions / offsets need to be provided for an alter offsets request' } });
    expect(await call('PATCH', '/connectors/a/offsets', { to_earliest: true, shift_by: 3 })).toMatchObject({ status: 400 });
  });

  it('connector-plugins: with connectorsOnly=false the transforms, predicates and converters; each plugin\'s config keys', async () => {
    const { call } = setup();
    expect((await call('GET', '/connector-plugins')).body).toEqual([
      { class: 'io.aiven.kafka.connect.http.HttpSinkConnector', type: 'sink', version: '0.1.0' },
      { class: 'io.confluent.connect.http.HttpSinkConnector', type: 'sink', version: '0.1.0' },
    ]);
    const all = (await call('GET', '/connector-plugins?connectorsOnly=false')).body as { class: string; type: string }[];
    expect(all).toEqual(
      expect.arrayContaining([
        { class: 'org.apache.kafka.connect.transforms.InsertField$Value', type: 'transformation', version: '0.1.0' },
        { class: 'org.apache.kafka.connect.transforms.Filter', type: 'transformation', version: '0.1.0' },
        { class: 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches', type: 'predicate', version: '0.1.0' },
        { class: 'org.apache.kafka.connect.json.JsonConverter', type: 'converter', version: '0.1.0' },
      ]),
    );
    expect((await call('GET', '/connector-plugins/org.apache.kafka.connect.transforms.predicates.TopicNameMatches/config')).body).toEqual([
      expect.objectContaining({ name: 'pattern', type: 'STRING', group: null, order: -1 }),
    ]);
    const sink = (await call('GET', '/connector-plugins/HttpSink/config')).body as { name: string; group: string }[];
    expect(sink.find((k) => k.name === 'http.url')).toMatchObject({ required: true });
    expect(await call('GET', '/connector-plugins/Nope/config')).toEqual({ status: 404, body: { error_code: 404, message: 'Unknown plugin Nope.' } });
  });
});

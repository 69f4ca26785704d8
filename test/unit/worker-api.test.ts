/** The worker's REST routing and Kafka Connect shapes, without a server or a broker. */
import { describe, expect, it } from '@jest/globals';
import { NO_PROVIDERS } from '../../src/common/config/providers.js';
import { Secret } from '../../src/common/config/secret.js';
import { ConfigError } from '../../src/common/errors.js';
import { createLogger } from '../../src/common/log.js';
import type { RunningPipeline, startPipeline } from '../../src/connector/startPipeline.js';
import { authorized } from '../../src/worker/api-auth.js';
import { ApiError } from '../../src/worker/api-error.js';
import { keepRedactedSecrets, redactedConfig } from '../../src/worker/connect-shapes.js';
import { Connectors } from '../../src/worker/connectors.js';
import { consumerLag } from '../../src/worker/consumer-lag.js';
import { WorkerMetrics } from '../../src/worker/metrics.js';
import { LogLevels } from '../../src/worker/log-levels.js';
import { handleApi, type ApiContext } from '../../src/worker/routes.js';
import type { StoredConnector } from '../../src/worker/state-store.js';
import { checkExposure, renderWorkerTable, workerOptions } from '../../src/worker/worker-config.js';
import { workerFlags } from '../../src/cli/worker-command.js';

const PLUGIN = 'io.aiven.kafka.connect.http.HttpSinkConnector';
const VALID = { topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none' };
const log = createLogger({ level: 'error' });
const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A fake startPipeline: pipelines that take a moment to start and to drain, counted while they live. */
function fakePipelines(stopMs = 20) {
  const counts = { live: 0, most: 0, started: 0 };
  const start: typeof startPipeline = async () => {
    await tick(5);
    counts.live++;
    counts.started++;
    counts.most = Math.max(counts.most, counts.live);
    let stopping: Promise<void> | undefined;
    const pipeline: RunningPipeline = {
      config: undefined as never,
      done: new Promise<void>(() => undefined),
      stats: () => ({ consumed: 0, inFlight: 0, paused: false, committed: new Map(), commits: 0 }),
      hold: () => undefined,
      stop: () => (stopping ??= tick(stopMs).then(() => void counts.live--)),
    };
    return pipeline;
  };
  return { start, counts };
}

function memoryStore(initial: Record<string, StoredConnector> = {}) {
  const store = { saved: new Map(Object.entries(initial)), load: () => new Map(store.saved), save: async (m: ReadonlyMap<string, StoredConnector>) => void (store.saved = new Map(m)) };
  return store;
}

function context(start = fakePipelines().start, store = memoryStore()): ApiContext {
  const connectors = new Connectors({ store, env: {}, providers: NO_PROVIDERS, log, deps: () => ({ env: {}, log, observer: () => undefined as never, statisticsIntervalMs: 1000, start, providers: NO_PROVIDERS }) });
  const loggers = new LogLevels(createLogger({ level: 'error' }), () => connectors.list().map((c) => c.name));
  return { connectors, env: {}, workerId: '127.0.0.1:8083', version: '0.1.0', providers: NO_PROVIDERS, loggers, clusterId: async () => 'test-cluster' };
}

async function answer(method: string, path: string, body?: unknown, on: ApiContext = context()): Promise<{ status: number; body?: unknown }> {
  const [pathname, query] = path.split('?');
  try {
    return await handleApi(on, { method, path: pathname!, query: new URLSearchParams(query), body });
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, body: { error_code: error.status, message: error.message } };
    throw error;
  }
}

describe('REST routing', () => {
  it('answers the worker and plugin endpoints in Connect\'s shapes', async () => {
    expect(await answer('GET', '/')).toEqual({ status: 200, body: { version: '0.1.0', commit: '0.1.0', kafka_cluster_id: 'test-cluster' } });
    expect(await answer('GET', '/connectors')).toEqual({ status: 200, body: [] });
    expect(await answer('GET', '/connectors?expand=status')).toEqual({ status: 200, body: {} });
    expect(await answer('GET', '/connector-plugins')).toEqual({ status: 200, body: [PLUGIN, 'io.confluent.connect.http.HttpSinkConnector'].map((name) => ({ class: name, type: 'sink', version: '0.1.0' })) });
  });

  it('gives 404 for an unknown connector or path and 405 for a wrong method, as {error_code, message}', async () => {
    expect(await answer('GET', '/connectors/x/status')).toEqual({ status: 404, body: { error_code: 404, message: 'Connector x not found' } });
    expect(await answer('PUT', '/connectors/a%2Fb/resume')).toEqual({ status: 404, body: { error_code: 404, message: 'Connector a/b not found' } });
    expect(await answer('GET', '/connectors/%zz/status')).toEqual({ status: 404, body: { error_code: 404, message: 'Connector %zz not found' } });
    expect((await answer('GET', '/connectors/x/nothing')).status).toBe(404);
    expect((await answer('PATCH', '/connectors')).status).toBe(405);
    expect((await answer('PUT', '/connector-plugins/com.example.Other/config/validate', {})).status).toBe(404);
  });

  it('refuses a create without a name or with an invalid config, listing every problem', async () => {
    expect(await answer('POST', '/connectors', { config: { topics: 't' } })).toMatchObject({ status: 400, body: { error_code: 400 } });
    expect(await answer('POST', '/connectors', [])).toMatchObject({ status: 400, body: { message: 'The request body must be a JSON object' } });
    const refused = await answer('POST', '/connectors', { name: 'n', config: { topics: 't', 'http.url': 'ftp://x', 'max.retries': -1 } });
    expect(refused).toMatchObject({ status: 400 });
    expect((refused.body as { message: string }).message.split('\n')).toEqual([
      'Connector configuration is invalid and contains the following 3 error(s):',
      expect.stringMatching(/^http\.authorization\.type: is required/),
      expect.stringMatching(/^http\.url: must be an absolute/),
      expect.stringMatching(/^max\.retries: /),
    ]);
  });

  it('refuses a validate body without connector.class, as Connect does', async () => {
    expect(await answer('PUT', `/connector-plugins/${PLUGIN}/config/validate`, { name: 'n', ...VALID })).toEqual({
      status: 400,
      body: { error_code: 400, message: expect.stringContaining('connector.class') },
    });
  });

  it('answers a restart 204, or 202 showing RESTARTING only when includeTasks or onlyFailed is true', async () => {
    const on = context();
    await on.connectors.create('r', VALID);
    expect(await answer('POST', '/connectors/r/restart', undefined, on)).toEqual({ status: 204 });
    expect(await answer('POST', '/connectors/r/restart?includeTasks=false&onlyFailed=false', undefined, on)).toEqual({ status: 204 });
    expect(await answer('POST', '/connectors/r/restart?includeTasks=true', undefined, on)).toMatchObject({
      status: 202,
      body: { name: 'r', connector: { state: 'RESTARTING' }, tasks: [{ id: 0, state: 'RESTARTING' }] },
    });
    const onlyFailed = await answer('POST', '/connectors/r/restart?onlyFailed=TRUE', undefined, on);
    expect(onlyFailed.status).toBe(202); // nothing failed: nothing restarts, the status as it is
    expect(JSON.stringify(onlyFailed.body)).not.toContain('RESTARTING');
    await on.connectors.stopAll();
  });

  it('validates with one ConfigInfo per key, the errors on the keys at fault', async () => {
    const validated = await answer('PUT', '/connector-plugins/HttpSinkConnector/config/validate', { 'connector.class': PLUGIN, name: 'n', topics: 't', 'http.url': 'x', 'kafka.group.id': 'g' });
    const body = validated.body as { error_count: number; configs: { definition: { name: string; group: string }; value: { errors: string[] } }[] };
    expect(body.error_count).toBe(3);
    const errors = Object.fromEntries(body.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.definition.name, c.value.errors.length]));
    expect(errors).toEqual({ 'http.url': 1, 'http.authorization.type': 1, 'kafka.group.id': 1 });
    expect(body.configs.find((c) => c.definition.name === 'kafka.group.id')!.definition.group).toBe('Other');
  });
});

describe('redaction', () => {
  it('redacts secret keys unless the value only refers to a secret, and keeps stored secrets on a PUT of [redacted]', () => {
    const config = { 'http.headers.authorization': 'Bearer x', 'http.basic.auth.password': '${env:PW}', 'kafka.sasl.password': 'p', 'http.timeout': 5 };
    expect(redactedConfig(config)).toEqual({ 'http.headers.authorization': '[redacted]', 'http.basic.auth.password': '${env:PW}', 'kafka.sasl.password': '[redacted]', 'http.timeout': '5' });
    expect(keepRedactedSecrets({ 'kafka.sasl.password': '[redacted]', 'http.timeout': '9' }, config)).toEqual({ 'kafka.sasl.password': 'p', 'http.timeout': '9' });
  });

  it('refuses a PUT of [redacted] that also moves the destination (the stored secret would go to the new host)', async () => {
    const on = context();
    const config = { 'connector.class': PLUGIN, ...VALID, 'http.authorization.type': 'static', 'http.headers.authorization': 'Bearer stored-secret', 'kafka.bootstrap.servers': 'kafka.test:9092' };
    expect((await answer('POST', '/connectors', { name: 'n', config }, on)).status).toBe(201);
    const shown = (await answer('GET', '/connectors/n/config', undefined, on)).body as Record<string, string>;
    expect(shown['http.headers.authorization']).toBe('[redacted]');

    const moved = await answer('PUT', '/connectors/n/config', { ...shown, 'http.url': 'https://attacker.test/' }, on);
    expect(moved.status).toBe(400);
    expect((moved.body as { message: string }).message).toMatch(/^http\.headers\.authorization: is \[redacted\] but http\.url changed: give the secret again, as the destination changed/);
    expect(on.connectors.get('n').config['http.url']).toBe(VALID['http.url']);

    // Any key saying where a restored secret goes counts, added or removed too (test/unit/secret-destinations.test.ts has every pair).
    const stored = { 'http.url': 'https://u:pw@sink.test/', 'http.headers.authorization': 'Bearer s', 'kafka.sasl.password': 'p', 'kafka.bootstrap.servers': 'k:9092' };
    const back = redactedConfig(stored);
    for (const [key, value] of [
      ['oauth2.access.token.url', 'https://idp.attacker.test/token'],
      ['http.proxy.host', 'proxy.attacker.test'],
      ['kafka.bootstrap.servers', 'attacker.test:9092'],
      ['http.url', 'https://u:[redacted]@attacker.test/'],
    ]) {
      expect(() => keepRedactedSecrets({ ...back, [key!]: value }, stored)).toThrow(new RegExp(`^[a-z.]+: is \\[redacted\\] but ${key!.replaceAll('.', '\\.')} changed: give the secret again, as the destination changed \\(a stored secret is not sent to a new destination\\)$`));
    }
    expect(() => keepRedactedSecrets({ ...back, 'kafka.bootstrap.servers': undefined }, stored)).toThrow(/kafka\.bootstrap\.servers changed/);
    // The secret given again, or no secret restored, or nothing moved: taken.
    expect(keepRedactedSecrets({ ...back, 'http.headers.authorization': 'Bearer new', 'kafka.sasl.password': 'p2', 'http.url': 'https://u:pw2@new.test/' }, stored)).toEqual({ ...stored, 'http.headers.authorization': 'Bearer new', 'kafka.sasl.password': 'p2', 'http.url': 'https://u:pw2@new.test/' });
    expect(keepRedactedSecrets({ ...back, 'http.timeout': '9' }, stored)).toEqual({ ...stored, 'http.timeout': '9' });
    const urlOnly = { 'http.url': 'https://u:pw@sink.test/', 'kafka.bootstrap.servers': 'k:9092' };
    expect(keepRedactedSecrets({ ...redactedConfig(urlOnly), 'kafka.bootstrap.servers': 'k2:9092' }, urlOnly)).toEqual({ ...urlOnly, 'kafka.bootstrap.servers': 'k2:9092' });
  });
});

describe('worker access', () => {
  it('needs a token or basic auth to bind off loopback', () => {
    expect(() => checkExposure({ host: '127.0.0.1', auth: {} })).not.toThrow();
    expect(() => checkExposure({ host: '::1', auth: {} })).not.toThrow();
    expect(() => checkExposure({ host: '0.0.0.0', auth: {} })).toThrow(/WORKER_HOST: binding the REST API to 0\.0\.0\.0 needs WORKER_API_TOKEN or WORKER_BASIC_AUTH/);
    expect(() => checkExposure({ host: '0.0.0.0', auth: { token: new Secret('t') } })).not.toThrow();
  });

  it('checks bearer tokens and basic credentials', () => {
    const auth = { token: new Secret('tok'), basic: { user: 'ops', password: new Secret('pw') } };
    expect(authorized({}, {})).toBe(true);
    expect(authorized(auth, {})).toBe(false);
    expect(authorized(auth, { authorization: 'Bearer tok' })).toBe(true);
    expect(authorized(auth, { authorization: 'Bearer tok2' })).toBe(false);
    expect(authorized(auth, { authorization: `Basic ${Buffer.from('ops:pw').toString('base64')}` })).toBe(true);
    expect(authorized(auth, { authorization: `Basic ${Buffer.from('ops:no').toString('base64')}` })).toBe(false);
  });

  it('reads the worker command\'s flags', () => {
    expect(workerFlags(['--host', '::1', '--port', '0', '--no-pipelines'])).toEqual({ host: '::1', port: 0, pipelinesDir: undefined });
    expect(() => workerFlags(['--port', 'x'])).toThrow(/--port/);
    expect(() => workerFlags(['--bogus'])).toThrow(/--bogus: unknown option/);
  });
});

describe('consumer lag from librdkafka statistics', () => {
  it('takes assigned partitions with a known lag', () => {
    const stats = { topics: { t: { partitions: { '-1': { desired: false, consumer_lag: -1 }, '0': { desired: true, committed_offset: 3, consumer_lag: 7 }, '1': { desired: true, consumer_lag: -1 }, '2': { desired: false, consumer_lag: 3 } } } } };
    expect(consumerLag(JSON.stringify(stats))).toEqual(new Map([['t/0', 7]]));
    expect(consumerLag('not json')).toBeUndefined();
  });

  it("takes a paused partition's end from the broker when the statistics' end is older (librdkafka#4996)", () => {
    const paused = JSON.stringify({ topics: { t: { partitions: { '0': { desired: true, hi_offset: 5, ls_offset: 5, committed_offset: 5, consumer_lag: 0 } } } } });
    expect(consumerLag(paused, new Map([['t/0', 7]]))).toEqual(new Map([['t/0', 2]]));
    expect(consumerLag(paused, new Map([['t/0', 4]]))).toEqual(new Map([['t/0', 0]]));
  });

  it('counts from the position when nothing is committed yet (a new group far behind)', () => {
    const partition = (p: object) => JSON.stringify({ topics: { t: { partitions: { '0': { desired: true, committed_offset: -1001, consumer_lag: -1, ...p } } } } });
    // Read up to 100 of 1000 (application position), nothing committed: 900 to go.
    expect(consumerLag(partition({ hi_offset: 1000, ls_offset: 1000, app_offset: 100, next_offset: 600 }))).toEqual(new Map([['t/0', 900]]));
    // Nothing handed to the application yet: from where fetching starts (auto.offset.reset).
    expect(consumerLag(partition({ lo_offset: 0, hi_offset: 5000, ls_offset: 5000, app_offset: -1001, next_offset: 0 }))).toEqual(new Map([['t/0', 5000]]));
    // The end a read_committed consumer sees is the last stable offset.
    expect(consumerLag(partition({ hi_offset: 50, ls_offset: 40, app_offset: 10 }))).toEqual(new Map([['t/0', 30]]));
    // Neither end nor position known yet: no lag to show.
    expect(consumerLag(partition({ hi_offset: -1, app_offset: -1001, next_offset: -1001 }))).toEqual(new Map());
  });
});

describe('connector operations, serialised per connector', () => {
  it('a restart racing a delete leaves no pipeline running', async () => {
    const { start, counts } = fakePipelines();
    const { connectors } = context(start);
    const connector = await connectors.create('c', VALID);
    await connector.start(); // queued behind create's start: RUNNING now
    expect(counts.live).toBe(1);
    void connector.restart();
    await connectors.delete('c');
    await tick(30);
    expect(counts.live).toBe(0);
    expect(counts.started).toBe(1); // the restart did not start again
  });

  it('concurrent restarts and config PUTs never run two pipelines of one connector', async () => {
    const { start, counts } = fakePipelines();
    const { connectors } = context(start);
    const connector = await connectors.create('c', VALID);
    const restarts = [connector.restart(), connector.restart()];
    const puts = [connectors.put('c', { ...VALID, 'http.timeout': 5 }), connectors.put('c', { ...VALID, 'http.timeout': 6 })];
    await Promise.all([...restarts, ...puts]);
    await connector.start(); // after everything queued so far
    expect(counts.most).toBe(1);
    expect(counts.live).toBe(1);
    expect(connector.state).toBe('RUNNING');
    await connectors.stopAll();
    expect(counts.live).toBe(0);
  });

  it('closing the worker during a restart stops it for good, and refuses new connectors', async () => {
    const { start, counts } = fakePipelines();
    const { connectors } = context(start);
    const connector = await connectors.create('c', VALID);
    void connector.restart();
    await connectors.stopAll();
    await tick(30);
    expect(counts.live).toBe(0);
    await expect(connectors.create('d', VALID)).rejects.toThrow(/The worker is shutting down/);
  });

  it('a connector re-created under a deleted one\'s name starts after the old one drained', async () => {
    const { start, counts } = fakePipelines(50);
    const { connectors } = context(start);
    await (await connectors.create('c', VALID)).start();
    const deleted = connectors.delete('c');
    const again = connectors.create('c', VALID);
    await deleted;
    await (await again).start();
    expect(counts.most).toBe(1);
    expect(counts.live).toBe(1);
    await connectors.stopAll();
  });

  it('keeps a deleted pipeline file\'s connector deleted across a worker restart', async () => {
    const store = memoryStore();
    const files = [{ config: { name: 'from_file', ...VALID }, build: (() => undefined) as never }];
    const first = context(fakePipelines().start, store).connectors;
    first.restore(files);
    await first.delete('from_file');
    expect(store.saved.get('from_file')).toEqual({ paused: false, deleted: true });
    await first.stopAll();

    const second = context(fakePipelines().start, store).connectors;
    second.restore(files);
    expect(second.list()).toEqual([]);
    await second.create('from_file', VALID); // created again through the API: it is back, its config kept
    expect(store.saved.get('from_file')).toMatchObject({ config: { name: 'from_file' } });
    await second.stopAll();
  });
});

describe('metrics of a deleted connector', () => {
  it('drops every series labelled with it', async () => {
    const metrics = new WorkerMetrics({ connectors: () => [] });
    for (const name of ['gone', 'kept']) {
      const observer = metrics.observerFor(name);
      observer.read(2);
      observer.requested(200, 0.01);
      observer.requested(undefined, 0.01);
      observer.failed(1, 'dlq', 'HTTP 400');
      observer.committed(true);
      observer.committed(false);
      metrics.observerFor(name, 1).requested(500, 0.01); // a second task's series
    }
    metrics.forget('gone');
    const text = await metrics.text();
    expect(text).not.toContain('connector="gone"');
    expect(text).toContain('kafka_http_sink_records_read_total{connector="kept",task="0"} 2');
    expect(text).toContain('kafka_http_sink_http_requests_total{connector="kept",task="0",status_class="network"} 1');
    expect(text).toContain('kafka_http_sink_http_requests_total{connector="kept",task="1",status_class="5xx"} 1');
  });
});

describe('worker settings', () => {
  it('reads the spec\'s variables, names a bad one, and renders the README table', () => {
    expect(workerOptions({ WORKER_PORT: '9000', WORKER_API_TOKEN: '' })).toMatchObject({ host: '127.0.0.1', port: 9000, statisticsIntervalMs: 5000, auth: { token: undefined } });
    expect(() => workerOptions({ WORKER_PORT: 'x' })).toThrow(ConfigError);
    expect(() => workerOptions({ WORKER_PORT: '70000' })).toThrow(/^WORKER_PORT: must be a whole number from 0 to 65535/);
    expect(() => workerOptions({ WORKER_BASIC_AUTH: 'nopassword' })).toThrow(/WORKER_BASIC_AUTH: must be user:password/);
    expect(renderWorkerTable()).toMatch(/\| `WORKER_API_TOKEN` \| — \| .* \*\(secret\)\* \|/);
  });
});

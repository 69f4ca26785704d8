/** Connect's admin API on the worker: `/admin/loggers` (KIP-495, KIP-976) changing levels at run time, and `GET /`'s cluster id. */
import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import winston from 'winston';
import { NO_PROVIDERS } from '../../src/common/config/providers.js';
import { createLogger } from '../../src/common/log.js';
import { ApiError } from '../../src/worker/api-error.js';
import { clusterIdCache } from '../../src/worker/cluster-id.js';
import { Connectors } from '../../src/worker/connectors.js';
import type { StoredConnector } from '../../src/worker/state-store.js';
import { LogLevels } from '../../src/worker/log-levels.js';
import { type ApiContext, handleApi } from '../../src/worker/routes.js';

/** A worker logger whose lines are kept, with the admin API over it and connectors `a` and `b`. */
function admin(level = 'info') {
  const lines: { level: string; message: string; connector?: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  const log = createLogger({ level, format: 'json', transports: [new winston.transports.Stream({ stream })] });
  const loggers = new LogLevels(log, () => ['a', 'b']);
  const context: ApiContext = { connectors: undefined as unknown as Connectors, env: {}, workerId: 'w', version: '0', providers: NO_PROVIDERS, loggers, clusterId: async () => '' };
  const call = async (method: string, path: string, body?: unknown) => {
    const [pathname, query] = path.split('?');
    try {
      return await handleApi(context, { method, path: pathname!, query: new URLSearchParams(query), body });
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, body: error.message };
      throw error;
    }
  };
  /** Logs one line at every level from the worker and from each connector (as startPipeline's child logger does). */
  const speak = () => {
    for (const logger of [log, log.child({ connector: 'a' }), log.child({ connector: 'b' })]) {
      for (const l of ['error', 'warn', 'info', 'debug', 'silly'] as const) logger[l](l);
    }
  };
  const seen = () => lines.splice(0).map((l) => `${l.connector ?? 'root'}:${l.level}`);
  return { call, speak, seen, log };
}

describe('GET /admin/loggers', () => {
  it('lists root and every connector\'s logger in Connect\'s shape, sorted, levels in Connect\'s names', async () => {
    const { call } = admin('info');

    expect(await call('GET', '/admin/loggers')).toEqual({
      status: 200,
      body: { root: { level: 'INFO', last_modified: null }, 'connector.a': { level: 'INFO', last_modified: null }, 'connector.b': { level: 'INFO', last_modified: null } },
    });
    expect(await call('GET', '/admin/loggers/connector.a')).toEqual({ status: 200, body: { level: 'INFO', last_modified: null } });
    expect((await call('GET', '/admin/loggers/org.apache.kafka')).status).toBe(404);
  });
});

describe('PUT /admin/loggers/{name}', () => {
  it('turns one connector\'s DEBUG on at run time and answers the loggers changed; the others stay at INFO', async () => {
    const { call, speak, seen } = admin('info');
    speak();
    expect(seen().filter((l) => l.endsWith(':debug'))).toEqual([]);

    const before = Date.now();
    expect(await call('PUT', '/admin/loggers/connector.a', { level: 'DEBUG' })).toEqual({ status: 200, body: ['connector.a'] });
    speak();

    expect(seen()).toEqual(['root:error', 'root:warn', 'root:info', 'a:error', 'a:warn', 'a:info', 'a:debug', 'b:error', 'b:warn', 'b:info']);
    const a = (await call('GET', '/admin/loggers/connector.a')).body as { level: string; last_modified: number };
    expect(a.level).toBe('DEBUG');
    expect(a.last_modified).toBeGreaterThanOrEqual(before);
  });

  it('root changes every logger (connectors follow it again); OFF silences; TRACE is winston\'s silly', async () => {
    const { call, speak, seen } = admin('info');
    await call('PUT', '/admin/loggers/connector.b', { level: 'ERROR' });

    expect(await call('PUT', '/admin/loggers/root', { level: 'warn' })).toEqual({ status: 200, body: ['connector.a', 'connector.b', 'root'] });
    speak();
    expect(seen()).toEqual(['root:error', 'root:warn', 'a:error', 'a:warn', 'b:error', 'b:warn']);

    await call('PUT', '/admin/loggers/root', { level: 'OFF' });
    await call('PUT', '/admin/loggers/connector.a', { level: 'TRACE' });
    speak();
    expect(seen()).toEqual(['a:error', 'a:warn', 'a:info', 'a:debug', 'a:silly']);
    expect((await call('GET', '/admin/loggers')).body).toMatchObject({ root: { level: 'OFF' }, 'connector.a': { level: 'TRACE' }, 'connector.b': { level: 'OFF' } });
  });

  it('`connector` sets every connector; a connector not created yet may be named ahead', async () => {
    const { call } = admin('info');

    expect(await call('PUT', '/admin/loggers/connector', { level: 'DEBUG' })).toEqual({ status: 200, body: ['connector.a', 'connector.b'] });
    expect(await call('PUT', '/admin/loggers/connector.later', { level: 'ERROR' })).toEqual({ status: 200, body: ['connector.later'] });
    expect((await call('GET', '/admin/loggers')).body).toMatchObject({ root: { level: 'INFO' }, 'connector.a': { level: 'DEBUG' }, 'connector.later': { level: 'ERROR' } });
  });

  it('answers 204 with scope=cluster (KIP-976; a standalone worker is its cluster) and still applies the level', async () => {
    const { call } = admin('info');

    expect(await call('PUT', '/admin/loggers/root?scope=cluster', { level: 'DEBUG' })).toEqual({ status: 204 });
    expect((await call('GET', '/admin/loggers/root')).body).toMatchObject({ level: 'DEBUG' });
    expect(await call('PUT', '/admin/loggers/root?scope=worker', { level: 'INFO' })).toEqual({ status: 200, body: ['connector.a', 'connector.b', 'root'] });
  });

  it('refuses a missing or unknown level with 400, and a name that is no logger name with 404', async () => {
    const { call } = admin('info');

    expect(await call('PUT', '/admin/loggers/root', {})).toEqual({ status: 400, body: expect.stringContaining('"level"') });
    expect(await call('PUT', '/admin/loggers/root', { level: 'LOUD' })).toEqual({ status: 400, body: expect.stringContaining("Invalid log level 'LOUD'") });
    expect((await call('PUT', '/admin/loggers/not a logger', { level: 'DEBUG' })).status).toBe(404);
    expect(await call('GET', '/admin/loggers/com.example.Other')).toEqual({ status: 404, body: 'Logger com.example.Other not found.' });
    expect((await call('DELETE', '/admin/loggers/root')).status).toBe(405);
  });

  it("takes Connect's logger names as tools set them: the sink task's (or a parent) sets every connector's, others are kept and listed", async () => {
    const { call, speak, seen } = admin('info');

    expect(await call('PUT', '/admin/loggers/org.apache.kafka.clients.consumer', { level: 'DEBUG' })).toEqual({ status: 200, body: ['org.apache.kafka.clients.consumer'] });
    speak();
    expect(seen()).not.toContain('a:debug'); // no line of ours is the Kafka client's
    expect(await call('PUT', '/admin/loggers/org.apache.kafka.connect.runtime.WorkerSinkTask', { level: 'DEBUG' })).toEqual({ status: 200, body: ['org.apache.kafka.connect.runtime.WorkerSinkTask'] });
    speak();
    expect(seen()).toEqual(expect.arrayContaining(['a:debug', 'b:debug']));
    expect(await call('PUT', '/admin/loggers/org.apache.kafka', { level: 'WARN' })).toEqual({
      status: 200,
      body: ['org.apache.kafka', 'org.apache.kafka.clients.consumer', 'org.apache.kafka.connect.runtime.WorkerSinkTask'],
    });
    expect((await call('GET', '/admin/loggers')).body).toMatchObject({ 'connector.a': { level: 'WARN' }, 'org.apache.kafka.clients.consumer': { level: 'WARN' } });
    speak();
    expect(seen()).not.toContain('a:info');
  });
});

describe('the Kafka cluster id', () => {
  it('is looked up until known, then kept; a failed or slow lookup answers empty and the next call tries again', async () => {
    const answers: (() => Promise<string>)[] = [
      () => Promise.reject(new Error('down')),
      () => new Promise((resolve) => setTimeout(() => resolve('late-id'), 200)),
      () => Promise.resolve('never-asked'),
    ];
    let lookups = 0;
    const id = clusterIdCache(() => ({ 'bootstrap.servers': '127.0.0.1:1' }), 50, () => answers[lookups++]!());

    expect(await id()).toBe('');
    expect(await id()).toBe(''); // slower than 50 ms
    expect(await id()).toBe(''); // the same lookup, still running: not a second one
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await id()).toBe('late-id');
    expect(await id()).toBe('late-id');
    expect(lookups).toBe(2);
  });
});

describe('config references in a config sent to the API', () => {
  it('are refused per key with a 400 naming key and provider, with no variable looked up and nothing started', async () => {
    const read: string[] = [];
    const env = new Proxy({ SOME_VAR: 'leaked' } as Record<string, string>, { get: (target, name) => (read.push(String(name)), target[String(name)]) });
    let started = 0;
    const log = createLogger({ level: 'error' });
    const store = { load: () => new Map<string, StoredConnector>(), save: async () => undefined };
    const connectors = new Connectors({ store, env, providers: NO_PROVIDERS, log, deps: () => ({ env, log, observer: () => undefined as never, statisticsIntervalMs: 1000, start: async () => (started++, undefined as never), providers: NO_PROVIDERS }) });
    const context: ApiContext = { connectors, env, workerId: 'w', version: '0', providers: NO_PROVIDERS, loggers: new LogLevels(log, () => []), clusterId: async () => '' };
    const config = { topics: 't', 'http.url': '${env:SOME_VAR}', 'http.authorization.type': 'none', 'http.headers.additional': 'X-Os:${file:/etc/os-release:ID}' };

    const refused = await handleApi(context, { method: 'POST', path: '/connectors', query: new URLSearchParams(), body: { name: 'leak', config } }).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(400);
    expect((refused as ApiError).message.split('\n').slice(1)).toEqual([
      expect.stringMatching(/^http\.url: \$\{env:\.\.\.\} uses the config provider env, which this worker does not allow/),
      expect.stringMatching(/^http\.headers\.additional: \$\{file:\.\.\.\} uses the config provider file, which this worker does not allow/),
    ]);
    expect(read.filter((name) => name === 'SOME_VAR')).toEqual([]);
    expect(connectors.list()).toEqual([]);
    expect(started).toBe(0);
  });
});

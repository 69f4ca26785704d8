/** WORKER_TASKS_MAX_PER_CONNECTOR: tasks.max is a maximum; the worker runs at most its cap of task processes per connector. */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from '@jest/globals';
import { NO_PROVIDERS, TRUSTED_PROVIDERS } from '../../src/common/config/providers.js';
import { connectorPipeline } from '../../src/connector/definePipeline.js';
import type { startPipeline } from '../../src/connector/startPipeline.js';
import { ManagedConnector } from '../../src/worker/connector.js';
import { Connectors } from '../../src/worker/connectors.js';
import { LogLevels } from '../../src/worker/log-levels.js';
import { handleApi } from '../../src/worker/routes.js';
import type { RunningTasks } from '../../src/worker/running-tasks.js';
import type { TaskProcessesOptions } from '../../src/worker/task-processes.js';
import { workerOptions } from '../../src/worker/worker-config.js';
import { captureLog } from '../support/harness.js';

const PLUGIN = 'io.aiven.kafka.connect.http.HttpSinkConnector';
const VALID = { topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none' };
const noPipeline = (() => Promise.reject(new Error('no pipeline in this test'))) as unknown as typeof startPipeline;

describe('the worker cap on task processes per connector', () => {
  it('defaults to the number of cores, and is set by WORKER_TASKS_MAX_PER_CONNECTOR', () => {
    expect(workerOptions({}).tasksMaxPerConnector).toBe(availableParallelism());
    expect(workerOptions({ WORKER_TASKS_MAX_PER_CONNECTOR: '3' }).tasksMaxPerConnector).toBe(3);
    expect(() => workerOptions({ WORKER_TASKS_MAX_PER_CONNECTOR: '0' })).toThrow(/WORKER_TASKS_MAX_PER_CONNECTOR/);
  });

  it('accepts a config asking more tasks than the cap, as Kafka Connect accepts tasks.max (a maximum)', async () => {
    const { log } = captureLog('error');
    const store = { load: () => new Map(), save: async () => undefined };
    const deps = () => ({ env: {}, log, observer: () => undefined as never, statisticsIntervalMs: 1000, start: noPipeline, providers: NO_PROVIDERS });
    const connectors = new Connectors({ store, env: {}, providers: NO_PROVIDERS, log, deps });
    const on = { connectors, env: {}, workerId: 'w', version: '0', providers: NO_PROVIDERS, loggers: new LogLevels(log, () => []), clusterId: async () => '' };
    const validated = await handleApi(on, { method: 'PUT', path: `/connector-plugins/${PLUGIN}/config/validate`, query: new URLSearchParams(), body: { 'connector.class': PLUGIN, name: 'n', ...VALID, 'tasks.max': '64' } });
    expect((validated.body as { error_count: number }).error_count).toBe(0);
  });

  it('runs as many task processes as the cap allows and says so, for a file or a config asking more', async () => {
    const { log, lines } = captureLog('warn');
    const launched: TaskProcessesOptions[] = [];
    const connector = new ManagedConnector('file', { name: 'file', ...VALID, 'tasks.max': '8' }, connectorPipeline, 'file', false, {
      env: {},
      log,
      observer: () => undefined as never,
      statisticsIntervalMs: 1000,
      start: noPipeline,
      providers: TRUSTED_PROVIDERS,
      tasksMaxCap: 2,
      startProcesses: async (options) => {
        launched.push(options);
        return { tasks: () => [0, 1].map((id) => ({ id, state: 'RUNNING', inFlight: 0 })), hold: () => undefined } as unknown as RunningTasks;
      },
    });
    await connector.start();
    expect(launched.map((o) => o.settings.tasksMax)).toEqual([2]);
    expect(connector.tasks().map((t) => t.id)).toEqual([0, 1]);
    expect(lines.join('')).toMatch(/tasks\.max=8: running 2 task processes, the most this worker runs per connector \(WORKER_TASKS_MAX_PER_CONNECTOR\)/);
  });
});

describe('the worker cap on connectors (WORKER_CONNECTORS_MAX)', () => {
  it('refuses a create, or a PUT that would create, past the cap, and takes one again after a delete', async () => {
    expect(workerOptions({}).maxConnectors).toBe(256);
    expect(workerOptions({ WORKER_CONNECTORS_MAX: '2' }).maxConnectors).toBe(2);
    const { log } = captureLog('error');
    const store = { load: () => new Map(), save: async () => undefined };
    const deps = () => ({ env: {}, log, observer: () => undefined as never, statisticsIntervalMs: 1000, start: noPipeline, providers: NO_PROVIDERS });
    const connectors = new Connectors({ store, env: {}, providers: NO_PROVIDERS, log, deps, maxConnectors: 2 });
    connectors.open();
    const on = { connectors, env: {}, workerId: 'w', version: '0', providers: NO_PROVIDERS, loggers: new LogLevels(log, () => []), clusterId: async () => '' };
    const api = (method: string, path: string, body?: unknown) => handleApi(on, { method, path, query: new URLSearchParams(), body }).catch((error: { status: number; message: string }) => ({ status: error.status, body: error.message }));
    expect((await api('POST', '/connectors', { name: 'a', config: VALID })).status).toBe(201);
    expect((await api('PUT', '/connectors/b/config', VALID)).status).toBe(201);
    expect(await api('POST', '/connectors', { name: 'c', config: VALID })).toEqual({ status: 400, body: 'This worker runs at most 2 connectors (WORKER_CONNECTORS_MAX); delete one first' });
    expect((await api('PUT', '/connectors/c/config', VALID)).status).toBe(400);
    expect((await api('PUT', '/connectors/a/config', { ...VALID, 'http.timeout': '5' })).status).toBe(200); // a change is not a new one
    expect((await api('DELETE', '/connectors/a')).status).toBe(204);
    expect((await api('POST', '/connectors', { name: 'c', config: VALID })).status).toBe(201);
  });
});

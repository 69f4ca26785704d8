/** WORKER_TASKS_MAX_PER_CONNECTOR: a connector's tasks.max above the worker's cap is refused (API) or fails to start (file). */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from '@jest/globals';
import { NO_PROVIDERS, TRUSTED_PROVIDERS } from '../../src/common/config/providers.js';
import { createLogger } from '../../src/common/log.js';
import { connectorPipeline } from '../../src/connector/definePipeline.js';
import type { startPipeline } from '../../src/connector/startPipeline.js';
import { ApiError } from '../../src/worker/api-error.js';
import { ManagedConnector } from '../../src/worker/connector.js';
import { Connectors } from '../../src/worker/connectors.js';
import { LogLevels } from '../../src/worker/log-levels.js';
import { handleApi, type ApiContext } from '../../src/worker/routes.js';
import type { RunningTasks } from '../../src/worker/running-tasks.js';
import { workerOptions } from '../../src/worker/worker-config.js';

const PLUGIN = 'io.aiven.kafka.connect.http.HttpSinkConnector';
const VALID = { topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none' };
const log = createLogger({ level: 'error' });
const noPipeline = (() => Promise.reject(new Error('no pipeline in this test'))) as unknown as typeof startPipeline;

function context(tasksMaxCap: number): ApiContext {
  const store = { load: () => new Map(), save: async () => undefined };
  const deps = () => ({ env: {}, log, observer: () => undefined as never, statisticsIntervalMs: 1000, start: noPipeline, providers: NO_PROVIDERS });
  const connectors = new Connectors({ store, env: {}, providers: NO_PROVIDERS, tasksMaxCap, log, deps });
  const loggers = new LogLevels(log, () => []);
  return { connectors, env: {}, workerId: 'w', version: '0', providers: NO_PROVIDERS, tasksMaxCap, loggers, clusterId: async () => '' };
}

async function answer(on: ApiContext, method: string, path: string, body: unknown): Promise<{ status: number; message?: string; body?: unknown }> {
  try {
    return await handleApi(on, { method, path, query: new URLSearchParams(), body });
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, message: error.message };
    throw error;
  }
}

describe('the worker cap on task processes per connector', () => {
  it('defaults to the number of cores, and is set by WORKER_TASKS_MAX_PER_CONNECTOR', () => {
    expect(workerOptions({}).tasksMaxPerConnector).toBe(availableParallelism());
    expect(workerOptions({ WORKER_TASKS_MAX_PER_CONNECTOR: '3' }).tasksMaxPerConnector).toBe(3);
    expect(() => workerOptions({ WORKER_TASKS_MAX_PER_CONNECTOR: '0' })).toThrow(/WORKER_TASKS_MAX_PER_CONNECTOR/);
  });

  it('refuses a create or config update asking more tasks with a 400 naming tasks.max and the cap', async () => {
    const on = context(4);
    const create = await answer(on, 'POST', '/connectors', { name: 'big', config: { ...VALID, 'tasks.max': '5' } });
    expect(create.status).toBe(400);
    expect(create.message).toMatch(/tasks\.max: 5 is more than the 4 task processes this worker runs per connector \(WORKER_TASKS_MAX_PER_CONNECTOR\)/);
    const put = await answer(on, 'PUT', '/connectors/big/config', { ...VALID, 'tasks.max': 1000 });
    expect(put.status).toBe(400);
    expect(put.message).toMatch(/tasks\.max: 1000 is more than the 4/);
    expect(on.connectors.has('big')).toBe(false);
    expect((await answer(on, 'PUT', '/connectors/ok/config', { ...VALID, 'tasks.max': '4' })).status).toBe(201);
  });

  it('reports it as an error of tasks.max in validate', async () => {
    const validated = await answer(context(2), 'PUT', `/connector-plugins/${PLUGIN}/config/validate`, { 'connector.class': PLUGIN, name: 'n', ...VALID, 'tasks.max': '3' });
    const body = validated.body as { error_count: number; configs: { value: { name: string; errors: string[] } }[] };
    expect(body.error_count).toBe(1);
    expect(body.configs.find((c) => c.value.name === 'tasks.max')?.value.errors).toEqual([expect.stringContaining('more than the 2 task processes')]);
  });

  it('fails to start a pipeline file asking more, saying why, and starts no task process', async () => {
    let launched = 0;
    const connector = new ManagedConnector('file', { name: 'file', ...VALID, 'tasks.max': '8' }, connectorPipeline, 'file', false, {
      env: {},
      log,
      observer: () => undefined as never,
      statisticsIntervalMs: 1000,
      start: noPipeline,
      providers: TRUSTED_PROVIDERS,
      tasksMaxCap: 2,
      startProcesses: async () => (launched++, {} as RunningTasks),
    });
    await connector.start();
    expect(launched).toBe(0);
    expect(connector.state).toBe('FAILED');
    expect(connector.trace).toMatch(/tasks\.max: 8 is more than the 2 task processes this worker runs per connector \(WORKER_TASKS_MAX_PER_CONNECTOR\); lower tasks\.max or raise the cap/);
  });
});

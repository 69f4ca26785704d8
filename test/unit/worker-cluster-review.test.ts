/**
 * Regression tests for the cluster-mode review (issue 15), without a broker: the config log is driven by a scripted
 * reader and a recording producer, the status view by records handed to it.
 */
import { describe, expect, it } from '@jest/globals';
import { NO_PROVIDERS } from '../../src/common/config/providers.js';
import { createLogger } from '../../src/common/log.js';
import { configProblems, MAX_CONFIG_KEYS as MAX_REST_CONFIG_KEYS, MAX_PROBLEMS } from '../../src/connector/config-problems.js';
import { startPipeline } from '../../src/connector/startPipeline.js';
import { ApiError } from '../../src/worker/api-error.js';
import { clusterWorkerId } from '../../src/worker/cluster/cluster-config.js';
import { MAX_CONFIG_KEYS, parseConnectorRecord } from '../../src/worker/cluster/config-record.js';
import { PRUNE_SESSIONS, StatusView } from '../../src/worker/cluster/status-view.js';
import type { TailRecord } from '../../src/worker/cluster/topic-tail.js';
import { Connectors } from '../../src/worker/connectors.js';
import { joinedWorker, scriptedTopic, workerOn } from '../support/scripted-config-topic.js';

const log = createLogger({ level: 'error' });
const VALID = { topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none' };
const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('config topic records this worker cannot validate (review HIGH 1)', () => {
  it('keeps a connector whose config this worker refuses, and a later REST save never tombstones or reverts it', async () => {
    const { topic, connectors } = await joinedWorker();
    const guarded = { ...VALID, name: 'guarded', 'http.headers.authorization': 'Bearer ${env:API_TOKEN}' };
    topic.record('connector-guarded', JSON.stringify(guarded));
    topic.record('target-state-guarded', JSON.stringify({ state: 'STARTED' }));
    expect(connectors.has('guarded')).toBe(true);
    expect(connectors.get('guarded').config).toEqual(guarded);

    await connectors.create('other', { ...VALID });
    expect(topic.written.map(([key]) => key)).toEqual(['connector-other', 'target-state-other']);
    expect(topic.written.some(([key, value]) => key.endsWith('-guarded') || value === null)).toBe(false);
  });

  it('shows FAILED where it runs, naming the refused reference, instead of dropping the connector', async () => {
    const topic = scriptedTopic();
    await topic.store.start();
    const connectors = new Connectors({
      store: topic.store,
      env: {},
      providers: NO_PROVIDERS,
      log,
      deps: () => ({ env: {}, log, observer: () => undefined as never, statisticsIntervalMs: 1000, start: startPipeline, providers: NO_PROVIDERS }),
    });
    connectors.restore([]);
    topic.store.follow((name, stored) => connectors.applyStored(name, stored));
    topic.record('connector-guarded', JSON.stringify({ ...VALID, 'http.headers.authorization': 'Bearer ${env:API_TOKEN}' }));
    for (let i = 0; i < 100 && connectors.get('guarded').state !== 'FAILED'; i++) await tick(10);
    expect(connectors.get('guarded').state).toBe('FAILED');
    expect(connectors.get('guarded').trace).toContain('http.headers.authorization');
  });

  it('a delete through REST tombstones only the connector deleted', async () => {
    const { topic, connectors } = await joinedWorker();
    topic.record('connector-a', JSON.stringify({ ...VALID, name: 'a' }));
    topic.record('connector-b', JSON.stringify({ ...VALID, name: 'b' }));
    await connectors.delete('a');
    await topic.store.flushed();
    expect(topic.written).toEqual([
      ['connector-a', null],
      ['target-state-a', null],
    ]);
  });
});

describe('records read between the store start and the join (review HIGH 2)', () => {
  it('applies a record read after start but before follow once the worker follows', async () => {
    const topic = scriptedTopic();
    await topic.store.start();
    const connectors = workerOn(topic.store, true);
    connectors.restore([]);
    topic.record('connector-late', JSON.stringify({ ...VALID, name: 'late' }));
    topic.record('target-state-late', JSON.stringify({ state: 'PAUSED' }));
    expect(connectors.has('late')).toBe(false);
    topic.store.follow((name, stored) => connectors.applyStored(name, stored));
    expect(connectors.has('late')).toBe(true);
    expect(connectors.get('late').paused).toBe(true);
  });

  it('answers 503 to every change until the worker is open, and writes nothing to the topic', async () => {
    const topic = scriptedTopic();
    await topic.store.start();
    const connectors = workerOn(topic.store, true);
    await expect(connectors.create('x', { ...VALID })).rejects.toBeInstanceOf(ApiError);
    await expect(connectors.create('x', { ...VALID })).rejects.toMatchObject({ status: 503 });
    await expect(connectors.put('x', { ...VALID })).rejects.toMatchObject({ status: 503 });
    await expect(connectors.pause('x')).rejects.toMatchObject({ status: 503 });
    await expect(connectors.delete('x')).rejects.toMatchObject({ status: 503 });
    expect(topic.written).toEqual([]);
    connectors.restore([]);
    topic.store.follow((name, stored) => connectors.applyStored(name, stored));
    connectors.open();
    await connectors.create('x', { ...VALID });
    expect(topic.written.map(([key]) => key)).toEqual(['connector-x', 'target-state-x']);
  });
});

describe('config topic records that must be skipped (review HIGH 3, MEDIUM 7)', () => {
  it('skips, fast, a record with more than MAX_CONFIG_KEYS keys, and keeps the connector as it was', async () => {
    const { topic, connectors } = await joinedWorker();
    topic.record('connector-a', JSON.stringify({ ...VALID, name: 'a' }));
    const huge: Record<string, string> = { ...VALID };
    for (let i = 0; i < 2000; i++) huge[`bogus.${i}`] = 'x';
    const started = Date.now();
    topic.record('connector-a', JSON.stringify(huge));
    expect(Date.now() - started).toBeLessThan(200);
    expect(connectors.get('a').config).toEqual({ ...VALID, name: 'a' });
  });

  it.each([
    ['JSON null', 'null', 'not a JSON object'],
    ['an array', '[1]', 'not a JSON object'],
    ['a nested value', JSON.stringify({ topics: { a: 1 } }), 'the value of topics is not a string, number or boolean'],
    ['a name other than the key', JSON.stringify({ ...VALID, name: 'b' }), 'does not match'],
    ['over 1 MB', JSON.stringify({ topics: 'x'.repeat(1_000_001) }), 'larger than'],
    ['too many keys', JSON.stringify(Object.fromEntries(Array.from({ length: MAX_CONFIG_KEYS + 1 }, (_, i) => [`k${i}`, 'v']))), 'more than'],
  ])('refuses %s', (_what, value, problem) => {
    const parsed = parseConnectorRecord('a', value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(problem);
  });

  it('a null config is skipped: no connector is made of it', async () => {
    const { topic, connectors } = await joinedWorker();
    topic.record('connector-a', 'null');
    expect(connectors.has('a')).toBe(false);
    expect(topic.store.load().size).toBe(0);
  });

  it('forgets a target state once its tombstone is read (no entry left behind)', async () => {
    const topic = scriptedTopic();
    await topic.store.start();
    topic.record('connector-a', JSON.stringify({ ...VALID, name: 'a' }));
    topic.record('connector-a', undefined);
    topic.record('target-state-a', undefined);
    topic.record('connector-a', JSON.stringify({ ...VALID, name: 'a' }));
    expect(topic.store.load().get('a')).toEqual({ config: { ...VALID, name: 'a' }, paused: false });
  });

  it(`lists at most ${MAX_PROBLEMS} problems of a REST config, and refuses one of more than ${MAX_REST_CONFIG_KEYS} keys at once`, () => {
    const config: Record<string, unknown> = { ...VALID, name: 'a' };
    for (let i = 0; i < MAX_REST_CONFIG_KEYS - 100; i++) config[`bogus.key.${i}`] = 'x';
    const problems = configProblems(config, {});
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems[0]).toMatchObject({ key: 'bogus.key.0' });
    expect(problems.at(-1)?.message).toContain(`only the first ${MAX_PROBLEMS} problems`);
    for (let i = 0; i < 2000; i++) config[`more.key.${i}`] = 'x';
    expect(configProblems(config, {})).toEqual([{ key: undefined, message: expect.stringContaining(`a connector config may hold at most ${MAX_REST_CONFIG_KEYS}`) }]);
  });
});

describe('worker ids (review MEDIUM 6)', () => {
  it('names the machine for a wildcard listen host, so workers on two machines differ', () => {
    expect(clusterWorkerId('0.0.0.0', 8083, undefined, () => 'host-a')).toBe('host-a:8083');
    expect(clusterWorkerId('::', 8083, undefined, () => 'host-b')).toBe('host-b:8083');
    expect(clusterWorkerId('', 8083, undefined, () => 'host-c')).toBe('host-c:8083');
  });

  it('keeps an explicit host, and the advertised host and port win', () => {
    expect(clusterWorkerId('10.0.0.5', 8083, undefined, () => 'unused')).toBe('10.0.0.5:8083');
    expect(clusterWorkerId('::1', 8083, undefined, () => 'unused')).toBe('[::1]:8083');
    expect(clusterWorkerId('0.0.0.0', 8083, { host: 'w1.example', port: 18083 }, () => 'unused')).toBe('w1.example:18083');
    expect(clusterWorkerId('0.0.0.0', 8083, { port: 18083 }, () => 'host-a')).toBe('host-a:18083');
  });
});

describe('status topic values (review MEDIUM 5 and 8)', () => {
  const SESSION = 1000;
  const at = (key: string, value: unknown, offset = 0): TailRecord => ({ key, value: value === undefined ? undefined : JSON.stringify(value), partition: 0, offset });

  it('refuses a task whose worker_id is not a string or whose key names another task, and /status keeps answering', () => {
    const view = new StatusView('me:1', SESSION);
    view.apply(at('worker-w:2', { worker_id: 'w:2', at: 100 }), 100, true);
    expect(() => view.apply(at('status-task-c-0', { connector: 'c', id: 0, state: 'RUNNING', worker_id: 7 }), 100, true)).toThrow('worker_id');
    expect(() => view.apply(at('status-task-c-0', { connector: 'c', id: 1, state: 'RUNNING', worker_id: 'w:2' }), 100, true)).toThrow('does not match the key');
    expect(() => view.apply(at('status-task-c-0', { connector: 'd', id: 0, state: 'RUNNING', worker_id: 'w:2' }), 100, true)).toThrow('does not match the key');
    expect(() => view.apply(at('status-task-c--1', { connector: 'c', id: -1, state: 'RUNNING', worker_id: 'w:2' }), 100, true)).toThrow('id');
    view.apply(at('status-task-c-0', { connector: 'c', id: 0, state: 'FAILED', worker_id: 'w:2', trace: 'x'.repeat(100_000 - 100) }), 100, true);
    const tasks = view.tasksOf('c', 1, 100);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ id: 0, state: 'FAILED', worker_id: 'w:2' });
    expect(tasks[0]!.trace!.length).toBeLessThanOrEqual(16_384);
  });

  it('shows each task as its last owner published it, a silent owner\'s as UNASSIGNED, and only tasks below tasks.max', () => {
    const view = new StatusView('me:1', SESSION);
    view.apply(at('worker-w:2', { worker_id: 'w:2', at: 0 }), 0, true);
    view.apply(at('worker-w:3', { worker_id: 'w:3', at: 0 }), 0, true);
    view.apply(at('status-task-c-0', { connector: 'c', id: 0, state: 'RUNNING', worker_id: 'w:2' }), 0, true);
    view.apply(at('status-task-c-1', { connector: 'c', id: 1, state: 'RUNNING', worker_id: 'w:2' }), 0, true);
    view.apply(at('status-task-c-0', { connector: 'c', id: 0, state: 'RUNNING', worker_id: 'w:3' }), 0, true); // the slot moved
    expect(view.tasksOf('c', 2, 10).map((t) => `${t.id}:${t.worker_id}`)).toEqual(['0:w:3', '1:w:2']);
    expect(view.tasksOf('c', 1, 10)).toHaveLength(1);
    view.apply(at('worker-w:2', { worker_id: 'w:2', at: 900 }), 900, true);
    expect(view.tasksOf('c', 2, SESSION + 10).map((t) => t.state)).toEqual(['UNASSIGNED', 'RUNNING']);
  });

  it('reads the leader record and refuses one whose url is not http://host:port', () => {
    const view = new StatusView('me:1', SESSION);
    view.apply(at('leader', { worker_id: 'w:2', url: 'http://w:2' }), 0, true);
    expect(view.leader()).toEqual({ worker_id: 'w:2', url: 'http://w:2' });
    expect(() => view.apply(at('leader', { worker_id: 'w:2', url: 'http://user@evil/x' }), 0, true)).toThrow('url');
    expect(() => view.apply(at('leader', { worker_id: 'w:2', url: 'file:///etc/passwd' }), 0, true)).toThrow('url');
    expect(view.leader()).toEqual({ worker_id: 'w:2', url: 'http://w:2' });
  });

  it('never trusts a heartbeat time in the future: live for one session after it arrived, not forever', () => {
    const view = new StatusView('me:1', SESSION);
    view.apply(at('worker-w:2', { worker_id: 'w:2', at: 1e15 }), 5000, false); // read from history
    expect(view.liveWorkers(5000 + SESSION + 1)).toEqual(['me:1']);
    view.apply(at('worker-w:3', { worker_id: 'w:3', at: 1e15 }), 5000, true); // fresh
    expect(view.liveWorkers(5000 + SESSION - 1)).toEqual(['me:1', 'w:2', 'w:3']);
    expect(view.liveWorkers(5000 + SESSION + 1)).toEqual(['me:1']);
  });

  it('forgets workers silent for more than PRUNE_SESSIONS session timeouts, with their tasks', () => {
    const view = new StatusView('me:1', SESSION);
    view.apply(at('worker-w:2', { worker_id: 'w:2', at: 0 }), 0, true);
    view.apply(at('status-task-c-0', { connector: 'c', id: 0, state: 'RUNNING', worker_id: 'w:2' }), 0, true);
    view.prune(SESSION * PRUNE_SESSIONS - 1);
    expect(view.tasksOf('c', 1, SESSION * PRUNE_SESSIONS - 1)).toEqual([{ id: 0, state: 'UNASSIGNED', worker_id: 'w:2' }]);
    view.prune(SESSION * PRUNE_SESSIONS + 1);
    expect(view.tasksOf('c', 1, SESSION * PRUNE_SESSIONS + 1)).toEqual([]);
  });
});

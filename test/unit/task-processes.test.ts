/** The worker's task processes (task-processes.ts) with a fake spawn, and a connector starting them (connector.ts). */
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { TRUSTED_PROVIDERS } from '../../src/common/config/providers.js';
import { connectorSettings } from '../../src/connector/connector-config.js';
import { connectorPipeline } from '../../src/connector/definePipeline.js';
import type { PipelineObserver } from '../../src/connector/observe.js';
import type { startPipeline } from '../../src/connector/startPipeline.js';
import { ManagedConnector } from '../../src/worker/connector.js';
import type { RunningTasks } from '../../src/worker/running-tasks.js';
import type { StartMessage } from '../../src/worker/task-messages.js';
import { startTaskProcesses, type TaskProcessesOptions } from '../../src/worker/task-processes.js';
import { captureLog } from '../support/harness.js';

const CONFIG = { name: 'c', topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none', 'tasks.max': '2', 'shutdown.timeout.ms': '1000' };
const quiet: PipelineObserver = { read: () => undefined, requested: () => undefined, finished: () => undefined, failed: () => undefined, statistics: () => undefined, committed: () => undefined };

class FakeChild extends EventEmitter {
  static pids = 1000;
  readonly pid = FakeChild.pids++;
  connected = true;
  readonly sent: unknown[] = [];
  readonly signals: string[] = [];
  send(message: unknown, _handle: unknown, _options: unknown, callback: () => void): boolean {
    this.sent.push(message);
    callback();
    return true;
  }
  kill(signal: string): boolean {
    this.signals.push(signal);
    return true;
  }
  exit(code: number | null, signal: string | null = null): void {
    this.connected = false;
    this.emit('exit', code, signal);
  }
}

function fakeTasks(held: () => boolean = () => false) {
  const children: FakeChild[] = [];
  const spawn = (() => {
    const child = new FakeChild();
    children.push(child);
    queueMicrotask(() => child.emit('message', { type: 'started' }));
    return child as unknown as ChildProcess;
  }) as unknown as TaskProcessesOptions['spawn'];
  const options: TaskProcessesOptions = {
    config: CONFIG,
    settings: connectorSettings(CONFIG, {}),
    providers: TRUSTED_PROVIDERS,
    env: {},
    log: captureLog().log,
    observer: () => quiet,
    statisticsIntervalMs: 1000,
    held,
    backoffMs: 100,
    command: ['node'],
    spawn: spawn!,
  };
  return { children, started: startTaskProcesses(options) };
}

afterEach(() => {
  jest.useRealTimers();
});

describe('task processes', () => {
  it('signals a draining task once: a second restart or a stop does not SIGTERM it again', async () => {
    const { children, started } = fakeTasks();
    const tasks = await started;
    expect(tasks.restartTask(0)).toBe(true);
    expect(tasks.restartTask(0)).toBe(true);
    void tasks.stop();
    expect(children[0]!.signals).toEqual(['SIGTERM']);
    expect(children[1]!.signals).toEqual(['SIGTERM']);
    for (const child of children) child.exit(0);
  });

  it('keeps tracking a live task whose kill failed: no second process starts beside it', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    const { children, started } = fakeTasks();
    const tasks = await started;
    tasks.restartTask(0);
    children[0]!.emit('error', new Error('kill EPERM')); // what ChildProcess emits when a signal could not be sent
    jest.advanceTimersByTime(60_000);
    expect(children).toHaveLength(2);
    expect(tasks.tasks()[0]).toMatchObject({ state: 'RUNNING', pid: children[0]!.pid });
    children[0]!.exit(null, 'SIGKILL'); // it ends after all: its restart starts the next one
    expect(children).toHaveLength(3);
    const stopping = tasks.stop();
    for (const child of [children[1]!, children[2]!]) child.exit(0);
    await stopping;
  });

  it('kills a restarting task that does not stop within shutdown.timeout.ms plus the margin, then starts it again', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    const { children, started } = fakeTasks();
    const tasks = await started;
    tasks.restartTask(1);
    jest.advanceTimersByTime(1000 + 10_000 - 1);
    expect(children[1]!.signals).toEqual(['SIGTERM']);
    jest.advanceTimersByTime(1);
    expect(children[1]!.signals).toEqual(['SIGTERM', 'SIGKILL']);
    children[1]!.exit(null, 'SIGKILL');
    expect(children).toHaveLength(3); // started again at once
    const stopping = tasks.stop();
    for (const child of [children[0]!, children[2]!]) child.exit(0);
    await stopping;
  });

  it('a task restarted after a backoff is no longer FAILED with the old trace while it starts, and starts as the connector is now (paused)', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    let paused = false;
    const { children, started } = fakeTasks(() => paused);
    const tasks = await started;
    children[0]!.exit(1);
    expect(tasks.tasks()[0]).toMatchObject({ state: 'FAILED', trace: expect.stringContaining('code 1') });
    paused = true;
    jest.advanceTimersByTime(100);
    expect(children).toHaveLength(3);
    expect(tasks.tasks()[0]!.state).toBe('UNASSIGNED');
    expect(tasks.tasks()[0]!.trace).toBeUndefined();
    expect((children[2]!.sent[0] as StartMessage).held).toBe(true);
    await Promise.resolve(); // its `started`
    expect(tasks.tasks()[0]!.state).toBe('RUNNING');
    const stopping = tasks.stop();
    for (const child of [children[1]!, children[2]!]) child.exit(0);
    await stopping;
  });
});

/** A connector (paused or not) whose tasks run as processes started by `startProcesses`. */
function processConnector(paused: boolean, startProcesses: (options: TaskProcessesOptions) => Promise<RunningTasks>): ManagedConnector {
  return new ManagedConnector('c', CONFIG, connectorPipeline, 'api', paused, {
    env: {},
    log: captureLog().log,
    observer: () => quiet,
    statisticsIntervalMs: 1000,
    start: (() => Promise.reject(new Error('not in process'))) as unknown as typeof startPipeline,
    providers: TRUSTED_PROVIDERS,
    startProcesses,
  });
}

describe('a connector starting task processes', () => {
  it('shows a paused task PAUSED only once its process reported the hold took (a record may still come before)', async () => {
    const { children, started } = fakeTasks();
    const tasks = await started;
    const connector = processConnector(false, () => Promise.resolve(tasks));
    await connector.start();
    const states = (): string => connector.tasks().map((t) => `${t.id}:${t.state}`).join();
    const report = (held: boolean) => ({ type: 'report', read: 0, requested: [], finished: [], failed: [], committed: [0, 0], held });
    connector.pause();
    expect(children.map((c) => c.sent.at(-1))).toEqual([{ type: 'hold', held: true }, { type: 'hold', held: true }]);
    expect(states()).toBe('0:RUNNING,1:RUNNING'); // asked, not yet held
    children[0]!.emit('message', report(true));
    expect(states()).toBe('0:PAUSED,1:RUNNING');
    children[1]!.emit('message', report(true));
    expect(states()).toBe('0:PAUSED,1:PAUSED');
    connector.resume();
    expect(states()).toBe('0:PAUSED,1:PAUSED'); // still held until each says it is lifted
    for (const child of children) child.emit('message', report(false));
    expect(states()).toBe('0:RUNNING,1:RUNNING');
    const stopping = connector.stop();
    for (const child of children) child.exit(0);
    await stopping;
  });

  it('applies a resume that came while its tasks were starting', async () => {
    let bringUp!: (tasks: RunningTasks) => void;
    const hold = jest.fn<(held: boolean) => void>();
    const running = { rdkafka: {}, done: new Promise<void>(() => undefined), stop: async () => undefined, stats: () => ({ consumed: 0, inFlight: 0, paused: false, committed: new Map(), commits: 0 }), hold, tasks: () => [], restartTask: () => true } as RunningTasks;
    let held: (() => boolean) | undefined;
    const connector = processConnector(true, (options) => {
      held = options.held;
      return new Promise((resolve) => (bringUp = resolve));
    });
    const starting = connector.start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(held?.()).toBe(true);
    connector.resume();
    expect(held?.()).toBe(false); // a task (re)started from now on starts running
    bringUp(running);
    await starting;
    expect(hold.mock.calls.at(-1)).toEqual([false]);
    expect(connector.state).toBe('RUNNING');
  });
});

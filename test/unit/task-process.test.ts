/** A task process (task-process.ts) with a fake channel and pipeline: holds while it starts, repeated signals. */
import { EventEmitter } from 'node:events';
import { describe, expect, it, jest } from '@jest/globals';
import type { RunningPipeline, startPipeline } from '../../src/connector/startPipeline.js';
import type { FromTask, StartMessage } from '../../src/worker/task-messages.js';
import { runWorkerTask, type TaskHost } from '../../src/worker/task-process.js';

class FakeHost extends EventEmitter {
  connected = true;
  readonly sent: FromTask[] = [];
  send = (message: FromTask, _handle: undefined, _options: object, callback: (error: Error | null) => void): boolean => {
    this.sent.push(message);
    callback(null);
    return true;
  };
  disconnect(): void {
    this.connected = false;
  }
}

const startMessage = (held: boolean): StartMessage => ({ type: 'start', taskId: 1, connector: {}, policy: 'trusted', statisticsIntervalMs: 5000, held });

/** A pipeline that comes up when `up()` is called, and ends when stopped. */
function fakePipeline() {
  let end!: () => void;
  const done = new Promise<void>((resolve) => (end = resolve));
  // its partitions pause with a hold (unless `pausing(false)`: the consumer could not pause them yet)
  let paused = false;
  let pauses = true;
  const hold = jest.fn<(held: boolean) => void>((held) => (paused = held && pauses));
  const stop = jest.fn(() => (end(), done));
  const running = { done, hold, stop, stats: () => ({ consumed: 0, inFlight: 0, paused, committed: new Map(), commits: 0 }) } as unknown as RunningPipeline;
  let up!: () => void;
  const started = new Promise<void>((resolve) => (up = resolve));
  const start = (async () => {
    await started;
    return running;
  }) as unknown as typeof startPipeline;
  return { start, up, hold, stop, pausing: (value: boolean) => (pauses = value) };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A task started (not paused) whose pipeline is up. */
async function runningTask() {
  const host = new FakeHost();
  const pipeline = fakePipeline();
  const exit = runWorkerTask(host as unknown as TaskHost, pipeline.start);
  host.emit('message', startMessage(false));
  pipeline.up();
  await tick();
  return { host, pipeline, exit };
}

describe('task process', () => {
  it('keeps a hold that came with the start or while the pipeline connected, and applies it once up', async () => {
    const host = new FakeHost();
    const pipeline = fakePipeline();
    const exit = runWorkerTask(host as unknown as TaskHost, pipeline.start);
    // the start and a pause in one chunk: emitted back to back
    host.emit('message', startMessage(false));
    host.emit('message', { type: 'hold', held: true });
    await tick();
    pipeline.up();
    await tick();
    expect(pipeline.hold.mock.calls.at(-1)).toEqual([true]);
    expect(host.sent.some((m) => m.type === 'started')).toBe(true);
    host.emit('message', { type: 'stop' });
    await expect(exit).resolves.toBe(0);
  });

  it('is resumed by a hold(false) that came while it connected, after a paused start', async () => {
    const host = new FakeHost();
    const pipeline = fakePipeline();
    const exit = runWorkerTask(host as unknown as TaskHost, pipeline.start);
    host.emit('message', startMessage(true));
    await tick();
    host.emit('message', { type: 'hold', held: false });
    pipeline.up();
    await tick();
    expect(pipeline.hold).not.toHaveBeenCalledWith(true);
    host.emit('message', { type: 'stop' });
    await expect(exit).resolves.toBe(0);
  });

  it('reports at once whether a hold took: held only once the pipeline paused its partitions', async () => {
    const { host, pipeline, exit } = await runningTask();
    const lastReport = (): unknown => host.sent.filter((m) => m.type === 'report').at(-1);
    host.emit('message', { type: 'hold', held: true });
    await tick();
    expect(lastReport()).toMatchObject({ held: true });
    pipeline.pausing(false); // a hold the consumer could not apply yet (not connected): not held
    host.emit('message', { type: 'hold', held: true });
    await tick();
    expect(lastReport()).toMatchObject({ held: false });
    pipeline.pausing(true);
    host.emit('message', { type: 'hold', held: false });
    await tick();
    expect(lastReport()).toMatchObject({ held: false });
    host.emit('message', { type: 'stop' });
    await expect(exit).resolves.toBe(0);
  });

  it('stops once on repeated SIGTERMs, still listening after the first (no default action on the second)', async () => {
    const { host, pipeline, exit } = await runningTask();
    host.emit('SIGTERM');
    expect(host.listenerCount('SIGTERM')).toBeGreaterThan(0);
    host.emit('SIGTERM');
    host.emit('SIGINT');
    await expect(exit).resolves.toBe(0);
    expect(pipeline.stop).toHaveBeenCalledTimes(1);
    expect(host.connected).toBe(false);
  });
});

/**
 * Review findings of the worker's lifecycle: an unreadable pipelines directory is said in the log (not zero
 * connectors in silence), and a connector's stop() and remove() reject when the stop failed (the chain goes on).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { TRUSTED_PROVIDERS } from '../../src/common/config/providers.js';
import { connectorPipeline } from '../../src/connector/definePipeline.js';
import type { RunningPipeline, startPipeline } from '../../src/connector/startPipeline.js';
import { ManagedConnector } from '../../src/worker/connector.js';
import { startWorker } from '../../src/worker/worker.js';
import { workerOptions } from '../../src/worker/worker-config.js';
import { captureLog } from '../support/harness.js';

const CONFIG = { name: 'c', topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none' };

describe('worker lifecycle', () => {
  it('logs an error naming WORKER_PIPELINES_DIR when it cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipelines-'));
    const notADirectory = join(dir, 'pipelines');
    writeFileSync(notADirectory, 'a file, not a directory');
    const captured = captureLog();
    const options = workerOptions({}, { port: 0, stateDir: join(dir, 'state'), pipelinesDir: notADirectory });
    const worker = await startWorker(options, { env: { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1' }, log: captured.log });
    await worker.close();
    const line = captured.lines.find((l) => l.includes('pipelines directory cannot be read'));
    expect(line).toContain('"level":"error"');
    expect(line).toContain(notADirectory);
    expect(line).toContain('ENOTDIR');
  });

  it('rejects stop() and remove() when the pipeline failed to stop; start() and later operations go on', async () => {
    let stops = 0;
    const start: typeof startPipeline = async () =>
      ({
        config: undefined as never,
        done: new Promise<void>(() => undefined),
        stats: () => ({ consumed: 0, inFlight: 0, paused: false, committed: new Map(), commits: 0 }),
        hold: () => undefined,
        stop: () => (++stops === 1 ? Promise.reject(new Error('commit on close failed')) : Promise.resolve()),
      }) as RunningPipeline;
    const captured = captureLog();
    const connector = new ManagedConnector('c', CONFIG, connectorPipeline, 'api', false, { env: {}, log: captured.log, observer: () => undefined as never, statisticsIntervalMs: 1000, start, providers: TRUSTED_PROVIDERS });
    await connector.start();
    await expect(connector.stop()).rejects.toThrow('commit on close failed');
    expect(captured.lines.some((l) => l.includes('connector operation failed') && l.includes('commit on close failed'))).toBe(true);
    await connector.start(); // the chain goes on after a failure
    expect(connector.state).toBe('RUNNING');
    await expect(connector.remove()).resolves.toBeUndefined(); // this stop works

    stops = 0;
    const other = new ManagedConnector('d', CONFIG, connectorPipeline, 'api', false, { env: {}, log: captured.log, observer: () => undefined as never, statisticsIntervalMs: 1000, start, providers: TRUSTED_PROVIDERS });
    await other.start();
    await expect(other.remove()).rejects.toThrow('commit on close failed');
  });
});

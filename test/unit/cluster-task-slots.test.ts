/** A cluster worker runs exactly the tasks whose slots it owns, and stops them before its slots are released. */
import { describe, expect, it } from '@jest/globals';
import { NO_PROVIDERS } from '../../src/common/config/providers.js';
import { createLogger } from '../../src/common/log.js';
import type { RunningPipeline, startPipeline } from '../../src/connector/startPipeline.js';
import { Connectors } from '../../src/worker/connectors.js';

const log = createLogger({ level: 'error' });
const VALID = { topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none' };
const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('a worker whose task slots for a connector change', () => {
  it('runs exactly the tasks it owns: restarts under the new set, so dead-letter headers and metrics name the tasks the status names', async () => {
    let owned = [1];
    const started: number[] = [];
    const stopped: number[] = [];
    const start = (async (_definition, options) => {
      const taskId = options?.taskId ?? -1;
      started.push(taskId);
      return { config: { source: { rdkafka: {} } }, done: new Promise(() => undefined), stop: async () => void stopped.push(taskId), stats: () => ({ consumed: 0, inFlight: 0, paused: false, committed: new Map(), commits: 0 }), hold: () => undefined } as unknown as RunningPipeline;
    }) as typeof startPipeline;
    const connectors = new Connectors({
      store: { load: () => new Map(), save: async () => undefined },
      env: {},
      providers: NO_PROVIDERS,
      log,
      runsHere: () => owned.length > 0,
      deps: () => ({ env: {}, log, observer: () => undefined as never, statisticsIntervalMs: 1000, start, providers: NO_PROVIDERS, taskIds: () => owned }),
    });
    connectors.restore([]);
    await connectors.create('c', { ...VALID, 'tasks.max': '3' });
    for (let i = 0; i < 100 && connectors.get('c').state !== 'RUNNING'; i++) await tick(5);
    await connectors.reassign();
    expect(started).toEqual([1]); // same slots: nothing restarts

    owned = [0, 1]; // a slot came here
    await connectors.reassign();
    expect(started).toEqual([1, 0, 1]);
    expect(connectors.get('c').tasks().map((t) => t.id)).toEqual([0, 1]);

    owned = []; // every slot revoked: reassign settles only once the tasks stopped
    await connectors.reassign();
    expect(stopped).toEqual([1, 0, 1]);
    expect(connectors.get('c').state).toBe('UNASSIGNED');
  });
});

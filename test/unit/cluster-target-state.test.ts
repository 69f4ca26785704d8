/** Connect's STOPPED target state (KIP-875) in the cluster's config topic: written as Connect 3.5+ writes it, read back from either form. */
import { describe, expect, it } from '@jest/globals';
import { NO_PROVIDERS } from '../../src/common/config/providers.js';
import { createLogger } from '../../src/common/log.js';
import { startPipeline } from '../../src/connector/startPipeline.js';
import { ConfigLog } from '../../src/worker/cluster/config-log.js';
import { parseTargetState } from '../../src/worker/cluster/config-record.js';
import type { LogProducer } from '../../src/worker/cluster/log-producer.js';
import type { TailRecord } from '../../src/worker/cluster/topic-tail.js';
import { Connectors } from '../../src/worker/connectors.js';

const log = createLogger({ level: 'error' });
const VALID = { topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none' };

describe('target-state records', () => {
  it('reads state.v2 first (STOPPED), else state; a pre-3.5 STOPPED-less record as before', () => {
    expect(parseTargetState('{"state":"PAUSED","state.v2":"STOPPED"}')).toEqual({ ok: true, paused: false, stopped: true });
    expect(parseTargetState('{"state":"STOPPED"}')).toEqual({ ok: true, paused: false, stopped: true });
    expect(parseTargetState('{"state":"PAUSED","state.v2":"PAUSED"}')).toEqual({ ok: true, paused: true });
    expect(parseTargetState('{"state":"STARTED"}')).toEqual({ ok: true, paused: false });
  });

  it('a stop through the API is written as Connect writes it, read back as STOPPED, and a resume as STARTED', async () => {
    const written: [string, string | null][] = [];
    let deliver: (record: TailRecord) => void = () => undefined;
    let offset = 0;
    const producer = {
      write: async (_topic: string, key: string, value: string | null) => {
        written.push([key, value]);
        const at = offset++;
        deliver({ key, value: value ?? undefined, partition: 0, offset: at });
        return { partition: 0, offset: at };
      },
    } as unknown as LogProducer;
    const store = new ConfigLog({ kafka: {}, topic: 'connect-configs', producer, log }, (onRecord) => {
      deliver = onRecord;
      return { start: async () => undefined, readPast: async () => undefined, close: async () => undefined };
    });
    await store.start();
    const connectors = new Connectors({
      store,
      env: {},
      providers: NO_PROVIDERS,
      log,
      deps: () => ({ env: {}, log, observer: () => undefined as never, statisticsIntervalMs: 1000, start: startPipeline, providers: NO_PROVIDERS }),
      runsHere: () => false,
    });
    connectors.restore([]);
    store.follow((name, stored) => connectors.applyStored(name, stored));
    await connectors.create('a', { ...VALID });
    await connectors.target('a', 'STOPPED');
    expect(written.at(-1)).toEqual(['target-state-a', '{"state":"PAUSED","state.v2":"STOPPED"}']);
    expect(connectors.get('a').stopped).toBe(true);
    expect(store.load().get('a')).toMatchObject({ stopped: true });
    await connectors.resume('a');
    expect(written.at(-1)).toEqual(['target-state-a', '{"state":"STARTED"}']);
    expect(connectors.get('a').stopped).toBe(false);
    expect(connectors.get('a').state).toBe('UNASSIGNED'); // runs on another worker
  });
});

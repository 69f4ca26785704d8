/** Connect's STOPPED target state (KIP-875) in the cluster's config topic: written as Connect 3.5+ writes it, read back from either form. */
import { describe, expect, it } from '@jest/globals';
import { parseTargetState } from '../../src/worker/cluster/config-record.js';
import { joinedWorker } from '../support/scripted-config-topic.js';

const VALID = { topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none' };

describe('target-state records', () => {
  it('reads state.v2 first (STOPPED), else state; a pre-3.5 STOPPED-less record as before', () => {
    expect(parseTargetState('{"state":"PAUSED","state.v2":"STOPPED"}')).toEqual({ ok: true, paused: false, stopped: true });
    expect(parseTargetState('{"state":"STOPPED"}')).toEqual({ ok: true, paused: false, stopped: true });
    expect(parseTargetState('{"state":"PAUSED","state.v2":"PAUSED"}')).toEqual({ ok: true, paused: true });
    expect(parseTargetState('{"state":"STARTED"}')).toEqual({ ok: true, paused: false });
  });

  it('a stop through the API is written as Connect writes it, read back as STOPPED, and a resume as STARTED', async () => {
    const { topic: { store, written }, connectors } = await joinedWorker();
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

/**
 * Every worker answers every call (issue 21): a task restart reaches the worker that runs the task; restarts, topics
 * and cluster-scoped loggers reach every live worker; a worker that cannot reach the one it needs answers 409 or
 * 503, never an answer about part of the cluster.
 */
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/common/log.js';
import { FORWARDED_HEADER, type WriteRequest } from '../../src/worker/cluster/forward.js';
import { type PeerView, peerCalls } from '../../src/worker/cluster/peer-calls.js';
import type { ApiResponse } from '../../src/worker/routes.js';
import { jsonResponse, scriptedFetch } from './fakes.js';

const log = createLogger({ level: 'error' });

function request(method: string, path: string, search = '', headers: Record<string, string> = {}): WriteRequest {
  return { method, path, search, body: undefined, headers: { authorization: 'Bearer t', ...headers } };
}

/** Worker `here` runs task 0 of `c`, `127.0.0.1:2` runs task 1; `c` has tasks 0 and 1. */
function view(owner: Partial<Record<number, string>> = { 1: '127.0.0.1:2' }, peers = ['127.0.0.1:2']): PeerView {
  return { peers: () => peers, ownerOf: (_n, task) => owner[task], taskIdsOf: () => [0], allTaskIdsOf: () => [0, 1], hasTasks: (name) => name === 'c' };
}

const here = (answer: ApiResponse) => async (): Promise<ApiResponse> => answer;

describe('calls that reach the workers running the tasks', () => {
  it('restarts a task here when it runs here, and on its worker (credentials and mark with it) when it runs there', async () => {
    const { fetch, asked } = scriptedFetch({ 'http://127.0.0.1:2/': () => jsonResponse(204) });
    const calls = peerCalls(view(), log, { fetch });
    expect(await calls(request('POST', '/connectors/c/tasks/0/restart'), here({ status: 204, body: 'local' }))).toEqual({ status: 204, body: 'local' });
    expect(asked).toHaveLength(0);
    expect(await calls(request('POST', '/connectors/c/tasks/1/restart'), here({ status: 500 }))).toEqual({ status: 204 });
    expect(asked.map((a) => a.url)).toEqual(['http://127.0.0.1:2/connectors/c/tasks/1/restart']);
    expect(asked[0]!.init.headers).toMatchObject({ authorization: 'Bearer t', [FORWARDED_HEADER]: '1' });
  });

  it('answers 404 here for an unknown connector or task, 409 when the task runs nowhere, and 409 to a forwarded one it does not own', async () => {
    const { fetch, asked } = scriptedFetch({});
    const calls = peerCalls(view({}), log, { fetch, ownerWaitMs: 200 });
    const notFound = here({ status: 404 });
    expect(await calls(request('POST', '/connectors/x/tasks/1/restart'), notFound)).toEqual({ status: 404 });
    expect(await calls(request('POST', '/connectors/c/tasks/7/restart'), notFound)).toEqual({ status: 404 });
    expect(await calls(request('POST', '/connectors/c/tasks/1/restart'), notFound)).toMatchObject({ status: 409, body: { message: expect.stringContaining('runs on no worker') } });
    expect(await calls(request('POST', '/connectors/c/tasks/1/restart', '', { [FORWARDED_HEADER]: '1' }), notFound)).toMatchObject({ status: 409 });
    expect(asked).toHaveLength(0);
  });

  it('answers 503 when the task\'s worker does not answer', async () => {
    const calls = peerCalls(view(), log, { fetch: scriptedFetch({}).fetch, ownerWaitMs: 200 });
    await expect(calls(request('POST', '/connectors/c/tasks/1/restart'), here({ status: 204 }))).rejects.toMatchObject({ status: 503 });
  });

  it('restarts everywhere, lists every worker\'s topics, and sets cluster-scoped loggers on every worker', async () => {
    const { fetch, asked } = scriptedFetch({ 'http://127.0.0.1:2/connectors/c/topics': () => jsonResponse(200, { c: { topics: ['t2', 't1'] } }), 'http://127.0.0.1:2/': () => jsonResponse(204) });
    const calls = peerCalls(view(), log, { fetch });
    expect(await calls(request('POST', '/connectors/c/restart'), here({ status: 204 }))).toEqual({ status: 204 });
    expect(await calls(request('GET', '/connectors/c/topics'), here({ status: 200, body: { c: { topics: ['t1', 't0'] } } }))).toEqual({ status: 200, body: { c: { topics: ['t0', 't1', 't2'] } } });
    expect(await calls(request('PUT', '/admin/loggers/root', '?scope=cluster'), here({ status: 204 }))).toEqual({ status: 204 });
    expect(await calls(request('PUT', '/admin/loggers/root'), here({ status: 200 }))).toBeUndefined(); // this worker only: handled as usual
    expect(asked.map((a) => `${a.init.method} ${a.url}`)).toEqual(['POST http://127.0.0.1:2/connectors/c/restart', 'GET http://127.0.0.1:2/connectors/c/topics', 'PUT http://127.0.0.1:2/admin/loggers/root?scope=cluster']);
    // a forwarded one is this worker's alone
    expect(await calls(request('POST', '/connectors/c/restart', '', { [FORWARDED_HEADER]: '1' }), here({ status: 204 }))).toEqual({ status: 204 });
    expect(asked).toHaveLength(3);
  });

  it('answers 503 naming a live worker that did not answer, after acting on the others', async () => {
    const { fetch } = scriptedFetch({ 'http://127.0.0.1:2/': () => jsonResponse(204) });
    const calls = peerCalls(view({}, ['127.0.0.1:2', '127.0.0.1:3']), log, { fetch });
    await expect(calls(request('POST', '/connectors/c/restart'), here({ status: 204 }))).rejects.toMatchObject({ status: 503, message: expect.stringContaining('not on 127.0.0.1:3') });
  });
});

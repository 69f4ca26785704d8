/**
 * Config writes reach the leader (issue 24): a follower forwards them with the client's credentials and answers
 * with the leader's answer; the leader reads the config topic to its end first; a worker that is not the leader
 * never forwards a forwarded request again, and one that finds no leader answers 409, never a guess.
 */
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/common/log.js';
import { ApiError } from '../../src/worker/api-error.js';
import { configWrite, FORWARDED_HEADER, forwarder, type Leadership, type WriteRequest } from '../../src/worker/cluster/forward.js';
import { jsonResponse, scriptedFetch } from './fakes.js';

const log = createLogger({ level: 'error' });
const create: WriteRequest = { method: 'POST', path: '/connectors', search: '', body: { name: 'c', config: {} }, headers: { authorization: 'Bearer t' } };

function leadership(state: { leader: boolean; url?: string }): Leadership & { reads: number } {
  const l = { reads: 0, isLeader: () => state.leader, leaderUrl: () => state.url, readConfigsToEnd: async () => void (l.reads += 1) };
  return l;
}


describe('forwarding config writes to the leader', () => {
  it('knows the writes: create, config, pause, resume, stop, delete, offsets; not reads, restarts or topics', () => {
    const writes = ['POST /connectors', 'PUT /connectors/a/config', 'PATCH /connectors/a/config', 'PUT /connectors/a/pause', 'PUT /connectors/a/resume', 'PUT /connectors/a/stop', 'DELETE /connectors/a', 'PATCH /connectors/a/offsets', 'DELETE /connectors/a/offsets'];
    expect(writes.filter((r) => !configWrite(r.split(' ')[0]!, r.split(' ')[1]!))).toEqual([]);
    const others = ['GET /connectors', 'POST /connectors/a/restart', 'GET /connectors/a/config', 'PUT /admin/loggers/x', 'GET /connectors/a/offsets', 'PUT /connectors/a/topics/reset', 'POST /connectors/a/tasks/0/restart'];
    expect(others.filter((r) => configWrite(r.split(' ')[0]!, r.split(' ')[1]!))).toEqual([]);
  });

  it('the leader takes a write itself, after reading the config topic to its end', async () => {
    const l = leadership({ leader: true });
    const http = scriptedFetch({});
    expect(await forwarder(l, log, { fetch: http.fetch })(create)).toBeUndefined();
    expect(l.reads).toBe(1);
    expect(http.asked).toEqual([]);
  });

  it('a follower forwards with the client\'s credentials, answers the leader\'s answer, then reads to the end', async () => {
    const l = leadership({ leader: false, url: 'http://leader:8083' });
    const http = scriptedFetch({ 'http://leader:8083': () => jsonResponse(409, { error_code: 409, message: 'Connector c already exists' }) });
    expect(await forwarder(l, log, { fetch: http.fetch })({ ...create, search: '?x=1' })).toEqual({ status: 409, body: { error_code: 409, message: 'Connector c already exists' } });
    expect(http.asked.map((a) => a.url)).toEqual(['http://leader:8083/connectors?x=1']);
    expect(http.asked[0]!.init.headers).toMatchObject({ authorization: 'Bearer t', [FORWARDED_HEADER]: '1' });
    expect(l.reads).toBe(0); // a refused change changed nothing to read
  });

  it('a forwarded write that reaches a worker which no longer leads is refused (409), never forwarded again', async () => {
    const http = scriptedFetch({ 'http://other': () => jsonResponse(201, {}) });
    const answer = await forwarder(leadership({ leader: false, url: 'http://other:1' }), log, { fetch: http.fetch })({ ...create, headers: { [FORWARDED_HEADER]: '1' } });
    expect(answer?.status).toBe(409);
    expect(http.asked).toEqual([]);
  });

  it('looks again when the worker named leader says it is not (slot 0 moved), until the new leader answers', async () => {
    const state: { leader: boolean; url?: string } = { leader: false, url: 'http://old:1' };
    const http = scriptedFetch({
      'http://old:1': () => {
        state.url = 'http://new:2';
        return jsonResponse(409, { error_code: 409, message: 'not the leader' }, { 'x-kafka-http-sink-not-leader': '1' });
      },
      'http://new:2': () => jsonResponse(201, { name: 'c' }),
    });
    expect(await forwarder(leadership(state), log, { fetch: http.fetch })(create)).toEqual({ status: 201, body: { name: 'c' } });
    expect(http.asked.map((a) => a.url)).toEqual(['http://old:1/connectors', 'http://new:2/connectors']);
  });

  it('answers 409 when no leader is known within the wait, and 503 when the leader does not answer', async () => {
    const none = await forwarder(leadership({ leader: false }), log, { leaderWaitMs: 200 })(create);
    expect(none).toMatchObject({ status: 409, body: { message: expect.stringContaining('no leader is known') } });
    const gone = forwarder(leadership({ leader: false, url: 'http://gone:1' }), log, { leaderWaitMs: 200, fetch: scriptedFetch({}).fetch })(create);
    await expect(gone).rejects.toEqual(expect.objectContaining({ status: 503 }));
    await expect(gone).rejects.toBeInstanceOf(ApiError);
  });
});

import { describe, expect, it } from '@jest/globals';
import { lastValueFrom, of, toArray } from 'rxjs';
import type { Authorizer } from '../../src/deliver/auth/authorizer.js';
import { noAuthorization } from '../../src/deliver/auth/authorizer.js';
import { DeliveryError, HttpNetworkError, HttpStatusError } from '../../src/common/errors.js';
import { post, type PostOptions } from '../../src/deliver/post.js';
import { AdaptiveConcurrency } from '../../src/deliver/adaptive-concurrency.js';
import type { Send } from '../../src/deliver/http-service.js';
import type { HttpRequest, HttpResponse } from '../../src/request/request.js';
import { defaultStatusPolicy } from '../../src/deliver/status-policy.js';
import { sinkRecord } from './fakes.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function request(offset: number, partition = 2): HttpRequest {
  const record = sinkRecord({ topic: 'iot', partition, offset });
  return { method: 'POST', url: 'http://sink.test/ingest', headers: { 'X-Env': 'test' }, body: String(record.value), records: [record] };
}

interface Call {
  readonly request: HttpRequest;
  readonly signal: AbortSignal;
}

/** A send that answers the n-th call with replies[n] (a status or an error to reject with) after a few ms. */
function scriptedSend(replies: readonly (number | Error)[], latencyMs = 2): { send: Send; calls: Call[] } {
  const calls: Call[] = [];
  const send: Send = async (req, signal) => {
    calls.push({ request: req, signal });
    const reply = replies[Math.min(calls.length, replies.length) - 1]!;
    await sleep(latencyMs);
    if (reply instanceof Error) throw reply;
    const response: HttpResponse = { status: reply, headers: {}, body: reply < 300 ? 'ok' : `status ${reply}` };
    return response;
  };
  return { send, calls };
}

const options = (send: Send, overrides: Partial<PostOptions> = {}): PostOptions => ({
  send,
  authorizer: noAuthorization,
  policy: defaultStatusPolicy,
  retry: { maxRetries: 2, delayMs: 5 },
  concurrency: 4,
  keyOf: () => undefined,
  ...overrides,
});

const deliver = (requests: HttpRequest[], opts: PostOptions) => lastValueFrom(of(...requests).pipe(post(opts), toArray()));

describe('post', () => {
  it('emits a Delivery with the request, the response and the attempts it took', async () => {
    const { send, calls } = scriptedSend([200]);
    const req = request(7);

    const [delivery] = await deliver([req], options(send));

    expect(calls).toHaveLength(1);
    expect(calls[0]!.request).toMatchObject({ url: req.url, body: req.body, headers: { 'X-Env': 'test' } });
    expect(delivery).toMatchObject({ request: req, attempts: 1, records: req.records, response: { status: 200 } });
  });

  it('retries a 503 and delivers on the next 200', async () => {
    const { send, calls } = scriptedSend([503, 200]);

    const [delivery] = await deliver([request(7)], options(send));

    expect(calls).toHaveLength(2);
    expect(delivery).toMatchObject({ attempts: 2, response: { status: 200 } });
  });

  it('does not retry a 400 and fails with a DeliveryError naming the records and the status', async () => {
    const { send, calls } = scriptedSend([400, 200]);

    const failure = deliver([request(7, 2)], options(send));

    await expect(failure).rejects.toBeInstanceOf(DeliveryError);
    const error = (await failure.catch((e: unknown) => e)) as DeliveryError;
    expect(error.message).toContain('topic iot partition 2 offset 7');
    expect(error.message).toContain('HTTP 400');
    expect(error).toMatchObject({ code: 'DELIVERY_FAILED', attempts: 1 });
    expect(error.lastError).toBeInstanceOf(HttpStatusError);
    expect(calls).toHaveLength(1);
  });

  it('gives up after max retries with the last status', async () => {
    const { send, calls } = scriptedSend([503, 502, 500, 200]);

    const error = (await deliver([request(3)], options(send)).catch((e: unknown) => e)) as DeliveryError;

    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.attempts).toBe(3);
    expect(error.message).toContain('HTTP 500');
    expect(calls).toHaveLength(3);
  });

  it('retries a network error (no response)', async () => {
    const { send, calls } = scriptedSend([new HttpNetworkError('ECONNRESET', 'socket hang up'), 200]);

    const [delivery] = await deliver([request(7)], options(send));

    expect(calls).toHaveLength(2);
    expect(delivery!.attempts).toBe(2);
  });

  it('does not retry an unexpected error from send, and reports it', async () => {
    const { send, calls } = scriptedSend([new TypeError('bug in send'), 200]);

    const error = (await deliver([request(7)], options(send)).catch((e: unknown) => e)) as DeliveryError;

    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.message).toContain('bug in send');
    expect(calls).toHaveLength(1);
  });

  it('applies the authorizer on every attempt, so a retried request carries the renewed header', async () => {
    let issued = 0;
    const authorizer: Authorizer = { headers: async () => ({ Authorization: `Bearer token-${++issued}` }) };
    const { send, calls } = scriptedSend([503, 200]);

    await deliver([request(7)], options(send, { authorizer }));

    expect(calls.map((c) => c.request.headers)).toEqual([
      { 'X-Env': 'test', Authorization: 'Bearer token-1' },
      { 'X-Env': 'test', Authorization: 'Bearer token-2' },
    ]);
  });

  it('aborts the request in flight when unsubscribed', async () => {
    const signals: AbortSignal[] = [];
    const send: Send = (_req, signal) => {
      signals.push(signal);
      return new Promise<HttpResponse>(() => {});
    };
    const subscription = of(request(7)).pipe(post(options(send))).subscribe();
    await sleep(5);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);

    subscription.unsubscribe();

    expect(signals[0]!.aborted).toBe(true);
  });

  it('sends requests with the same key one after another, in order, and others in parallel', async () => {
    const run = async (keyOf: PostOptions['keyOf']): Promise<{ maxInFlight: number; sent: number[] }> => {
      let inFlight = 0;
      let maxInFlight = 0;
      const sent: number[] = [];
      const send: Send = async (req) => {
        sent.push(req.records[0]!.offset);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await sleep(10);
        inFlight -= 1;
        return { status: 200, headers: {}, body: '' };
      };
      await deliver([request(1), request(2), request(3)], options(send, { keyOf }));
      return { maxInFlight, sent };
    };

    expect(await run(() => 'iot/2')).toEqual({ maxInFlight: 1, sent: [1, 2, 3] });
    expect((await run(() => undefined)).maxInFlight).toBe(3);
  });

  describe('slots across retry waits', () => {
    /** A send answering each offset from its own script (503s, then 200), logging when each attempt starts and ends. */
    function perOffsetSend(script: Record<number, readonly number[]>): { send: Send; log: string[]; maxInFlight: () => number } {
      const log: string[] = [];
      const tries = new Map<number, number>();
      let inFlight = 0;
      let max = 0;
      const send: Send = async (req) => {
        const offset = req.records[0]!.offset;
        const n = tries.get(offset) ?? 0;
        tries.set(offset, n + 1);
        const status = script[offset]?.[n] ?? 200;
        log.push(`${offset}:${status}`);
        max = Math.max(max, ++inFlight);
        await sleep(5);
        inFlight -= 1;
        return { status, headers: {}, body: '' };
      };
      return { send, log, maxInFlight: () => max };
    }
    /** A limiter pinned at 1 request in flight. */
    const oneAtATime = (): AdaptiveConcurrency => new AdaptiveConcurrency({ initial: 1, min: 1, max: 1 });
    const slow = { maxRetries: 3, delayMs: 40 };

    it('with a limiter, a request waiting for its retry holds no slot: the next request is sent meanwhile', async () => {
      const { send, log, maxInFlight } = perOffsetSend({ 1: [503, 200] });

      const deliveries = await deliver([request(1), request(2)], options(send, { concurrency: oneAtATime(), retry: slow }));

      expect(log).toEqual(['1:503', '2:200', '1:200']);
      expect(maxInFlight()).toBe(1);
      expect(deliveries.map((d) => [d.records[0]!.offset, d.attempts])).toEqual([
        [2, 1],
        [1, 2],
      ]);
    });

    it('with a limiter, a key still waits for its whole delivery, retries included (ordering=partition)', async () => {
      const { send, log } = perOffsetSend({ 1: [503, 503, 200] });

      await deliver([request(1), request(2), request(3)], options(send, { concurrency: oneAtATime(), retry: { maxRetries: 3, delayMs: 10 }, keyOf: () => 'iot/2' }));

      expect(log).toEqual(['1:503', '1:503', '1:200', '2:200', '3:200']);
    });

    it('with a fixed concurrency too: the bound counts attempts running, so the next request is sent during a retry wait', async () => {
      const { send, log, maxInFlight } = perOffsetSend({ 1: [503, 200] });

      await deliver([request(1), request(2)], options(send, { concurrency: 1, retry: slow }));

      expect(log).toEqual(['1:503', '2:200', '1:200']);
      expect(maxInFlight()).toBe(1);
    });
  });
});

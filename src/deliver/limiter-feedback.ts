/** Wraps a Send so every request's round-trip time and back-pressure (429, 503, timeouts) reach the limiter. */
import { HttpNetworkError } from '../common/errors.js';
import type { AdaptiveConcurrency } from './adaptive-concurrency.js';
import type { Send } from './http-service.js';

const BACKPRESSURE_STATUSES = new Set([429, 503]);

export function withLimiterFeedback(send: Send, limiter: Pick<AdaptiveConcurrency, 'record'>, now: () => number = Date.now): Send {
  return async (request, signal) => {
    const started = now();
    try {
      const response = await send(request, signal);
      limiter.record({ rttMs: now() - started, backpressure: BACKPRESSURE_STATUSES.has(response.status) });
      return response;
    } catch (error) {
      // An aborted request (shutdown, unsubscribe) says nothing about the endpoint.
      if (!signal.aborted) limiter.record({ rttMs: now() - started, backpressure: isTimeout(error) });
      throw error;
    }
  };
}

function isTimeout(error: unknown): boolean {
  return error instanceof HttpNetworkError && (error.networkCode === 'ETIMEDOUT' || error.networkCode === 'ESOCKETTIMEDOUT');
}

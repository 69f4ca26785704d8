/** Request -> response over keep-alive connections (got); a missing response becomes an HttpNetworkError. */
import { got, type Got, RequestError } from 'got';
import { HttpNetworkError } from '../common/errors.js';
import { createAgents, destroyAgents } from '../common/net/agents.js';
import type { HttpRequest, HttpResponse } from '../request/request.js';
import type { HttpServiceOptions } from './http-config.js';

const MAX_BODY_CHARS = 2048;

/** Sends one request; rejects only when no response arrived. Aborting the signal cancels it. */
export type Send = (request: HttpRequest, signal: AbortSignal) => Promise<HttpResponse>;

export interface HttpService {
  readonly send: Send;
  close(): void;
}

export function createHttpService(options: HttpServiceOptions): HttpService {
  const agent = createAgents(options.transport, { keepAlive: true, maxSockets: options.maxSockets });
  const client: Got = got.extend({
    agent,
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    decompress: true,
    headers: { 'user-agent': 'kafka-http-sink' },
    timeout: { request: options.timeoutMs },
  });
  return {
    send: async (request, signal) => {
      try {
        const response = await client(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal,
        });
        const body = typeof response.body === 'string' ? response.body : String(response.body);
        return {
          status: response.statusCode,
          headers: response.headers,
          body: body.length > MAX_BODY_CHARS ? `${body.slice(0, MAX_BODY_CHARS)}...` : body,
        };
      } catch (error) {
        if (error instanceof RequestError) throw networkError(error);
        throw error;
      }
    },
    close: () => destroyAgents(agent),
  };
}

/** Certificate problems get a hint: they are configuration, not a flaky network. */
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME/;

export function networkError(error: RequestError): HttpNetworkError {
  if (error.cause instanceof HttpNetworkError) return error.cause;
  const hint = CERTIFICATE_CODES.test(error.code)
    ? ' (TLS verification of the endpoint failed; if a private CA signed its certificate, set http.ssl.ca.location to that CA as PEM)'
    : '';
  return new HttpNetworkError(error.code, `${error.message}${hint}`, error);
}

/** Delivery over got (the first transport; got stays for token requests and the schema registry). */
import { createAgents, destroyAgents } from '../../common/net/agents.js';
import type { HttpNetworkError } from '../../common/errors.js';
import { gotClient, loadedGot } from '../../common/net/got-module.js';
import type { HttpServiceOptions } from '../http-config.js';
import { cut, type HttpService, networkError, RequestGuard, USER_AGENT } from './transport.js';

export function createGotTransport(options: HttpServiceOptions): HttpService {
  const agent = createAgents(options.transport, { keepAlive: true, maxSockets: options.maxSockets });
  const guard = new RequestGuard(options.timeoutMs);
  // got is loaded by the first request (got-module.ts)
  const http = gotClient((lib) => lib.got.extend({ agent, retry: { limit: 0 }, throwHttpErrors: false, followRedirect: false, decompress: true, headers: { 'user-agent': USER_AGENT } }));
  return {
    send: (request, signal) =>
      guard.run(
        signal,
        async (aborted) => {
          const { client: got } = await http();
          const response = await got(request.url, { method: request.method, headers: request.headers, body: request.body, signal: aborted });
          const body = typeof response.body === 'string' ? response.body : String(response.body);
          return { status: response.statusCode, headers: response.headers, body: cut(body) };
        },
        gotError,
      ),
    close: () => {
      guard.close();
      destroyAgents(agent);
    },
  };
}

function gotError(error: unknown): HttpNetworkError {
  const lib = loadedGot();
  if (lib === undefined || !(error instanceof lib.RequestError)) throw error;
  // got wraps the socket's error: report that one (its code and message), as the other transports do.
  const original = error.cause instanceof Error ? (error.cause as NodeJS.ErrnoException) : undefined;
  return networkError(original?.code ?? error.code, original?.message ?? error.message, error.cause ?? error);
}

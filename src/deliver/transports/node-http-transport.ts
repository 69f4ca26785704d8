/** Delivery over Node's own `node:http` / `node:https` clients, on the same keep-alive agents (TLS, proxy) as got. */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { createAgents, destroyAgents } from '../../common/net/agents.js';
import type { HttpRequest, HttpResponse } from '../../request/request.js';
import type { HttpServiceOptions } from '../http-config.js';
import { BodyCapture, type HttpService, networkError, RequestGuard, USER_AGENT } from './transport.js';

export function createNodeHttpTransport(options: HttpServiceOptions): HttpService {
  const agents = createAgents(options.transport, { keepAlive: true, maxSockets: options.maxSockets });
  const guard = new RequestGuard(options.timeoutMs);
  const mapError = (error: unknown) => {
    const e = error as NodeJS.ErrnoException;
    return networkError(e.code, e.message, error);
  };
  return {
    send: (request, signal) => guard.run(signal, (aborted) => exchange(request, aborted, agents), mapError),
    close: () => {
      guard.close();
      destroyAgents(agents);
    },
  };
}

function exchange(request: HttpRequest, signal: AbortSignal, agents: { http: http.Agent; https: https.Agent }): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    const headers: Record<string, string | number> = { 'user-agent': USER_AGENT, ...request.headers };
    const options: http.RequestOptions = { method: request.method, headers, agent: secure ? agents.https : agents.http, signal };
    const outgoing = (secure ? https : http).request(url, options, (response: IncomingMessage) => {
      const body = new BodyCapture();
      response.on('data', (chunk: Buffer) => body.add(chunk));
      response.once('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: body.text(response.headers['content-encoding']) }),
      );
      response.once('error', reject);
    });
    outgoing.once('error', reject);
    outgoing.end(request.body);
  });
}

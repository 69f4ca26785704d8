/** Delivery over undici (the HTTP/1.1 engine behind Node's fetch): one keep-alive pool per origin, TLS and proxy as configured. */
import { isIP, type Socket } from 'node:net';
import tls from 'node:tls';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { ConfigError, type HttpNetworkError } from '../../common/errors.js';
import { nodeTlsOptions, type TransportOptions } from '../../common/net/agents.js';
import { openTunnel } from '../../common/net/proxy-agent.js';
import type { HttpRequest, HttpResponse } from '../../request/request.js';
import type { HttpServiceOptions } from '../http-config.js';
import { BodyCapture, type HttpService, networkError, RequestGuard, timeoutError, USER_AGENT } from './transport.js';

export function createUndiciTransport(options: HttpServiceOptions): HttpService {
  const guard = new RequestGuard(options.timeoutMs);
  const agent = new Agent({
    connections: options.maxSockets,
    // The guard bounds the whole request with http.timeout, so failures read the same as with the other transports.
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: connector(options.transport),
  });
  const mapError = (error: unknown) => undiciError(error, options.timeoutMs);
  return {
    send: (request, signal) => guard.run(signal, (aborted) => exchange(agent, request, aborted), mapError),
    close: () => {
      guard.close();
      agent.destroy().catch(() => undefined);
    },
  };
}

/**
 * One request through undici's dispatch handler API (no response stream: the body chunks go straight to the
 * capture). It settles just after `onResponseEnd`, once undici has put the connection back in its pool, so the next
 * request reuses it rather than opening another.
 */
function exchange(agent: Agent, request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const { origin, pathname, search } = new URL(request.url);
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    const body = new BodyCapture();
    let controller: Dispatcher.DispatchController | undefined;
    signal.addEventListener('abort', () => controller?.abort(signal.reason as Error), { once: true });
    agent.dispatch(
      { origin, path: `${pathname}${search}`, method: request.method, headers: { 'user-agent': USER_AGENT, ...request.headers }, body: request.body },
      {
        onRequestStart: (started) => {
          controller = started;
          if (signal.aborted) started.abort(signal.reason as Error);
        },
        onResponseStart: (_controller, statusCode, responseHeaders) => {
          status = statusCode;
          headers = responseHeaders;
        },
        onResponseData: (_controller, chunk) => body.add(chunk),
        // Right after this call undici schedules (setImmediate) the step that frees the connection for another
        // request; settling after that step lets the next request reuse it instead of opening a second one.
        onResponseEnd: () => process.nextTick(() => setImmediate(() => resolve({ status, headers, body: body.text(headers['content-encoding']) }))),
        onResponseError: (_controller, error) => reject(error),
      },
    );
  });
}

/** Opens connections with the TLS settings, directly or through the proxy's CONNECT tunnel (the same tunnel code as the agents). */
function connector(transport: TransportOptions): buildConnector.connector {
  const { proxy } = transport;
  const tlsOptions: tls.ConnectionOptions = nodeTlsOptions(transport.tls);
  if (proxy === undefined) return buildConnector({ ...tlsOptions, timeout: transport.timeoutMs + 1000 });
  return (options, callback) => {
    const secure = options.protocol === 'https:';
    const port = Number(options.port || (secure ? 443 : 80));
    openTunnel(proxy, options.hostname, port, transport.timeoutMs, (error, tunnel) => {
      if (error) return callback(error, null);
      if (!secure) return callback(null, tunnel as Socket);
      const servername = options.servername || (isIP(options.hostname) ? undefined : options.hostname);
      const socket = tls.connect({ ...tlsOptions, socket: tunnel, servername });
      const fail = (failure: Error): void => {
        socket.destroy();
        callback(failure, null);
      };
      socket.once('error', fail);
      socket.once('secureConnect', () => {
        socket.removeListener('error', fail);
        callback(null, socket);
      });
    });
  };
}

/** undici's own error codes as the Node codes the other transports report. */
function undiciError(error: unknown, timeoutMs: number): HttpNetworkError {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'UND_ERR_SOCKET':
      // The connection closed before the response: the underlying code when the socket gave one.
      return e.cause instanceof Error && (e.cause as NodeJS.ErrnoException).code
        ? networkError((e.cause as NodeJS.ErrnoException).code, e.cause.message, e.cause)
        : networkError('ECONNRESET', 'socket hang up', error);
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return timeoutError(timeoutMs);
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED':
      // A request undici will not send (e.g. a Transfer-Encoding, Keep-Alive, Upgrade or Expect header): no retry helps.
      throw new ConfigError('http.client', `undici cannot send this request (${e.message}); remove that header or set http.client=node`);
    default:
      return networkError(e.code, e.message, error);
  }
}

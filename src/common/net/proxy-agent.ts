/** Agents that reach the endpoint through an HTTP proxy: a CONNECT tunnel per connection, TLS inside it for https. */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { HttpNetworkError } from '../errors.js';
import type { ProxyOptions } from './proxy-config.js';

type Callback = (error: Error | null, socket: Duplex) => void;

/** Opens a CONNECT tunnel to host:port through the proxy; the callback gets the raw tunnel socket. */
export function openTunnel(proxy: ProxyOptions, host: string, port: number, timeoutMs: number, callback: Callback): void {
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const headers: Record<string, string> = { host: target };
  if (proxy.user !== undefined) {
    headers['proxy-authorization'] = `Basic ${Buffer.from(`${proxy.user}:${proxy.password?.reveal() ?? ''}`).toString('base64')}`;
  }
  const request = http.request({ host: proxy.host, port: proxy.port, method: 'CONNECT', path: target, headers, agent: false, timeout: timeoutMs });
  const fail = (code: string, message: string): void => {
    request.destroy();
    callback(new HttpNetworkError(code, `proxy ${proxy.host}:${proxy.port}: ${message}`), undefined as unknown as Duplex);
  };
  request.once('connect', (response, socket) => {
    request.removeAllListeners('timeout');
    if (response.statusCode === 200) return callback(null, socket);
    socket.destroy();
    fail('PROXY_REFUSED', `CONNECT ${target} answered ${response.statusCode ?? '?'} ${response.statusMessage ?? ''}`.trim());
  });
  request.once('response', (response) => {
    response.resume();
    fail('PROXY_REFUSED', `CONNECT ${target} answered ${response.statusCode ?? '?'}`);
  });
  request.once('timeout', () => fail('ETIMEDOUT', `no answer to CONNECT ${target} within ${timeoutMs} ms`));
  request.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? 'PROXY_ERROR', error.message));
  request.end();
}

/** For http:// endpoints: plain HTTP inside the tunnel. */
export class HttpTunnelAgent extends http.Agent {
  constructor(
    private readonly proxy: ProxyOptions,
    private readonly timeoutMs: number,
    options: http.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: http.ClientRequestArgs, callback?: Callback): Duplex | null | undefined {
    openTunnel(this.proxy, options.host ?? 'localhost', Number(options.port ?? 80), this.timeoutMs, callback!);
    return undefined;
  }
}

/** For https:// endpoints: TLS (with the agent's CA, client certificate and verification settings) inside the tunnel. */
export class HttpsTunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: ProxyOptions,
    private readonly timeoutMs: number,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: https.RequestOptions, callback?: Callback): Duplex | null | undefined {
    const host = options.host ?? 'localhost';
    openTunnel(this.proxy, host, Number(options.port ?? 443), this.timeoutMs, (error, socket) => {
      if (error) return callback!(error, socket);
      const servername = options.servername || (isIP(host) ? undefined : host);
      const secure = tls.connect({ ...(options as tls.ConnectionOptions), socket, servername });
      callback!(null, secure);
    });
    return undefined;
  }
}

/**
 * A local HTTP endpoint on 127.0.0.1 that records every request and answers as scripted: succeed, fail with a
 * status, answer late, stall (never answer) or reset the connection. The demo, the bench and the tests use it.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as TlsServerOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** ms since the epoch when the body was complete. */
  readonly at: number;
  /** HTTPS only: the subject CN of the client certificate, when one was presented and verified. */
  readonly clientCertificate?: string;
}

export type Reply =
  | { status?: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  | 'stall'
  | 'reset';

/** Decides the reply to the n-th request (0-based). Stalled and reset requests are recorded too. */
export type Responder = (request: ReceivedRequest, index: number) => Reply | Promise<Reply>;

export interface Receiver {
  readonly url: string;
  /** Every request received, in arrival order, including failed ones. */
  readonly requests: ReceivedRequest[];
  /** Requests answered with a 2xx status. */
  readonly accepted: ReceivedRequest[];
  respondWith(responder: Responder): void;
  /** Resolves when at least `count` requests were accepted; rejects after `timeoutMs`. */
  waitForAccepted(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  port?: number;
  respond?: Responder;
  onRequest?: (request: ReceivedRequest, reply: Reply) => void;
  /** Serve HTTPS with these TLS options (certificate, key, and for mutual TLS `requestCert` with a `ca`). */
  tls?: TlsServerOptions;
}

export const ok: Responder = () => ({ status: 200, body: 'ok' });

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  let responder = options.respond ?? ok;
  const requests: ReceivedRequest[] = [];
  const accepted: ReceivedRequest[] = [];
  const waiters = new Set<() => void>();
  const stalled = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        at: Date.now(),
        clientCertificate: clientCertificateOf(req),
      };
      const index = requests.length;
      requests.push(request);
      void Promise.resolve(responder(request, index)).then((reply) => {
        options.onRequest?.(request, reply);
        if (reply === 'reset') {
          req.socket.destroy();
          return;
        }
        if (reply === 'stall') {
          stalled.add(res);
          return;
        }
        const answer = (): void => {
          const status = reply.status ?? 200;
          if (status >= 200 && status < 300) {
            accepted.push(request);
            for (const wake of waiters) wake();
          }
          res.writeHead(status, { 'content-type': 'text/plain', ...reply.headers });
          res.end(reply.body ?? '');
        };
        if (reply.delayMs) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            answer();
          }, reply.delayMs);
          timers.add(timer);
        } else {
          answer();
        }
      });
    });
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, handle) : createServer(handle);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    accepted,
    respondWith: (next) => {
      responder = next;
    },
    waitForAccepted: (count, timeoutMs) =>
      new Promise((resolve, reject) => {
        if (accepted.length >= count) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver: ${accepted.length} of ${count} requests accepted after ${timeoutMs} ms`));
        }, timeoutMs);
        const check = (): void => {
          if (accepted.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      }),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function clientCertificateOf(req: IncomingMessage): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function' || socket.authorized !== true) return undefined;
  const cn = socket.getPeerCertificate().subject?.CN;
  return Array.isArray(cn) ? cn.join(',') : cn;
}

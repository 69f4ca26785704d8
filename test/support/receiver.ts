/**
 * A local HTTP endpoint on 127.0.0.1 that records every request and answers as scripted: succeed, fail with a
 * status, answer late, stall (never answer), reset the connection (after the request body, as soon as its first
 * chunk arrived, or halfway through the response body), or go down altogether (connection refused) and come back on
 * the same port. The demo, the bench and the tests use it.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as TlsServerOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body; for a request cut by 'reset-mid-body', only what had arrived. */
  readonly body: Buffer;
  /** ms since the epoch when the body was complete (when it was cut, for 'reset-mid-body'). */
  readonly at: number;
  /** HTTPS only: the subject CN of the client certificate, when one was presented and verified. */
  readonly clientCertificate?: string;
  /** Set when the receiver reset the connection before the body was complete ('reset-mid-body'). */
  readonly bodyCut?: true;
}

export type Reply =
  | {
      status?: number;
      body?: string;
      headers?: Record<string, string>;
      delayMs?: number;
      /** Write the status line, the headers (with the whole body's content-length) and half the body, then reset. */
      resetMidResponse?: boolean;
    }
  | 'stall'
  | 'reset';

/** Decides the reply to the n-th request (0-based). Stalled and reset requests are recorded too. */
export type Responder = (request: ReceivedRequest, index: number) => Reply | Promise<Reply>;

/** The request line and headers, as known when the first body chunk arrives. */
export type RequestHead = Pick<ReceivedRequest, 'method' | 'path' | 'headers'>;

/**
 * Asked when the first chunk of a request's body arrives and the body is not complete with it (a body that arrives
 * in one read cannot be cut halfway, so it is not offered): 'reset-mid-body' destroys the connection there, before
 * the rest was read (the request is recorded with what arrived, `bodyCut` set, and never reaches the responder);
 * undefined lets the request go on to the responder.
 */
export type EarlyResponder = (head: RequestHead) => 'reset-mid-body' | undefined;

export interface Receiver {
  readonly url: string;
  /** Every request received, in arrival order, including failed ones. */
  readonly requests: ReceivedRequest[];
  /** Requests answered with a 2xx status (in full: not those cut by resetMidResponse). */
  readonly accepted: ReceivedRequest[];
  respondWith(responder: Responder): void;
  /** Resolves when at least `count` requests were accepted; rejects after `timeoutMs`. */
  waitForAccepted(count: number, timeoutMs: number): Promise<void>;
  /** An outage: stops listening (new connections are refused) and drops every open connection, in flight or idle. */
  down(): Promise<void>;
  /** The end of the outage: listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  port?: number;
  respond?: Responder;
  /** See EarlyResponder; by default no request is cut early. */
  early?: EarlyResponder;
  /** Called once the reply to a request is decided (before any delay), for stalled and reset requests too. */
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
    const head = (): RequestHead => ({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    let cut = false;
    req.on('data', (chunk: Buffer) => {
      if (cut) return;
      chunks.push(chunk);
      const whole = Number(req.headers['content-length'] ?? Number.NaN);
      if (chunks.length === 1 && !(chunk.length >= whole) && options.early?.(head()) === 'reset-mid-body') {
        cut = true;
        requests.push({ ...head(), body: Buffer.concat(chunks), at: Date.now(), clientCertificate: clientCertificateOf(req), bodyCut: true });
        req.socket.destroy();
      }
    });
    req.on('end', () => {
      if (cut) return;
      const request: ReceivedRequest = { ...head(), body: Buffer.concat(chunks), at: Date.now(), clientCertificate: clientCertificateOf(req) };
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
          if (reply.resetMidResponse) {
            const body = Buffer.from(reply.body || 'this answer is cut halfway');
            res.writeHead(status, { 'content-type': 'text/plain', ...reply.headers, 'content-length': String(body.length) });
            res.write(body.subarray(0, Math.floor(body.length / 2)), () => req.socket.destroy());
            return;
          }
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
  await listen(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;

  const stopListening = async (): Promise<void> => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const res of stalled) res.destroy();
    stalled.clear();
    server.closeAllConnections();
    await closed;
  };

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
    down: stopListening,
    up: async () => {
      if (!server.listening) await listen(server, port);
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      await stopListening();
    },
  };
}

/** Listens on 127.0.0.1:`port`; a port that is briefly taken (coming back after `down`) is tried for up to 5 s. */
async function listen(server: Server, port: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0 || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function clientCertificateOf(req: IncomingMessage): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function' || socket.authorized !== true) return undefined;
  const cn = socket.getPeerCertificate().subject?.CN;
  return Array.isArray(cn) ? cn.join(',') : cn;
}

/**
 * The conformance suite every delivery transport (`http.client`: node, undici, got) must pass, against real
 * node:http/https servers and a CONNECT proxy on 127.0.0.1: TLS verification, CA file, mutual TLS, proxy
 * credentials, timeouts, abort on shutdown, Retry-After, keep-alive reuse, bounded error bodies, gzip bodies.
 * A failure must read the same (code and message) whichever transport met it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { gunzipSync, gzipSync } from 'node:zlib';
import { HttpNetworkError, HttpStatusError } from '../../src/common/errors.js';
import { Secret } from '../../src/common/config/secret.js';
import type { TransportOptions } from '../../src/common/net/agents.js';
import { HTTP_CLIENTS, type HttpClient } from '../../src/deliver/http-config.js';
import { createHttpService, type HttpService } from '../../src/deliver/http-service.js';
import { checkResponse, defaultStatusPolicy } from '../../src/deliver/status-policy.js';
import type { HttpRequest, HttpResponse } from '../../src/request/request.js';
import { makeTestCerts, type TestCerts } from '../support/certs.js';
import { type ConnectProxy, startConnectProxy } from '../support/connect-proxy.js';

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  readonly clientCertificate?: string;
}

interface TestServer {
  readonly url: string;
  readonly received: Received[];
  /** TCP connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
const okHandler: Handler = (_req, res) => res.end('ok');

const open: Array<{ close(): Promise<void> }> = [];

/** A real HTTP(S) server on 127.0.0.1 recording each request (headers, body, client certificate CN). */
async function serve(handler: Handler = okHandler, tls?: ServerOptions): Promise<TestServer> {
  const received: Received[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const socket = req.socket as Partial<TLSSocket>;
      const clientCertificate = socket.authorized === true ? (socket.getPeerCertificate?.().subject?.CN as string | undefined) : undefined;
      received.push({ headers: req.headers, body, clientCertificate });
      handler(req, res, body);
    });
  };
  const server: Server = tls ? createHttpsServer(tls, listener) : createServer(listener);
  const result: TestServer = { url: '', received, connections: 0, close: async () => {} };
  server.on(tls ? 'secureConnection' : 'connection', () => (result.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  Object.assign(result, { url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, close });
  open.push(result);
  return result;
}

/** A TCP server that accepts connections and never says a word (a TLS handshake to it never completes). */
async function silentServer(): Promise<{ url: string }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function post(url: string, body: string | Buffer = 'hello', headers: Record<string, string> = { 'content-type': 'text/plain' }): HttpRequest {
  return { method: 'POST', url, headers, body, records: [] };
}

/** The send's rejection, which must be a typed HttpNetworkError. */
async function failure(sending: Promise<HttpResponse>): Promise<HttpNetworkError> {
  const error = await sending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpNetworkError);
  return error as HttpNetworkError;
}

let certs: TestCerts;
beforeAll(() => {
  certs = makeTestCerts();
});
afterAll(() => certs.remove());

const serverTls = (): ServerOptions => ({ cert: readFileSync(certs.serverCertFile), key: readFileSync(certs.serverKeyFile) });
const verifyTls = { rejectUnauthorized: true } as const;

describe.each(HTTP_CLIENTS.map((client) => [client]))('transport %s', (client: HttpClient) => {
  const services: HttpService[] = [];
  const service = (transport: Partial<TransportOptions> = {}, timeoutMs = 10_000, maxSockets = 8): HttpService => {
    const created = createHttpService({ client, timeoutMs, maxSockets, transport: { tls: verifyTls, timeoutMs, ...transport } });
    services.push(created);
    return created;
  };
  const never = new AbortController().signal;
  afterEach(async () => {
    for (const s of services.splice(0)) s.close();
    for (const s of open.splice(0)) await s.close();
  });

  it('refuses a self-signed certificate or one from an unknown CA by default, naming the key that fixes it', async () => {
    const selfSigned = await serve(okHandler, { cert: readFileSync(certs.otherCaFile), key: readFileSync(join(certs.dir, 'other-ca.key')) });
    const error = await failure(service().send(post(selfSigned.url), never));
    expect(error.networkCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(error.message).toMatch(/set http\.ssl\.ca\.location to that CA as PEM\)$/);

    const privateCa = await serve(okHandler, serverTls());
    const unknownCa = await failure(service().send(post(privateCa.url), never));
    expect(unknownCa.message).toBe(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate (TLS verification of the endpoint failed; if a private CA signed its certificate, set http.ssl.ca.location to that CA as PEM)',
    );
    expect([selfSigned.received, privateCa.received]).toEqual([[], []]);
  });

  it('verifies the endpoint against the CA file, and only that CA', async () => {
    const server = await serve((_req, res) => res.end('stored'), serverTls());
    const response = await service({ tls: { ...verifyTls, ca: certs.ca } }).send(post(server.url, 'hello'), never);
    expect([response.status, response.body, server.received[0]!.body.toString()]).toEqual([200, 'stored', 'hello']);

    const other = await failure(service({ tls: { ...verifyTls, ca: readFileSync(certs.otherCaFile) } }).send(post(server.url), never));
    expect(other.networkCode).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(server.received).toHaveLength(1);
  });

  it('presents the client certificate (encrypted key) for mutual TLS, and is refused without one', async () => {
    const server = await serve(okHandler, { ...serverTls(), ca: certs.ca, requestCert: true, rejectUnauthorized: true });
    const tls = {
      ...verifyTls,
      ca: certs.ca,
      cert: readFileSync(certs.clientCertFile),
      key: new Secret(readFileSync(certs.clientEncryptedKeyFile, 'utf8')),
      passphrase: new Secret(certs.clientKeyPassword),
    };
    expect((await service({ tls }).send(post(server.url), never)).status).toBe(200);
    expect(server.received[0]!.clientCertificate).toBe('sink-client');

    const refused = await failure(service({ tls: { ...verifyTls, ca: certs.ca } }).send(post(server.url), never));
    expect(refused.networkCode).toMatch(/^(ECONNRESET|EPROTO|ERR_SSL)/);
    expect(server.received).toHaveLength(1);
  });

  it('tunnels through a proxy with credentials, and reports a refusal without showing the password', async () => {
    const proxy: ConnectProxy = await startConnectProxy({ user: 'proxy-user', password: 'proxy-pass-91c2' });
    open.push(proxy);
    const server = await serve(okHandler, serverTls());
    const tunnel = { host: proxy.host, port: proxy.port, user: 'proxy-user' };
    const through = service({ tls: { ...verifyTls, ca: certs.ca }, proxy: { ...tunnel, password: new Secret('proxy-pass-91c2') } });
    expect((await through.send(post(server.url, 'via proxy'), never)).status).toBe(200);
    expect(server.received.map((r) => r.body.toString())).toEqual(['via proxy']);
    const target = new URL(server.url).host;
    expect(proxy.connects).toEqual([expect.objectContaining({ target, allowed: true })]);

    const refused = await failure(service({ tls: { ...verifyTls, ca: certs.ca }, proxy: { ...tunnel, password: new Secret('wrong-9d1e') } }).send(post(server.url), never));
    expect(refused.message).toBe(`PROXY_REFUSED: proxy ${proxy.host}:${proxy.port}: CONNECT ${target} answered 407 Proxy Authentication Required`);
    expect(refused.message).not.toContain('wrong-9d1e');
    expect(server.received).toHaveLength(1);
  });

  it('gives up on a connection that never completes, and on a response that never comes, after http.timeout', async () => {
    const silent = await silentServer();
    let started = Date.now();
    const connect = await failure(service({ tls: { ...verifyTls, ca: certs.ca } }, 400).send(post(silent.url), never));
    expect(connect.message).toBe('ETIMEDOUT: no response within 400 ms (http.timeout)');
    expect(Date.now() - started).toBeLessThan(3000);

    const stalled = await serve(() => undefined);
    started = Date.now();
    const response = await failure(service({}, 400).send(post(stalled.url), never));
    expect(response.message).toBe('ETIMEDOUT: no response within 400 ms (http.timeout)');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(stalled.received).toHaveLength(1);
  });

  it('aborts requests in flight on close() and on the caller\'s signal, and refuses new ones once closed', async () => {
    const closedByClient: string[] = [];
    const stalled = await serve((req) => req.socket.once('close', () => closedByClient.push(req.url ?? '')));
    const http = service();
    const caller = new AbortController();
    const cancelled = failure(http.send(post(`${stalled.url}/cancelled`), caller.signal));
    const inFlight = failure(http.send(post(`${stalled.url}/in-flight`), never));
    // up to 10 s: two loopback requests (or closes) can take more than the 2 s of 100 turns on a loaded machine
    for (let i = 0; i < 500 && stalled.received.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stalled.received).toHaveLength(2);

    caller.abort();
    expect((await cancelled).message).toBe('ABORTED: request aborted: cancelled');
    const started = Date.now();
    http.close();
    expect((await inFlight).message).toBe('ABORTED: request aborted: the HTTP client is closing (shutdown)');
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await failure(http.send(post(stalled.url), never))).message).toBe('ABORTED: request aborted: the HTTP client is closed');
    for (let i = 0; i < 500 && closedByClient.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closedByClient.sort()).toEqual(['/cancelled', '/in-flight']);
  });

  it('surfaces Retry-After on the response, so the retry waits as the endpoint asked', async () => {
    const server = await serve((_req, res) => res.writeHead(429, { 'Retry-After': '7' }).end('slow down'));
    const response = await service().send(post(server.url), never);
    expect([response.status, response.headers['retry-after'], response.body]).toEqual([429, '7', 'slow down']);
    expect(() => checkResponse(response, defaultStatusPolicy)).toThrow(HttpStatusError);
    try {
      checkResponse(response, defaultStatusPolicy);
    } catch (error) {
      expect((error as HttpStatusError).retryAfterMs).toBe(7000);
    }
  });

  it('reuses one keep-alive connection for requests one after another', async () => {
    const server = await serve();
    const http = service();
    for (let i = 0; i < 10; i++) expect((await http.send(post(server.url, `r${i}`), never)).status).toBe(200);
    expect(server.received.map((r) => r.body.toString())).toEqual(Array.from({ length: 10 }, (_, i) => `r${i}`));
    expect(server.connections).toBe(1);
  });

  it('keeps a bounded part of an error body, decompressed, and reads the rest off the connection', async () => {
    const big = 'x'.repeat(200_000);
    const server = await serve((req, res) => {
      if (req.url === '/gzip') return res.writeHead(500, { 'content-encoding': 'gzip' }).end(gzipSync('{"error":"compressed"}'));
      res.writeHead(500).end(`first ${big}`);
    });
    const http = service();
    const response = await http.send(post(server.url), never);
    expect(response.status).toBe(500);
    expect(response.body).toBe(`first ${big}`.slice(0, 2048) + '...');
    expect((await http.send(post(`${server.url}/gzip`), never)).body).toBe('{"error":"compressed"}');
    expect(server.connections).toBe(1);
  });

  it('sends a gzip-compressed body as it is, with its length and Content-Encoding', async () => {
    const server = await serve();
    const text = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ id: i, value: 'record' })));
    const body = gzipSync(text);
    const headers = { 'content-type': 'application/json', 'Content-Encoding': 'gzip' };
    expect((await service().send(post(server.url, body, headers), never)).status).toBe(200);
    const [received] = server.received;
    expect([received!.headers['content-encoding'], received!.headers['content-length']]).toEqual(['gzip', String(body.length)]);
    expect(gunzipSync(received!.body).toString()).toBe(text);
  });

  it('reports a refused connection and a connection closed before the response the same way', async () => {
    const gone = await serve();
    await gone.close();
    const port = new URL(gone.url).port;
    expect((await failure(service().send(post(gone.url), never))).message).toBe(`ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}`);

    const reset = await serve((req) => req.socket.destroy());
    expect((await failure(service().send(post(reset.url), never))).message).toBe('ECONNRESET: socket hang up');
  });
});

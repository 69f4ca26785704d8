/**
 * The worker's HTTP server (node:http): credentials, JSON in and out, and dispatch to the REST API, the status
 * page, the metrics and the health checks. Errors leave in Kafka Connect's `{"error_code", "message"}` shape.
 * Other web sites must not reach the API through a user's browser: bodies must be `application/json` (a page can
 * send text/plain cross-site without a preflight), a foreign `Origin` is refused, and a loopback-bound worker
 * answers only requests addressed to a loopback host (DNS rebinding).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorMessage } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { ApiError, errorBody } from './api-error.js';
import { authorized } from './api-auth.js';
import type { WriteRequest } from './cluster/forward.js';
import type { LocalCall } from './cluster/peer-calls.js';
import type { WorkerMetrics } from './metrics.js';
import type { RateSampler } from './rates.js';
import { type ApiContext, type ApiResponse, handleApi } from './routes.js';
import { uiState } from './ui-state.js';
import { isLoopback, type WorkerAuth } from './worker-config.js';

const MAX_BODY_BYTES = 1024 * 1024;
const STATUS_PAGE = readFileSync(new URL('./ui/status-page.html', import.meta.url), 'utf8');

export interface ServerDeps {
  readonly api: ApiContext;
  readonly metrics: WorkerMetrics;
  readonly rates: RateSampler;
  readonly auth: WorkerAuth;
  readonly log: Logger;
  /** The address the server is bound to (`WORKER_HOST`). */
  readonly host: string;
  /** A connector start or stop running longer than this makes `/health` unhealthy (`WORKER_STUCK_TIMEOUT_MS`). */
  readonly stuckTimeoutMs?: number;
  /** Cluster mode: config writes reach the leader (cluster/forward.ts), task calls the workers that run them (peer-calls.ts). */
  readonly forward?: (request: WriteRequest, local: LocalCall) => Promise<ApiResponse | undefined>;
  /** Cluster mode: what this worker is responsible for and has not done yet (undefined: ready). */
  readonly notReady?: () => Record<string, string> | undefined;
}

/**
 * Bounds on what a client that never finishes a request holds (before any credentials are checked): Node's
 * defaults keep a connection 60 s for its headers and 300 s for its body, with no bound on their number, so a flood
 * of half-sent requests could take every file descriptor the worker's connectors need.
 */
const MAX_CONNECTIONS = 256;
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

export function createWorkerServer(deps: ServerDeps): Server {
  const server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 }, (req, res) => {
    respond(deps, req, res).catch((error: unknown) => {
      const apiError = error instanceof ApiError ? error : new ApiError(500, errorMessage(error));
      if (apiError.status >= 500) deps.log.error('REST request failed', { method: req.method, path: req.url, error: apiError.message });
      sendJson(res, apiError.status, errorBody(apiError), apiError.status === 401 ? challenge(deps.auth) : {});
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  return server;
}

async function respond(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://worker');
  const given = rawPath(req.url ?? '/') ?? url.pathname;
  const path = given.length > 1 ? given.replace(/\/+$/, '') : given;
  const method = req.method ?? 'GET';
  if (method === 'GET' && path === '/health') return health(deps, res);
  if (method === 'GET' && path === '/ready') return ready(deps, res, authorized(deps.auth, req.headers));
  checkSameSite(deps.host, req);
  if (!authorized(deps.auth, req.headers)) throw new ApiError(401, 'Missing or wrong credentials (WORKER_API_TOKEN or WORKER_BASIC_AUTH)');
  if (method === 'GET' && path === '/metrics') {
    res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
    res.end(await deps.metrics.text());
    return;
  }
  if (method === 'GET' && path === '/ui') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(STATUS_PAGE);
    return;
  }
  if (method === 'GET' && path === '/ui/state') return sendJson(res, 200, uiState(deps.api.connectors.list(), deps.metrics, deps.rates));
  const body = await readJson(req);
  const local = (): Promise<ApiResponse> => handleApi(deps.api, { method, path, query: url.searchParams, body });
  const answer = (await deps.forward?.({ method, path, search: url.search, body, headers: req.headers }, local)) ?? (await local());
  if (answer.body === undefined) {
    res.writeHead(answer.status, answer.headers);
    res.end();
    return;
  }
  sendJson(res, answer.status, answer.body, answer.headers);
}

/**
 * The path as sent, dot segments kept: `new URL` turns `/connectors/%2E%2E` into `/`, so a connector named `..`
 * (which older versions accepted) could not be reached to be deleted. Undefined for an absolute-form target.
 */
function rawPath(target: string): string | undefined {
  if (!target.startsWith('/')) return undefined;
  const end = target.search(/[?#]/);
  return end < 0 ? target : target.slice(0, end);
}

/** Refuses what another site could make a browser send: a request for a foreign host or from a foreign origin. */
function checkSameSite(boundHost: string, req: IncomingMessage): void {
  const host = req.headers.host ?? '';
  if (isLoopback(boundHost) && !isLoopback(hostnameOf(host))) throw new ApiError(403, `Host ${host} is not this worker's address; use 127.0.0.1 or localhost`);
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`) {
    throw new ApiError(403, `Cross-origin requests from ${origin} are not allowed`);
  }
}

/** "127.0.0.1:8083" -> "127.0.0.1", "[::1]:8083" -> "::1". */
function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

/**
 * Kafka Connect's `/health` (KIP-1017): 200 `healthy`, or 500 `unhealthy` when a connector's start, stop or restart
 * has run longer than `stuckTimeoutMs` (a stalled worker must not pass a liveness probe). Open to probes, it names
 * no connector: how many are stuck, and for how long at most.
 */
function health(deps: ServerDeps, res: ServerResponse): void {
  const now = Date.now();
  const bound = deps.stuckTimeoutMs ?? 120_000;
  const stuck = deps.api.connectors.list().flatMap((c) => (c.busySince !== undefined && now - c.busySince > bound ? [now - c.busySince] : []));
  if (stuck.length === 0) return sendJson(res, 200, { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' });
  const longest = Math.round(Math.max(...stuck) / 1000);
  sendJson(res, 500, {
    status: 'unhealthy',
    message: `Worker was unable to handle this request and may be unable to handle other requests. ${stuck.length} connector(s) stuck starting or stopping, the longest for ${longest} s (over WORKER_STUCK_TIMEOUT_MS=${bound})`,
  });
}

/**
 * Ready: every connector started and none failed (a paused or stopped one counts as ready). A cluster worker answers
 * for what it is responsible for: joined its group, configs read, the tasks of its own slots started. Which connectors
 * are not ready is told only to a caller with the API's credentials (or to anyone when the API has none).
 */
function ready(deps: ServerDeps, res: ServerResponse, withDetails: boolean): void {
  const waiting = deps.notReady ? deps.notReady() : standaloneNotReady(deps);
  if (waiting === undefined) return sendJson(res, 200, { status: 'ready' });
  sendJson(res, 503, { status: 'not ready', ...(withDetails ? { connectors: waiting } : {}) });
}

function standaloneNotReady(deps: ServerDeps): Record<string, string> | undefined {
  const notReady = deps.api.connectors.list().filter((c) => c.state !== 'RUNNING' && c.state !== 'PAUSED' && c.state !== 'STOPPED');
  return notReady.length === 0 ? undefined : Object.fromEntries(notReady.map((c) => [c.name, c.state]));
}

/** The body as JSON; undefined when empty. A body must say `Content-Type: application/json` (Connect answers 415 otherwise). */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new ApiError(415, `HTTP 415 Unsupported Media Type: send the body as Content-Type: application/json (got ${type || 'none'})`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(400, `The request body is not JSON: ${errorMessage(error)}`);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function challenge(auth: WorkerAuth): Record<string, string> {
  return auth.basic ? { 'www-authenticate': 'Basic realm="kafka-http-sink"' } : {};
}

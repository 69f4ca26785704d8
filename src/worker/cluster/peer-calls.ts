/**
 * Every worker answers every call (as in Kafka Connect): a call that acts on tasks reaches the workers that run them,
 * over their REST listeners, the way config writes reach the leader (forward.ts).
 * - `POST .../tasks/{id}/restart` goes to the worker that runs the task (the status topic names it; that worker
 *   checks that it still owns the task's slot and answers 409 if not, and the caller looks again for up to 5 s).
 * - `POST .../restart`, `GET .../topics`, `PUT .../topics/reset` and `PUT /admin/loggers/{name}?scope=cluster` go to
 *   every live worker (those whose heartbeat in the status topic is within the session timeout) and here; the
 *   answer is this worker's, the topics the union of every worker's.
 * A worker that cannot reach the one it needs answers 409 (the task runs nowhere now: a rebalance) or 503 (it did
 * not answer), never an answer about only part of the cluster.
 */
import type { Logger } from '../../common/log.js';
import { ApiError } from '../api-error.js';
import type { ApiResponse } from '../routes.js';
import { callWorker, FORWARDED_HEADER, NOT_LEADER_HEADER, notLeader, type WriteRequest } from './forward.js';

/** What the calls need to know about the cluster. */
export interface PeerView {
  /** The other live workers' ids (`host:port`). */
  peers(): string[];
  /** The live worker that last published the task as its own. */
  ownerOf(name: string, task: number): string | undefined;
  /** The task ids of `name` this worker runs now. */
  taskIdsOf(name: string): number[];
  /** Every task id of `name` in the cluster. */
  allTaskIdsOf(name: string): number[];
  /** Whether the connector exists and is not STOPPED (a stopped one has no task to restart). */
  hasTasks(name: string): boolean;
}

/** This worker's own answer to the request. */
export type LocalCall = () => Promise<ApiResponse>;

export interface PeerCallOptions {
  /** How long a task restart looks for the task's worker (a rebalance moving it); default 5 s. */
  readonly ownerWaitMs?: number;
  readonly fetch?: typeof fetch;
}

const OWNER_WAIT_MS = 5000;
const TASK_RESTART = /^\/connectors\/([^/]+)\/tasks\/(\d+)\/restart$/;
const EVERYWHERE: readonly (readonly [string, RegExp])[] = [
  ['POST', /^\/connectors\/[^/]+\/restart$/],
  ['GET', /^\/connectors\/[^/]+\/topics$/],
  ['PUT', /^\/connectors\/[^/]+\/topics\/reset$/],
];
/** A worker id as published: `host:port`, nothing that would change the URL's meaning. */
const WORKER_ID = /^[^/?#@\s]{1,300}$/;

export function peerCalls(view: PeerView, log: Logger, options: PeerCallOptions = {}): (request: WriteRequest, local: LocalCall) => Promise<ApiResponse | undefined> {
  const fetchImpl = options.fetch ?? fetch;
  const call = (worker: string, request: WriteRequest): Promise<ApiResponse | ApiError> =>
    WORKER_ID.test(worker) ? callWorker(`http://${worker}`, request, log, fetchImpl).catch((error: unknown) => toApiError(error)) : Promise.resolve(new ApiError(503, `Worker id ${worker.slice(0, 100)} is not host:port`));

  return async (request, local) => {
    const forwarded = request.headers[FORWARDED_HEADER] !== undefined;
    const task = request.method === 'POST' ? TASK_RESTART.exec(request.path) : null;
    if (task) return restartTask(view, request, local, decoded(task[1]!), Number(task[2]), forwarded, call, options.ownerWaitMs ?? OWNER_WAIT_MS);
    const cluster = request.method === 'PUT' && request.path.startsWith('/admin/loggers/') && new URLSearchParams(request.search).get('scope')?.toLowerCase() === 'cluster';
    if (!cluster && !EVERYWHERE.some(([method, path]) => method === request.method && path.test(request.path))) return undefined;
    if (forwarded) return local();
    return everywhere(view.peers(), request, local, call);
  };
}

type Call = (worker: string, request: WriteRequest) => Promise<ApiResponse | ApiError>;

async function restartTask(view: PeerView, request: WriteRequest, local: LocalCall, name: string | undefined, task: number, forwarded: boolean, call: Call, waitMs: number): Promise<ApiResponse> {
  // unknown connector or task, a stopped connector: this worker's own answer (404) is every worker's
  if (name === undefined || !view.hasTasks(name) || !view.allTaskIdsOf(name).includes(task)) return local();
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (view.taskIdsOf(name).includes(task)) return local();
    if (forwarded) return notLeader(`Task ${name}-${task} does not run on this worker (any more): the cluster is rebalancing; retry in a moment`);
    const owner = view.ownerOf(name, task);
    const answer = owner === undefined ? undefined : await call(owner, request);
    if (answer !== undefined && !(answer instanceof ApiError) && answer.headers?.[NOT_LEADER_HEADER] === undefined) return answer;
    if (Date.now() >= deadline) {
      if (answer instanceof ApiError) throw answer;
      return notLeader(`Task ${name}-${task} runs on no worker now (the cluster is rebalancing); retry in a moment`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The request on every live worker and here. This worker's answer is the client's, except that `GET .../topics`
 * lists every worker's topics; a worker that did not answer (or answered 409 or 5xx) makes it a 503 naming it. A
 * worker that does not know the connector yet (404) runs none of its tasks.
 */
async function everywhere(peers: readonly string[], request: WriteRequest, local: LocalCall, call: Call): Promise<ApiResponse> {
  const [mine, ...theirs] = await Promise.all([local(), ...peers.map((worker) => call(worker, request))]);
  if (mine!.status >= 300) return mine!;
  const failed = peers.filter((_, i) => {
    const answer = theirs[i]!;
    return answer instanceof ApiError || answer.status === 409 || answer.status >= 500;
  });
  if (failed.length > 0) {
    const reached = peers.length - failed.length;
    throw new ApiError(503, `Done on this worker${reached > 0 ? ` and ${reached} other(s)` : ''}, but not on ${failed.join(', ')}, which did not answer (the cluster may be rebalancing); retry in a moment`);
  }
  if (request.method !== 'GET') return mine!;
  const body = mine!.body as Record<string, { topics: string[] }>;
  const topics = new Set<string>();
  for (const answer of [mine!, ...theirs]) {
    if (answer instanceof ApiError || answer.status !== 200) continue;
    for (const entry of Object.values(answer.body as Record<string, { topics?: unknown }>)) if (Array.isArray(entry.topics)) for (const t of entry.topics) topics.add(String(t));
  }
  return { status: 200, body: Object.fromEntries(Object.keys(body).map((name) => [name, { topics: [...topics].sort() }])) };
}

function decoded(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(503, String(error));
}

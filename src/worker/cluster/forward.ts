/**
 * Config writes go through the leader, as in Kafka Connect: a REST change (create with or without `initial_state`,
 * PUT or PATCH config, pause, resume, stop, delete, and the group's offsets: PATCH and DELETE `.../offsets`) taken by a worker that does not lead is forwarded over HTTP to the leader's REST URL (the client's
 * `Authorization` header with it) and the leader's answer is returned; the leader reads the config topic to its end
 * before it takes one, and takes them one at a time, so two creates of one name on two workers give one 201 and
 * one 409. A worker that cannot reach a leader answers 409 (no leader known: a rebalance) or 503 (the leader does
 * not answer), never a guess. A request already forwarded is never forwarded again.
 */
import { errorMessage } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import { ApiError } from '../api-error.js';
import type { ApiResponse } from '../routes.js';

/** Marks a request one worker forwarded to another. */
export const FORWARDED_HEADER = 'x-kafka-http-sink-forwarded';
const FORWARD_TIMEOUT_MS = 60_000;
/** How long a follower waits for a leader to be known (a rebalance moving slot 0) before it answers 409. */
const LEADER_WAIT_MS = 5000;

export interface WriteRequest {
  readonly method: string;
  readonly path: string;
  /** `?...` as received, or ''. */
  readonly search: string;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface Leadership {
  isLeader(): boolean;
  leaderUrl(): string | undefined;
  /** The leader: reads the config topic to its end. A follower: the same, after a forward, so its next GET sees the change. */
  readConfigsToEnd(): Promise<void>;
}

/** What `server.ts` calls before a request: an answer (forwarded), or undefined to handle it here. */
export type Forward = (request: WriteRequest) => Promise<ApiResponse | undefined>;

/**
 * The requests the leader takes one at a time. Offsets are the connector's consumer group's, not a config record, but
 * they may only change while the connector is STOPPED: the leader checks that against the config topic read to its
 * end, in order with the stop and resume writes it takes.
 */
export function configWrite(method: string, path: string): boolean {
  if (method === 'POST') return path === '/connectors';
  if (method === 'DELETE') return /^\/connectors\/[^/]+(\/offsets)?$/.test(path);
  if (method === 'PATCH') return /^\/connectors\/[^/]+\/(config|offsets)$/.test(path);
  return method === 'PUT' && /^\/connectors\/[^/]+\/(config|pause|resume|stop)$/.test(path);
}

export interface ForwarderOptions {
  /** How long a follower looks for a leader before it answers 409 (default LEADER_WAIT_MS). */
  readonly leaderWaitMs?: number;
  /** The HTTP client (tests pass a scripted one). */
  readonly fetch?: typeof fetch;
}

export function forwarder(leadership: Leadership, log: Logger, options: ForwarderOptions = {}): Forward {
  const fetchImpl = options.fetch ?? fetch;
  return async (request) => {
    if (!configWrite(request.method, request.path)) return undefined;
    // until the wait ends: a leader record may be stale (slot 0 moving) and the worker it names answers "not the leader"
    const deadline = Date.now() + (options.leaderWaitMs ?? LEADER_WAIT_MS);
    for (;;) {
      if (leadership.isLeader()) {
        await leadership.readConfigsToEnd().catch((error: unknown) => {
          throw new ApiError(503, `The leader cannot read the config topic to its end, so it cannot take a change now: ${errorMessage(error)}`);
        });
        return undefined; // handled here, one change at a time (Connectors.exclusive)
      }
      if (request.headers[FORWARDED_HEADER] !== undefined) return notLeader('This worker is not the leader (any more): the cluster is rebalancing; retry in a moment');
      const leader = leadership.leaderUrl();
      const answer = leader === undefined ? undefined : await callWorker(leader, request, log, fetchImpl);
      if (answer !== undefined && !(answer instanceof ApiError) && answer.headers?.[NOT_LEADER_HEADER] === undefined) {
        if (answer.status < 300) await leadership.readConfigsToEnd().catch(() => undefined); // this worker's next GET sees the change
        return answer;
      }
      if (Date.now() >= deadline) {
        if (answer instanceof ApiError) throw answer;
        return notLeader('Cannot complete the request: no leader is known (the cluster is rebalancing); retry in a moment');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
}

/** Marks a 409 of a worker that does not lead (or no longer runs the task asked for): the caller looks again. */
export const NOT_LEADER_HEADER = 'x-kafka-http-sink-not-leader';

export function notLeader(message: string): ApiResponse {
  return { status: 409, body: { error_code: 409, message }, headers: { [NOT_LEADER_HEADER]: '1' } };
}

/**
 * Another worker's answer (the leader's, or a task owner's), with the not-leader mark if it has one; a worker that
 * does not answer: a 503 to answer if it stays so.
 */
export async function callWorker(leader: string, request: WriteRequest, log: Logger, fetchImpl: typeof fetch = fetch): Promise<ApiResponse | ApiError> {
  let response: Response;
  try {
    response = await fetchImpl(`${leader}${request.path}${request.search}`, {
      method: request.method,
      headers: {
        [FORWARDED_HEADER]: '1',
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(typeof request.headers.authorization === 'string' ? { authorization: request.headers.authorization } : {}),
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      redirect: 'manual',
    });
  } catch (error) {
    log.warn('cannot forward a request to another worker', { worker: leader, method: request.method, path: request.path, error: errorMessage(error) });
    const refused = (error as { cause?: { code?: unknown } }).cause?.code === 'ECONNREFUSED'; // surely not taken: worth another try
    if (!refused) throw new ApiError(503, `The worker at ${leader} did not answer (the change may or may not be made; the cluster may be rebalancing): ${errorMessage(error)}`);
    return new ApiError(503, `Cannot reach the worker at ${leader} (the cluster may be rebalancing); retry in a moment`);
  }
  const text = await response.text();
  const mark = response.headers.get(NOT_LEADER_HEADER);
  return { status: response.status, ...(text === '' ? {} : { body: parsed(text) }), ...(mark === null ? {} : { headers: { [NOT_LEADER_HEADER]: mark } }) };
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { error_code: 502, message: `The other worker answered something that is not JSON: ${text.slice(0, 200)}` };
  }
}

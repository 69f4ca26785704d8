/** What every REST route file shares: the context, request and response, the handler type, path patterns and the small answers. */
import { ApiError } from './api-error.js';
import type { ProviderPolicy } from '../common/config/providers.js';
import type { WorkerClients } from '../source/worker-clients.js';
import type { Connectors } from './connectors.js';
import type { LogLevels } from './log-levels.js';

export interface ApiContext {
  readonly connectors: Connectors;
  readonly env: NodeJS.ProcessEnv;
  readonly workerId: string;
  readonly version: string;
  /** The config references a config sent to the API may use (the worker's `config.providers` settings). */
  readonly providers: ProviderPolicy;
  /** The worker file's settings for its connectors' Kafka clients, and its override policy (none: the environment's broker). */
  readonly clients?: WorkerClients;
  /** `/admin/loggers`. */
  readonly loggers: LogLevels;
  /** The Kafka cluster's id; '' while it cannot be had. */
  readonly clusterId: () => Promise<string>;
}

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The parsed JSON body; undefined when there was none. */
  readonly body: unknown;
}

export interface ApiResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** `name`: the connector (or plugin, logger) in the path; `task`: a task id in the path, when the route has one. */
export type Handler = (context: ApiContext, request: ApiRequest, name: string, task: string) => ApiResponse | Promise<ApiResponse>;

export type Route = [method: string, path: RegExp, handler: Handler];

/** `/connectors/{name}<suffix>`. */
export function route(suffix: string): RegExp {
  return new RegExp(`^/connectors/([^/]+)${suffix.replaceAll('/', '\\/')}$`);
}

export function ok(body: unknown): ApiResponse {
  return { status: 200, body };
}

export function none(): ApiResponse {
  return { status: 204 };
}

/** A boolean query parameter as JAX-RS reads one: true only when it says `true` (any case). */
export function flag(query: URLSearchParams, name: string): boolean {
  return query.get(name)?.toLowerCase() === 'true';
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'The request body must be a JSON object');
  return body as Record<string, unknown>;
}

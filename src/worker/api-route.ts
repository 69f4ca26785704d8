/** What every REST route file shares: the handler type, path patterns and the small answers. */
import { ApiError } from './api-error.js';
import type { ApiContext, ApiRequest, ApiResponse } from './routes.js';

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

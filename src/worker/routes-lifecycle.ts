/**
 * Kafka Connect 3.x connector routes beside the basic ones: `PUT .../stop` (KIP-875), `PATCH .../config` (KIP-477:
 * merged into the config, a `null` value removes its key), `GET .../tasks-config`, and the topics a connector used
 * (`GET .../topics`, `PUT .../topics/reset`, KIP-558), with Connect's status codes.
 */
import { none, objectBody, ok, route, type Route } from './api-route.js';
import { ApiError } from './api-error.js';
import { connectorInfo, keepRedactedSecrets, redactedConfig, TASK_CLASS } from './connect-shapes.js';
import type { ManagedConnector } from './connector.js';
import type { ApiContext, ApiRequest, ApiResponse } from './api-route.js';

export const LIFECYCLE_ROUTES: Route[] = [
  ['PUT', route('/stop'), async (c, _r, name) => (await c.connectors.target(name, 'STOPPED'), none())], // answers once drained and committed
  ['PATCH', route('/config'), patchConfig],
  ['GET', route('/tasks-config'), tasksConfig],
  ['GET', route('/topics'), (c, _r, name) => ok({ [name]: { topics: c.connectors.has(name) ? TOPICS.of(c.connectors.get(name)) : [] } })],
  ['PUT', route('/topics/reset'), (c, _r, name) => (c.connectors.has(name) && TOPICS.reset(c.connectors.get(name)), { status: 202 })],
];

async function patchConfig(context: ApiContext, request: ApiRequest, name: string): Promise<ApiResponse> {
  const stored = context.connectors.get(name).config;
  const merged: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(objectBody(request.body))) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  await context.connectors.put(name, keepRedactedSecrets(merged, stored));
  return ok(connectorInfo(context.connectors.get(name)));
}

/** `{"<name>-<task>": {config, "task.class"}}`; a connector running no task (STOPPED) is not found, as in Connect. */
function tasksConfig(context: ApiContext, _request: ApiRequest, name: string): ApiResponse {
  const connector = context.connectors.get(name);
  const tasks = connector.allTaskIds();
  if (tasks.length === 0) throw ApiError.notFound(name);
  const config = { ...redactedConfig(connector.config), 'task.class': TASK_CLASS };
  return ok(Object.fromEntries(tasks.map((id) => [`${name}-${id}`, config])));
}

/**
 * The topics each connector consumed from since it was created or its topics were reset: those whose committed
 * offsets moved since then. Kept in memory, as a standalone Connect worker keeps them.
 */
export class ActiveTopics {
  private readonly since = new WeakMap<ManagedConnector, { readonly offsets: ReadonlyMap<string, number>; readonly used: Set<string> }>();

  of(connector: ManagedConnector): string[] {
    const kept = this.since.get(connector) ?? { offsets: new Map<string, number>(), used: new Set<string>() };
    this.since.set(connector, kept);
    for (const [id, offset] of connector.stats()?.committed ?? []) if (kept.offsets.get(id) !== offset) kept.used.add(id.slice(0, id.lastIndexOf('/')));
    return [...kept.used].sort();
  }

  reset(connector: ManagedConnector): void {
    this.since.set(connector, { offsets: new Map(connector.stats()?.committed ?? []), used: new Set() });
  }
}

/** The topics each connector used (KIP-558), keyed by the connector object: gone with it. */
const TOPICS = new ActiveTopics();

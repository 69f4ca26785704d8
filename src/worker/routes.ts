/**
 * The Kafka Connect REST subset: method + path -> handler -> status and JSON body. No HTTP here, so the routing
 * and shapes are tested without a server; `server.ts` does the transport. A change (create, config, pause, resume,
 * delete) answers once the state store has it (cluster mode: the config topic, read back); one it could not save
 * is an ApiError 500 naming the connector and the cause. Restarts write nothing: they act on this worker (in a
 * cluster, cluster/peer-calls.ts brings them to the workers that run the tasks).
 */
import { AIVEN_HTTP_SINK_CLASS, CONFLUENT_HTTP_SINK_CLASS, connectorNameProblem } from '../connector/pipeline-config.js';
import { ApiError } from './api-error.js';
import { type ApiContext, type ApiRequest, type ApiResponse, flag, none, objectBody, ok, route, type Route } from './api-route.js';
import { connectorInfo, connectorStatus, connectorTasks, keepRedactedSecrets } from './connect-shapes.js';
import { LIFECYCLE_ROUTES } from './routes-lifecycle.js';
import { OFFSETS_ROUTES } from './routes-offsets.js';
import { PLUGIN_ROUTES } from './routes-plugins.js';
import { initialState } from './target-state.js';
import { validateResponse } from './validate-response.js';

export type { ApiContext, ApiRequest, ApiResponse } from './api-route.js';

/** The connector classes this worker runs: Aiven's and Confluent's HTTP sinks. */
const PLUGIN_CLASSES = [AIVEN_HTTP_SINK_CLASS, CONFLUENT_HTTP_SINK_CLASS];

const ROUTES: Route[] = [
  ['GET', /^\/$/, async (c) => ok({ version: c.version, commit: c.version, kafka_cluster_id: await c.clusterId() })],
  ['GET', /^\/connectors$/, listConnectors],
  ['POST', /^\/connectors$/, createConnector],
  ['GET', route(''), (c, _r, name) => ok(connectorInfo(c.connectors.get(name)))],
  ['DELETE', route(''), async (c, _r, name) => (await c.connectors.delete(name), none())], // answers once drained and committed
  ['GET', route('/config'), (c, _r, name) => ok(connectorInfo(c.connectors.get(name)).config)],
  ['PUT', route('/config'), putConfig],
  ['GET', route('/status'), (c, _r, name) => ok(connectorStatus(c.connectors.get(name), c.workerId))],
  ['GET', route('/tasks'), (c, _r, name) => ok(connectorTasks(c.connectors.get(name)))],
  ['GET', route('/tasks/(\\d+)/status'), taskStatus],
  ['POST', route('/tasks/(\\d+)/restart'), restartTask],
  ['PUT', route('/pause'), async (c, _r, name) => (await c.connectors.pause(name), { status: 202 })],
  ['PUT', route('/resume'), async (c, _r, name) => (await c.connectors.resume(name), { status: 202 })],
  ['POST', route('/restart'), restartConnector],
  ...OFFSETS_ROUTES,
  ...LIFECYCLE_ROUTES,
  ...PLUGIN_ROUTES,
  ['PUT', /^\/connector-plugins\/([^/]+)\/config\/validate$/, validateConfig],
  ['GET', /^\/admin\/loggers$/, (c) => ok(c.loggers.all())],
  ['GET', /^\/admin\/loggers\/([^/]+)$/, (c, _r, name) => ok(c.loggers.get(name))],
  ['PUT', /^\/admin\/loggers\/([^/]+)$/, setLogLevel],
];

export async function handleApi(context: ApiContext, request: ApiRequest): Promise<ApiResponse> {
  let pathMatched = false;
  for (const [method, pattern, handler] of ROUTES) {
    const match = pattern.exec(request.path);
    if (!match) continue;
    pathMatched = true;
    if (method !== request.method) continue;
    return handler(context, request, decodedName(match[1] ?? ''), match[2] ?? '');
  }
  throw pathMatched ? new ApiError(405, `HTTP ${request.method} is not allowed on ${request.path}`) : new ApiError(404, 'HTTP 404 Not Found');
}

/** The name in the path; one that is not valid percent-encoding (`%zz`) names no connector: 404. */
function decodedName(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw ApiError.notFound(encoded);
  }
}

function listConnectors(context: ApiContext, request: ApiRequest): ApiResponse {
  const expand = request.query.getAll('expand');
  const connectors = context.connectors.list();
  if (expand.length === 0) return ok(connectors.map((c) => c.name));
  return ok(
    Object.fromEntries(
      connectors.map((c) => [
        c.name,
        {
          ...(expand.includes('status') ? { status: connectorStatus(c, context.workerId) } : {}),
          ...(expand.includes('info') ? { info: connectorInfo(c) } : {}),
        },
      ]),
    ),
  );
}

/** `{name, config}` as Kafka Connect takes it; a flat connector file (the seed's JSON) is taken as well. */
async function createConnector(context: ApiContext, request: ApiRequest): Promise<ApiResponse> {
  const body = objectBody(request.body);
  const config = typeof body.config === 'object' && body.config !== null && !Array.isArray(body.config) ? (body.config as Record<string, unknown>) : body;
  const name = body.name ?? config.name;
  if (typeof name !== 'string' || name === '') throw new ApiError(400, 'Connector name is required: {"name": ..., "config": {...}}');
  const nameProblem = connectorNameProblem(name); // before "already exists": a name from an older version is refused too
  if (nameProblem !== undefined) throw new ApiError(400, `Connector name ${nameProblem}`);
  const connector = await context.connectors.create(name, config, initialState(body.initial_state));
  return { status: 201, body: connectorInfo(connector) };
}

async function putConfig(context: ApiContext, request: ApiRequest, name: string): Promise<ApiResponse> {
  const stored = context.connectors.has(name) ? context.connectors.get(name).config : undefined;
  const config = keepRedactedSecrets(objectBody(request.body), stored);
  const created = await context.connectors.put(name, config);
  return { status: created ? 201 : 200, body: connectorInfo(context.connectors.get(name)) };
}

function taskStatus(context: ApiContext, _request: ApiRequest, name: string, task: string): ApiResponse {
  const status = connectorStatus(context.connectors.get(name), context.workerId).tasks.find((t) => t.id === Number(task));
  if (!status) throw new ApiError(404, `No status found for task ${name}-${task}`);
  return ok(status);
}

/** One task: on its own when the connector's tasks run as processes, else the connector restarts (it has one task). */
function restartTask(context: ApiContext, _request: ApiRequest, name: string, task: string): ApiResponse {
  if (!context.connectors.get(name).restartTask(Number(task))) throw new ApiError(404, `Task ${name}-${task} not found`);
  return none();
}

/**
 * Plain restart: 204. With `includeTasks=true` or `onlyFailed=true` (Connect 3.0+): 202 and the status, the
 * instances being restarted shown as RESTARTING. The restart itself is queued behind the connector's other operations.
 */
function restartConnector(context: ApiContext, request: ApiRequest, name: string): ApiResponse {
  const connector = context.connectors.get(name);
  const includeTasks = flag(request.query, 'includeTasks');
  const onlyFailed = flag(request.query, 'onlyFailed');
  const restarting = !onlyFailed || connector.state === 'FAILED';
  const status = connectorStatus(connector, context.workerId);
  if (restarting) void connector.restart();
  if (!includeTasks && !onlyFailed) return none();
  if (!restarting && includeTasks) {
    // the connector runs: only its FAILED tasks restart (one by one when they run as processes)
    const failed = status.tasks.filter((t) => t.state === 'FAILED').map((t) => t.id);
    for (const id of failed) connector.restartTask(id);
    return { status: 202, body: { ...status, tasks: status.tasks.map((t) => (failed.includes(t.id) ? { ...t, state: 'RESTARTING' } : t)) } };
  }
  if (!restarting) return { status: 202, body: status };
  return {
    status: 202,
    body: {
      ...status,
      connector: { ...status.connector, state: 'RESTARTING' },
      tasks: status.tasks.map((task) => (includeTasks ? { ...task, state: 'RESTARTING' } : task)),
    },
  };
}

function validateConfig(context: ApiContext, request: ApiRequest, pluginClass: string): ApiResponse {
  // Both classes' simple name is HttpSinkConnector: the body's connector.class tells them apart.
  const named = PLUGIN_CLASSES.filter((name) => pluginClass === name || pluginClass === name.split('.').pop());
  if (named.length === 0) throw new ApiError(404, `Unknown connector plugin ${pluginClass}; this worker runs ${PLUGIN_CLASSES.join(' and ')}`);
  const body = objectBody(request.body);
  const given = body['connector.class'];
  // Connect needs connector.class in the body to pick the plugin, and answers 400 without it.
  if (given === undefined || given === '') throw new ApiError(400, 'Connector config must contain connector.class');
  if (!named.includes(String(given)) && given !== pluginClass) {
    throw new ApiError(400, `connector.class ${String(given)} does not match the plugin ${pluginClass} in the path`);
  }
  return ok(validateResponse(body, context.env, context.providers, context.clients));
}

/**
 * `PUT /admin/loggers/{name}` with `{"level": "DEBUG"}`: the loggers changed (KIP-495). With `scope=cluster`
 * (KIP-976) Connect answers 204; a standalone worker is the whole cluster, so the change is the same (in a
 * cluster, cluster/peer-calls.ts brings it to every worker).
 */
function setLogLevel(context: ApiContext, request: ApiRequest, name: string): ApiResponse {
  const level = objectBody(request.body ?? {}).level;
  const changed = context.loggers.set(name, level);
  return request.query.get('scope')?.toLowerCase() === 'cluster' ? none() : ok(changed);
}

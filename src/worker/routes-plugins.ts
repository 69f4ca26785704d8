/**
 * `GET /connector-plugins` (with `connectorsOnly=false`: the transforms, predicates and converters this worker
 * implements, under Kafka Connect's class names and plugin types) and `GET /connector-plugins/{plugin}/config`
 * (KIP-769: the plugin's config keys, as Connect's ConfigKeyInfo).
 */
import type { ConfigSpec } from '../common/config/spec.js';
import { CONNECTOR_CONFIG_GROUPS } from '../connector/connector-config.js';
import { AIVEN_HTTP_SINK_CLASS, CONFLUENT_HTTP_SINK_CLASS } from '../connector/pipeline-config.js';
import { AVRO_CONVERTER, BYTE_ARRAY_CONVERTER, JSON_CONVERTER, JSON_SCHEMA_CONVERTER, PROTOBUF_CONVERTER, STRING_CONVERTER } from '../decode/converter.js';
import { PREDICATE_DEFINITIONS } from '../transform/predicates.js';
import { TRANSFORM_DEFINITIONS } from '../transform/transform-config.js';
import { ApiError } from './api-error.js';
import { ok, type Route } from './api-route.js';
import type { ApiContext, ApiRequest, ApiResponse } from './api-route.js';
import { configKeyInfo } from './validate-response.js';

export const PLUGIN_ROUTES: Route[] = [
  ['GET', /^\/connector-plugins$/, listPlugins],
  ['GET', /^\/connector-plugins\/([^/]+)\/config$/, pluginConfig],
];

interface Plugin {
  readonly class: string;
  readonly type: 'sink' | 'transformation' | 'predicate' | 'converter';
  /** The keys it takes; undefined: the connector's own (grouped). */
  readonly options?: ConfigSpec;
}

const CONVERTERS = [STRING_CONVERTER, JSON_CONVERTER, BYTE_ARRAY_CONVERTER, AVRO_CONVERTER, PROTOBUF_CONVERTER, JSON_SCHEMA_CONVERTER];

/** Connect's order: connectors, transformations, predicates, converters; each by class name. */
const PLUGINS: readonly Plugin[] = [
  { class: AIVEN_HTTP_SINK_CLASS, type: 'sink' },
  { class: CONFLUENT_HTTP_SINK_CLASS, type: 'sink' },
  ...TRANSFORM_DEFINITIONS.flatMap((t) => (t.variants ? [`${t.className}$Key`, `${t.className}$Value`] : [t.className]).map((name) => ({ class: name, type: 'transformation' as const, options: t.options })))
    .sort((a, b) => a.class.localeCompare(b.class)),
  ...PREDICATE_DEFINITIONS.map((p) => ({ class: p.className, type: 'predicate' as const, options: p.options })).sort((a, b) => a.class.localeCompare(b.class)),
  ...[...CONVERTERS].sort().map((name) => ({ class: name, type: 'converter' as const, options: {} })),
];

function listPlugins(context: ApiContext, request: ApiRequest): ApiResponse {
  const all = request.query.get('connectorsOnly')?.toLowerCase() === 'false';
  return ok(PLUGINS.filter((p) => all || p.type === 'sink').map((p) => ({ class: p.class, type: p.type, version: context.version })));
}

/** A plugin by its class name, its simple name, or (a connector) its simple name without `Connector`, as Connect takes them. */
function pluginConfig(_context: ApiContext, _request: ApiRequest, name: string): ApiResponse {
  const plugin = PLUGINS.find((p) => {
    const simple = p.class.slice(p.class.lastIndexOf('.') + 1);
    return p.class === name || simple === name || (p.type === 'sink' && simple.replace(/Connector$/, '') === name);
  });
  if (!plugin) throw new ApiError(404, `Unknown plugin ${name}.`);
  if (plugin.options) return ok(Object.entries(plugin.options).filter(([key]) => key !== 'type').map(([key, spec]) => configKeyInfo(key, spec, null, -1)));
  let order = 0;
  return ok(
    Object.entries(CONNECTOR_CONFIG_GROUPS).flatMap(([group, spec]) => Object.entries(spec as ConfigSpec).map(([key, s]) => configKeyInfo(key, s, group, ++order))),
  );
}

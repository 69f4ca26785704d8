/** `PUT /connector-plugins/{class}/config/validate`: Kafka Connect's ConfigInfos, errors per key from our schema. */
import { configProblems } from '../connector/config-problems.js';
import { CONFLUENT_CONFIG_GROUPS, CONNECTOR_CONFIG_GROUPS } from '../connector/connector-config.js';
import type { KeySpec } from '../common/config/spec.js';
import type { ProviderPolicy } from '../common/config/providers.js';
import { AIVEN_HTTP_SINK_CLASS, CONFLUENT_HTTP_SINK_CLASS } from '../connector/pipeline-config.js';
import { redactedConfig } from './connect-shapes.js';
import type { WorkerClients } from '../source/worker-clients.js';

interface ConfigInfo {
  definition: {
    name: string;
    type: string;
    required: boolean;
    default_value: string | null;
    importance: string;
    documentation: string;
    group: string | null;
    width: string;
    display_name: string;
    dependents: string[];
    order: number;
  };
  value: { name: string; value: string | null; recommended_values: string[]; errors: string[]; visible: boolean };
}

/** `providers`: the references the config may use; one it may not is an error of its key, never resolved. */
export function validateResponse(config: Record<string, unknown>, env: NodeJS.ProcessEnv, providers: ProviderPolicy, clients?: WorkerClients): object {
  const problems = configProblems(config, env, providers, clients);
  const shown = redactedConfig(config);
  const errorsOf = (key: string): string[] => problems.filter((p) => p.key === key).map((p) => p.message);
  const configs: ConfigInfo[] = [];
  let order = 0;
  // Confluent's class is answered with Confluent's keys (and Kafka Connect's common ones).
  const confluent = config['connector.class'] === CONFLUENT_HTTP_SINK_CLASS;
  const groups: Record<string, unknown> = confluent ? CONFLUENT_CONFIG_GROUPS : CONNECTOR_CONFIG_GROUPS;
  for (const [group, spec] of Object.entries(groups)) {
    for (const [key, s] of Object.entries(spec as Record<string, KeySpec>)) configs.push(info(key, s, group, ++order, shown[key], errorsOf(key)));
  }
  const known = new Set(configs.map((c) => c.definition.name));
  // Keys outside the schema (`kafka.*` passthrough, unknown keys) and problems of the file as a whole.
  for (const key of Object.keys(config)) if (!known.has(key)) configs.push(info(key, undefined, 'Other', ++order, shown[key], errorsOf(key)));
  const general = problems.filter((p) => p.key === undefined).map((p) => p.message);
  if (general.length > 0) configs.push(info('(config)', undefined, 'Other', ++order, undefined, general));
  return {
    name: confluent ? CONFLUENT_HTTP_SINK_CLASS : AIVEN_HTTP_SINK_CLASS,
    error_count: problems.length,
    groups: [...Object.keys(groups), 'Other'],
    configs,
  };
}

function info(key: string, spec: KeySpec | undefined, group: string, order: number, value: string | undefined, errors: string[]): ConfigInfo {
  return {
    definition: configKeyInfo(key, spec, group, order),
    value: { name: key, value: value ?? null, recommended_values: [], errors, visible: true },
  };
}

/** Connect's ConfigKeyInfo of one key (`GET /connector-plugins/{plugin}/config` lists them). */
export function configKeyInfo(key: string, spec: KeySpec | undefined, group: string | null, order: number): ConfigInfo['definition'] {
  return {
    name: key,
    type: typeOf(spec),
    required: spec?.required === true,
    default_value: spec?.default === null || spec?.default === undefined ? null : String(spec.default),
    importance: spec?.required ? 'HIGH' : 'MEDIUM',
    documentation: spec?.doc ?? '',
    group,
    width: 'NONE',
    display_name: key,
    dependents: [],
    order,
  };
}

function typeOf(spec: KeySpec | undefined): string {
  if (!spec) return 'STRING';
  if (spec.sensitive) return 'PASSWORD';
  if (spec.format.startsWith('kc-int:')) return 'INT';
  if (spec.format === 'kc-bool') return 'BOOLEAN';
  return 'STRING';
}

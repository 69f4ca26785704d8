/** Connector-file keys of the connector itself (Kafka Connect's) and of the pipeline runner. */
import { ConfigError } from '../common/errors.js';
import { bool, int, oneOf, str } from '../common/config/formats.js';
import type { ConfigSpec, ConfigValues } from '../common/config/spec.js';
import { CONFLUENT_HTTP_SINK_CLASS } from './confluent/key-spec.js';

export const AIVEN_HTTP_SINK_CLASS = 'io.aiven.kafka.connect.http.HttpSinkConnector';
export { CONFLUENT_HTTP_SINK_CLASS };

export const pipelineConfigSpec = {
  name: { doc: 'Connector name; the consumer group is `connect-<name>`, as Kafka Connect names it.', format: str(), default: null, required: true },
  'connector.class': {
    doc: 'Aiven\'s HTTP sink class (these keys, Aiven\'s defaults) or Confluent\'s, `io.confluent.connect.http.HttpSinkConnector` (Confluent\'s keys and defaults: see docs/migrating-from-confluent.md).',
    format: oneOf([AIVEN_HTTP_SINK_CLASS, CONFLUENT_HTTP_SINK_CLASS]),
    default: AIVEN_HTTP_SINK_CLASS,
  },
  'tasks.max': { doc: 'How many tasks run the connector: `run` starts this many processes, each with its own consumer in the group `connect-<name>`, so the partitions (and the work) are spread over the cores; a task that dies is restarted with backoff (1 s doubling to 60 s) while the others take its partitions. The worker does the same for its connectors (one process per task, restarted with the same backoff; `tasks.max=1` runs inside the worker); a worker cluster runs `min(tasks.max, task.slots)` tasks, spread over its workers by their task slots (docs/cluster.md).', format: int(1, 1024), default: 1 },
  'tasks.max.enforce': { doc: "Kafka Connect's check that a connector makes no more than `tasks.max` tasks. This connector always makes exactly `tasks.max` tasks, so `true` and `false` run the same.", format: bool(), default: true },
  'config.action.reload': { doc: "Kafka Connect's `restart` or `none`: what to do when a config provider says a value changed. The `env` and `file` providers here read values once, at start, and never report a change, so both values run the same.", format: oneOf(['restart', 'none']), default: 'restart' },
  'shutdown.timeout.ms': { doc: 'On SIGINT/SIGTERM, how long in-flight requests may take to finish before they are abandoned (and re-sent after a restart).', format: int(0, 600_000), default: 30_000 },
} satisfies ConfigSpec;

export function connectorName(values: ConfigValues<typeof pipelineConfigSpec>): string {
  const name = values.string('name');
  const problem = connectorNameProblem(name);
  if (problem !== undefined) throw new ConfigError('name', problem);
  return name;
}

/** The longest connector name: a Kafka topic name's bound (the name also makes the group `connect-<name>`). */
export const CONNECTOR_NAME_MAX_LENGTH = 249;

/**
 * Why a connector name cannot be used, or undefined: it must stay one path segment of `/connectors/{name}` that
 * every client sends as it is (no `/`, no `.` or `..`, which URL parsers remove, no control characters) and fit
 * in a request line.
 */
export function connectorNameProblem(name: string): string | undefined {
  if (name.length > CONNECTOR_NAME_MAX_LENGTH) return `is ${name.length} characters long; a connector name has at most ${CONNECTOR_NAME_MAX_LENGTH}`;
  if (name === '.' || name === '..') return `may not be "${name}": URL parsers remove it from /connectors/${name}, so the connector could not be reached`;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return 'may only contain letters, digits, ".", "_" and "-" (no "/", spaces or control characters)';
  return undefined;
}

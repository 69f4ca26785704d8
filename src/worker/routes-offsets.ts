/**
 * A sink connector's offsets are its consumer group's (`connect-<name>`): `GET .../offsets` reads what the group holds
 * (running or not), `PATCH` alters and `DELETE` resets them on a STOPPED connector (KIP-875), with Kafka Connect's
 * answers. Beyond Connect, a PATCH may instead ask for the first records at or after a time, the log start or end, or
 * the committed offsets shifted by N, for every partition of the connector's topics; `dry_run` answers what it would
 * set and sets nothing.
 */
import { TRUSTED_PROVIDERS } from '../common/config/providers.js';
import { ConfigError } from '../common/errors.js';
import { connectorSettings } from '../connector/connector-config.js';
import { GroupActiveError, openGroupOffsets, type GroupOffsets, type PartitionOffsets, byPartition } from '../source/group-offsets.js';
import { planOffsets, type OffsetTarget } from '../source/offset-plan.js';
import { ApiError } from './api-error.js';
import { flag, objectBody, ok, route, type Route } from './api-route.js';
import type { ManagedConnector } from './connector.js';
import type { ApiContext, ApiRequest, ApiResponse } from './api-route.js';

export const OFFSETS_ROUTES: Route[] = [
  ['GET', route('/offsets'), readOffsets],
  ['PATCH', route('/offsets'), alterOffsets],
  ['DELETE', route('/offsets'), resetOffsets],
];

const ALTERED = 'The offsets for this connector have been altered successfully';
const RESET = 'The offsets for this connector have been reset successfully';
const NOT_PROVIDED = 'Partitions / offsets need to be provided for an alter offsets request';
/** Our modes beside Connect's `offsets` list; one per request. */
const MODES = ['to_datetime', 'to_earliest', 'to_latest', 'shift_by'] as const;

/** Connect's sink offsets shape. */
function offsetsBody(offsets: PartitionOffsets): { offsets: object[] } {
  return {
    offsets: [...offsets].map(([id, offset]) => {
      const at = id.lastIndexOf('/');
      return { partition: { kafka_partition: Number(id.slice(at + 1)), kafka_topic: id.slice(0, at) }, offset: { kafka_offset: offset } };
    }),
  };
}

async function readOffsets(context: ApiContext, _request: ApiRequest, name: string): Promise<ApiResponse> {
  const connector = context.connectors.get(name);
  return withGroup(context, connector, async (group) => ok(offsetsBody(await group.committed(await group.allPartitions()))));
}

async function alterOffsets(context: ApiContext, request: ApiRequest, name: string): Promise<ApiResponse> {
  const body = objectBody(request.body ?? {});
  const dryRun = flag(request.query, 'dry_run') || body.dry_run === true;
  const mode = MODES.filter((m) => body[m] !== undefined && body[m] !== false);
  if (mode.length + (body.offsets === undefined ? 0 : 1) > 1) throw new ApiError(400, `Give one of offsets, ${MODES.join(', ')}`);
  if (mode.length === 0 && (!Array.isArray(body.offsets) || body.offsets.length === 0)) throw new ApiError(400, NOT_PROVIDED);
  const connector = context.connectors.get(name);
  if (!dryRun) refuseUnlessStopped(connector);
  const target = mode.length === 0 ? { kind: 'offsets' as const, offsets: givenOffsets(body.offsets as unknown[]) } : modeTarget(mode[0]!, body[mode[0]!]);
  return withGroup(context, connector, async (group, startAt, topics) => {
    const all = await group.allPartitions();
    if (target.kind === 'offsets') {
      const unknown = [...target.offsets.keys()].filter((id) => !all.includes(id));
      if (unknown.length > 0) throw new ApiError(400, `Unknown topic partition(s) ${unknown.join(', ')}: no such topic or partition in the Kafka cluster`);
    }
    const partitions = target.kind === 'offsets' ? [...target.offsets.keys()] : await group.partitionsOf(topics);
    const plan = await planOffsets(group, partitions, target, startAt);
    return commitPlan(group, plan, dryRun, ALTERED, target.kind !== 'offsets');
  });
}

/** Every partition the group holds an offset for goes back where the connector starts with none (`auto.offset.reset`). */
async function resetOffsets(context: ApiContext, request: ApiRequest, name: string): Promise<ApiResponse> {
  const connector = context.connectors.get(name);
  const dryRun = flag(request.query, 'dry_run');
  if (!dryRun) refuseUnlessStopped(connector);
  return withGroup(context, connector, async (group, startAt) => {
    const held = await group.committed(await group.allPartitions());
    const plan = await planOffsets(group, [...held.keys()], { kind: startAt }, startAt);
    return commitPlan(group, plan, dryRun, RESET, false);
  });
}

async function commitPlan(group: GroupOffsets, plan: PartitionOffsets, dryRun: boolean, message: string, show: boolean): Promise<ApiResponse> {
  if (dryRun) return ok({ message: 'Dry run: the offsets listed would be committed; nothing was changed', ...offsetsBody(plan) });
  try {
    await group.commit(plan);
  } catch (error) {
    if (error instanceof GroupActiveError) throw new ApiError(409, `${error.message}; retry once the connector's tasks have stopped`);
    throw error;
  }
  return ok({ message, ...(show ? offsetsBody(plan) : {}) });
}

function refuseUnlessStopped(connector: ManagedConnector): void {
  if (connector.stopped) return;
  throw new ApiError(
    400,
    `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${connector.name}/stop' endpoint`,
  );
}

/** Opens the connector's group with its Kafka settings (TLS and SASL included), runs `use`, closes it. */
async function withGroup(
  context: ApiContext,
  connector: ManagedConnector,
  use: (group: GroupOffsets, startAt: 'earliest' | 'latest', topics: readonly string[]) => Promise<ApiResponse>,
): Promise<ApiResponse> {
  let source;
  try {
    source = connectorSettings(connector.config, context.env, connector.origin === 'api' ? context.providers : TRUSTED_PROVIDERS).source;
  } catch (error) {
    if (error instanceof ConfigError) throw new ApiError(400, `Connector ${connector.name}: its Kafka settings cannot be read (${error.message})`);
    throw error;
  }
  const startAt = source.rdkafka['auto.offset.reset'] === 'latest' ? 'latest' : 'earliest';
  const group = await openGroupOffsets(source.rdkafka, source.groupId);
  try {
    return await use(group, startAt, source.topics);
  } finally {
    await group.close();
  }
}

/** Connect's `offsets` list: each `{"partition": {"kafka_topic", "kafka_partition"}, "offset": {"kafka_offset"} | null}`. */
function givenOffsets(entries: readonly unknown[]): Map<string, number | null> {
  const offsets = new Map<string, number | null>();
  for (const entry of entries) {
    const { partition, offset } = (typeof entry === 'object' && entry !== null ? entry : {}) as { partition?: Record<string, unknown>; offset?: Record<string, unknown> | null };
    if (typeof partition !== 'object' || partition === null || partition.kafka_topic === undefined || partition.kafka_partition === undefined) {
      throw new ApiError(400, "The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'");
    }
    const topic = String(partition.kafka_topic);
    const number = integer(partition.kafka_partition, 'Kafka partition', 'Partition');
    if (offset !== null && (typeof offset !== 'object' || offset === undefined || !('kafka_offset' in offset))) {
      throw new ApiError(400, "The offset for a sink connector should either be null or contain the key 'kafka_offset'");
    }
    const value = offset === null ? null : integer(offset.kafka_offset, 'Kafka offset', 'Offset');
    if (number < 0 || (value !== null && value < 0)) throw new ApiError(400, `Partition and offset must not be negative (topic ${topic} partition ${number})`);
    offsets.set(`${topic}/${number}`, value);
  }
  return new Map([...offsets].sort(([a], [b]) => byPartition(a, b)));
}

/** An integer given as a JSON number or a string, as Connect parses one. */
function integer(value: unknown, what: string, values = 'Offset'): number {
  const text = String(value);
  if ((typeof value !== 'number' && typeof value !== 'string') || !/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) {
    throw new ApiError(400, `Failed to parse the following ${what} value in the provided offsets: '${text}'. ${values} values for sink connectors need to be integers.`);
  }
  return Number(text);
}

function modeTarget(mode: (typeof MODES)[number], value: unknown): OffsetTarget {
  if (mode === 'to_earliest') return { kind: 'earliest' };
  if (mode === 'to_latest') return { kind: 'latest' };
  if (mode === 'shift_by') return { kind: 'shift', by: integer(value, 'shift_by', 'shift_by') };
  const timestamp = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(timestamp)) throw new ApiError(400, `to_datetime ${JSON.stringify(value)} is not a date-time (ISO 8601, e.g. 2026-01-31T12:00:00Z) or epoch milliseconds`);
  return { kind: 'datetime', timestamp };
}

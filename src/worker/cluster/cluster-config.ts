/**
 * Cluster mode's settings, read from Kafka Connect distributed worker keys (`group.id`, `config.storage.topic`, ...).
 * Without `group.id` there is no cluster: the worker runs standalone with its state file.
 */
import { hostname as osHostname } from 'node:os';
import { ConfigError } from '../../common/errors.js';
import { workerClients, workerOwnClientProperties } from '../../source/worker-clients.js';

export interface ClusterOptions {
  /** Connect's `group.id`: the workers sharing it form one cluster (this names the cluster; sinks use `connect-<name>`). */
  readonly groupId: string;
  readonly bootstrapServers: string;
  readonly configTopic: string;
  readonly statusTopic: string;
  readonly configReplicationFactor: number;
  readonly statusReplicationFactor: number;
  /** The workers' group: librdkafka's `heartbeat.interval.ms`; also how often the status topic is written (ms). */
  readonly heartbeatIntervalMs: number;
  /** The workers' group: a worker the group coordinator has not heard from for this long is out, its task slots move (ms). */
  readonly sessionTimeoutMs: number;
  /** Connect's `rebalance.timeout.ms`: how long the group waits for a member to rejoin (librdkafka's `max.poll.interval.ms`). */
  readonly rebalanceTimeoutMs: number;
  /** The topic whose partitions are the task slots the group assigns (`task.slots.topic`, default `<config topic>-task-slots`). */
  readonly slotsTopic: string;
  /** Its partition count when this worker creates it (`task.slots`); an existing topic's count wins. */
  readonly slots: number;
  /** `rest.advertised.host.name:rest.advertised.port` when set: the worker_id others see. */
  readonly advertisedUrl?: { host?: string; port?: number };
  /** librdkafka settings for the cluster's own clients: the file's security keys, as librdkafka names them. */
  readonly kafka: Readonly<Record<string, string>>;
}

/** The cluster settings from a worker properties file, or undefined without `group.id` (standalone). */
export function clusterOptions(properties: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = {}): ClusterOptions | undefined {
  const groupId = properties['group.id'];
  if (!groupId) return undefined;
  const bootstrapServers = properties['bootstrap.servers'] ?? env.KAFKA_BOOTSTRAP_SERVERS;
  if (!bootstrapServers) throw new ConfigError('bootstrap.servers', 'is required with group.id (cluster mode)');
  const required = (key: string): string => {
    const value = properties[key];
    if (!value) throw new ConfigError(key, 'is required with group.id (cluster mode), as in Kafka Connect distributed');
    return value;
  };
  const positive = (key: string, fallback: number): number => {
    const text = properties[key];
    if (text === undefined) return fallback;
    const value = Number(text);
    // Connect's -1 means "the broker's default.replication.factor": not known to a librdkafka admin call, refused.
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(key, `must be a positive integer, got ${text}`);
    return value;
  };
  if (positive('heartbeat.interval.ms', 3000) * 3 > positive('session.timeout.ms', 10_000)) throw new ConfigError('heartbeat.interval.ms', 'must be at most a third of session.timeout.ms, as Kafka advises (a worker\'s hold on its task slots lasts session.timeout.ms - heartbeat.interval.ms - 0.5 s past each proof)');
  if (positive('rebalance.timeout.ms', 60_000) < positive('session.timeout.ms', 10_000)) throw new ConfigError('rebalance.timeout.ms', 'must be at least session.timeout.ms (librdkafka\'s max.poll.interval.ms, which it sets, may not be shorter than the session)');
  const advertisedPort = properties['rest.advertised.port'];
  // The worker's own clients take the file's security keys as its connectors' clients do (Java names mapped, stores read).
  const own = workerOwnClientProperties(workerClients(properties, env));
  const kafka = Object.fromEntries(Object.entries(own).filter(([key]) => key !== 'bootstrap.servers').map(([key, value]) => [key, String(value)]));
  return {
    groupId,
    bootstrapServers,
    configTopic: required('config.storage.topic'),
    statusTopic: required('status.storage.topic'),
    configReplicationFactor: positive('config.storage.replication.factor', 3),
    statusReplicationFactor: positive('status.storage.replication.factor', 3),
    heartbeatIntervalMs: positive('heartbeat.interval.ms', 3000),
    sessionTimeoutMs: positive('session.timeout.ms', 10_000),
    rebalanceTimeoutMs: positive('rebalance.timeout.ms', 60_000),
    slotsTopic: properties['task.slots.topic'] || `${required('config.storage.topic')}-task-slots`,
    slots: positive('task.slots', 32),
    advertisedUrl:
      properties['rest.advertised.host.name'] || advertisedPort
        ? { host: properties['rest.advertised.host.name'], port: advertisedPort ? positive('rest.advertised.port', 0) : undefined }
        : undefined,
    kafka,
  };
}

const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::', '[::]']);

/**
 * Connect's `worker_id` in cluster mode: `rest.advertised.host.name:rest.advertised.port` where set, else where the
 * API listens. A wildcard listen host (`listeners=http://:8083`, 0.0.0.0, ::) would give every worker the same id,
 * so the machine's host name (`os.hostname()`) stands in for it.
 */
export function clusterWorkerId(listenHost: string, port: number, advertised: ClusterOptions['advertisedUrl'], hostname: () => string = osHostname): string {
  const bracketed = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  const host = advertised?.host ?? (WILDCARD_HOSTS.has(listenHost) ? hostname() : listenHost);
  return `${bracketed(host)}:${advertised?.port ?? port}`;
}

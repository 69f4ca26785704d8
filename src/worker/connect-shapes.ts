/** Kafka Connect's REST JSON shapes for a connector: info, status, tasks, offsets; every config redacted. */
import { isSensitiveKey } from '../connector/connector-config.js';
import { redactConfig, restoreRedacted } from '../common/config/secret.js';
import { ConfigError } from '../common/errors.js';
import { ApiError } from './api-error.js';
import type { ManagedConnector } from './connector.js';

/** Connect shows config values as strings; secrets and URL passwords redacted as in the logs (`redactConfig`). */
export function redactedConfig(config: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(redactConfig(config, isSensitiveKey)).map(([key, value]) => [key, String(value)]));
}

/**
 * A PUT that sends back a config it got from GET keeps the stored secrets where it shows them redacted; a 400 when
 * it also changes where they would be sent (`restoreRedacted`), naming the key whose secret must be given again.
 */
export function keepRedactedSecrets(incoming: Record<string, unknown>, stored: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  try {
    return restoreRedacted(incoming, stored, isSensitiveKey);
  } catch (error) {
    if (error instanceof ConfigError) throw new ApiError(400, error.message);
    throw error;
  }
}

export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: { connector: string; task: number }[];
  type: 'sink';
}

export interface TaskStatus {
  id: number;
  state: string;
  worker_id: string;
  trace?: string;
}

export interface ConnectorStatus {
  name: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: TaskStatus[];
  type: 'sink';
}

export function connectorInfo(c: ManagedConnector): ConnectorInfo {
  return { name: c.name, config: redactedConfig(c.config), tasks: c.allTaskIds().map((task) => ({ connector: c.name, task })), type: 'sink' };
}

export function connectorStatus(c: ManagedConnector, workerId: string): ConnectorStatus {
  if (c.clusterTasks) return clusterStatus(c, c.clusterTasks(), workerId);
  const trace = c.state === 'FAILED' ? { trace: c.trace } : {};
  return {
    name: c.name,
    connector: { state: c.state, worker_id: workerId, ...trace },
    tasks: c.tasks().map((t) => ({ id: t.id, state: t.state, worker_id: workerId, ...(t.trace === undefined ? {} : { trace: t.trace }) })),
    type: 'sink',
  };
}

/**
 * Cluster mode: the tasks every worker published. The connector is PAUSED when its target state is, else
 * RUNNING when a task runs, FAILED when one failed, else UNASSIGNED (no live worker runs it yet).
 */
function clusterStatus(c: ManagedConnector, tasks: TaskStatus[], workerId: string): ConnectorStatus {
  const states = new Set(tasks.map((t) => t.state));
  if (c.stopped) return { name: c.name, connector: { state: 'STOPPED', worker_id: workerId }, tasks: [], type: 'sink' };
  const state = c.paused ? 'PAUSED' : states.has('RUNNING') ? 'RUNNING' : states.has('FAILED') ? 'FAILED' : 'UNASSIGNED';
  return { name: c.name, connector: { state, worker_id: tasks[0]?.worker_id ?? workerId }, tasks, type: 'sink' };
}

/** The task class Kafka Connect names for the Aiven HTTP sink's tasks. */
export const TASK_CLASS = 'io.aiven.kafka.connect.http.HttpSinkTask';

export function connectorTasks(c: ManagedConnector): object[] {
  const config = { ...redactedConfig(c.config), 'task.class': TASK_CLASS };
  return c.allTaskIds().map((task) => ({ id: { connector: c.name, task }, config }));
}

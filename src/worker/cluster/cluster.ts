/**
 * Cluster mode (a worker file with `group.id`): the config topic replaces the state file, the status topic
 * carries heartbeats and task states, and every few seconds each worker recomputes which connectors it runs
 * (assignment.ts) from the live workers. Kafka is the only coordination: records in one order, consumer groups.
 */
import { errorMessage } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { TaskStatus } from '../connect-shapes.js';
import type { Connectors } from '../connectors.js';
import type { StoredConnector } from '../state-store.js';
import { assignedWorkers, tasksMaxOf } from './assignment.js';
import type { ClusterOptions } from './cluster-config.js';
import { ConfigLog } from './config-log.js';
import { LogProducer } from './log-producer.js';
import { type PublishedTask, StatusLog } from './status-log.js';
import { ensureTopic } from './topics.js';

export interface Cluster {
  /** The worker's state store: the config topic, read to its end. */
  readonly store: ConfigLog;
  /** Whether this worker runs `name` now. */
  runsHere(name: string): boolean;
  /** Every worker's task of `name`. */
  tasksOf(name: string): TaskStatus[];
  /** Once the REST API listens: follows the status topic, applies config changes to `connectors`, publishes. */
  join(workerId: string, connectors: Connectors): Promise<void>;
  /** After the connectors stopped: removes this worker's heartbeat and tasks, closes the clients. */
  leave(): Promise<void>;
}

/** Creates or checks both topics and reads the config topic to its end, before the worker answers anything. */
export async function openCluster(options: ClusterOptions, log: Logger): Promise<Cluster> {
  const kafka = { 'bootstrap.servers': options.bootstrapServers, ...options.kafka };
  await ensureTopic(kafka, { name: options.configTopic, key: 'config.storage.topic', replicationFactor: options.configReplicationFactor, partitions: 1 });
  await ensureTopic(kafka, { name: options.statusTopic, key: 'status.storage.topic', replicationFactor: options.statusReplicationFactor });
  const producer = new LogProducer(kafka);
  await producer.connect();
  const store = new ConfigLog({ kafka, topic: options.configTopic, producer, log });
  await store.start();
  let status: StatusLog | undefined;
  let self = '';
  let connectors: Connectors | undefined;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();

  const workersOf = (name: string): string[] => {
    const config = connectors?.has(name) ? connectors.get(name).config : {};
    return assignedWorkers(name, status?.liveWorkers() ?? [self], tasksMaxOf(config));
  };
  const runsHere = (name: string): boolean => status !== undefined && workersOf(name).includes(self);

  /** Reassigns, then publishes the heartbeat and what runs here. */
  const tick = async (): Promise<void> => {
    if (!connectors || !status) return;
    connectors.reassign();
    const states = new Map<string, PublishedTask | undefined>();
    for (const c of connectors.list()) {
      const rank = workersOf(c.name).indexOf(self);
      const active = rank >= 0 || c.state === 'RUNNING' || c.state === 'PAUSED';
      states.set(c.name, active ? { id: Math.max(rank, 0), state: c.state, worker_id: self, ...(c.state === 'FAILED' && c.trace ? { trace: c.trace } : {}) } : undefined);
    }
    await status.publish(states);
  };

  return {
    store,
    runsHere,
    tasksOf: (name) => status?.tasksOf(name) ?? [],
    join: async (workerId, all) => {
      self = workerId;
      connectors = all;
      status = new StatusLog({ kafka, topic: options.statusTopic, producer, workerId, sessionTimeoutMs: options.sessionTimeoutMs, log });
      await status.start();
      store.onChange = (name, stored) => applyChange(all, name, stored, log);
      await tick();
      timer = setInterval(() => {
        ticking = ticking.then(tick).catch((error: unknown) => {
          log.warn('cluster heartbeat failed', { error: errorMessage(error) });
        });
      }, options.heartbeatIntervalMs);
      timer.unref();
    },
    leave: async () => {
      clearInterval(timer);
      // each step bounded: a broker gone must not keep the worker from exiting; the step that hung is logged
      await bounded(ticking, 'last heartbeat', log);
      await bounded(status?.leave() ?? Promise.resolve(), 'leaving the status topic', log);
      await bounded(store.flushed(), 'config writes', log);
      await bounded(store.close(), 'closing the config reader', log);
      await bounded(producer.close(), 'closing the producer', log);
    },
  };
}

const STEP_TIMEOUT_MS = 10_000;

async function bounded(step: Promise<unknown>, what: string, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      log.warn('cluster shutdown step did not finish in time; going on', { step: what, timeoutMs: STEP_TIMEOUT_MS });
      resolve();
    }, STEP_TIMEOUT_MS);
  });
  await Promise.race([step.then(() => undefined, (error: unknown) => log.warn('cluster shutdown step failed', { step: what, error: errorMessage(error) })), late]);
  clearTimeout(timer);
}

/** A config-topic record (any worker's) applied here: the connector created, changed, paused, resumed or deleted. */
function applyChange(connectors: Connectors, name: string, stored: StoredConnector | undefined, log: Logger): void {
  if (!stored?.config) {
    if (connectors.has(name)) void connectors.delete(name).catch((error: unknown) => log.error('cannot stop a deleted connector', { connector: name, error: errorMessage(error) }));
    return;
  }
  const existing = connectors.has(name) ? connectors.get(name) : undefined;
  if (!existing || JSON.stringify(existing.config) !== JSON.stringify(stored.config)) connectors.put(name, stored.config);
  // pause right after a create: the pipeline's first start is queued, so it starts held
  if (stored.paused !== connectors.get(name).paused) {
    if (stored.paused) connectors.pause(name);
    else connectors.resume(name);
  }
}

/**
 * Cluster mode (a worker file with `group.id`): the config topic replaces the state file, the status topic
 * carries heartbeats and task states, and every few seconds each worker recomputes which connectors it runs
 * (assignment.ts) from the live workers. Kafka is the only coordination: records in one order, consumer groups.
 */
import { errorMessage } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { TaskStatus } from '../connect-shapes.js';
import type { Connectors } from '../connectors.js';
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
  /** This worker's task id of `name`: its rank among the workers running it (0 when it runs none). */
  taskIdOf(name: string): number;
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
  const store = new ConfigLog({ kafka, topic: options.configTopic, producer, log });
  try {
    await producer.connect();
    await store.start();
  } catch (error) {
    // nothing may keep running (or keep the process alive) after a failed start
    await bounded(store.close(), 'closing the config reader', log);
    await bounded(producer.close(), 'closing the producer', log);
    throw error;
  }
  let status: StatusLog | undefined;
  let self = '';
  let connectors: Connectors | undefined;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();
  /** True while a tick runs: a slow broker skips ticks instead of queueing them. */
  let inFlight = false;

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
    await withinMs(status.publish(states), options.sessionTimeoutMs); // a write that takes longer is late anyway
  };

  return {
    store,
    runsHere,
    tasksOf: (name) => status?.tasksOf(name) ?? [],
    taskIdOf: (name) => Math.max(workersOf(name).indexOf(self), 0),
    join: async (workerId, all) => {
      self = workerId;
      connectors = all;
      status = new StatusLog({ kafka, topic: options.statusTopic, producer, workerId, sessionTimeoutMs: options.sessionTimeoutMs, log });
      await status.start(); // on failure the worker calls leave(), which closes it
      // config records read since the store started (restore() loaded the rest) are applied now, then each as read
      store.follow((name, stored) => all.applyStored(name, stored));
      await tick();
      timer = setInterval(() => {
        if (inFlight) return;
        inFlight = true;
        ticking = tick()
          .catch((error: unknown) => void log.warn('cluster heartbeat failed', { error: errorMessage(error) }))
          .finally(() => (inFlight = false));
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

/** `step`, or nothing once `ms` passed (the step goes on in the background). */
async function withinMs(step: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([step, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

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

/**
 * Cluster mode (a worker file with `group.id`): the config topic replaces the state file; the workers' group on
 * Kafka's coordinator (membership.ts) decides who is alive, which task slots each worker owns and who leads (the
 * owner of slot 0); each worker runs exactly the tasks in its slots (assignment.ts). The status topic carries task
 * states and the leader's address for display and forwarding only.
 */
import { errorMessage } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { TaskStatus } from '../connect-shapes.js';
import type { Connectors } from '../connectors.js';
import { tasksInSlots, tasksMaxOf } from './assignment.js';
import type { ClusterOptions } from './cluster-config.js';
import { ConfigLog } from './config-log.js';
import { FencedWriter } from './fenced-writer.js';
import { LogProducer } from './log-producer.js';
import { Membership } from './membership.js';
import { type PublishedTask, StatusLog } from './status-log.js';
import { ensureTopic, partitionCount } from './topics.js';

export interface Cluster {
  /** The worker's state store: the config topic, read to its end. */
  readonly store: ConfigLog;
  /** Whether this worker runs tasks of `name` now. */
  runsHere(name: string): boolean;
  /** The task ids of `name` whose slots this worker owns now. */
  taskIdsOf(name: string): number[];
  /** Every task of `name` across the cluster, as the status topic shows them. */
  tasksOf(name: string): TaskStatus[];
  /** The ids of every task the cluster runs of `name`, wherever they run: 0 .. min(tasks.max, slots) - 1. */
  allTaskIdsOf(name: string): number[];
  /** The worker ids (`host:port`) of the other live workers, from their heartbeats in the status topic. */
  peers(): string[];
  /** The live worker that last published task `task` of `name` as its own; undefined when none does. */
  ownerOf(name: string, task: number): string | undefined;
  /** Whether this worker leads the cluster now (it owns slot 0, its lease holds). */
  isLeader(): boolean;
  /** The leader, before it takes a change: fences earlier leaders' config writes (once per leadership), then reads the config topic to its end. */
  readAsLeader(): Promise<void>;
  /** The leader's REST URL as last published (undefined while unknown, or when it names this worker). */
  leaderUrl(): string | undefined;
  /** Why this worker is not ready (not joined, or its own tasks not all started); undefined when it is. */
  notReady(): Record<string, string> | undefined;
  /** Once the REST API listens: follows the topics, joins the workers' group, publishes. */
  join(workerId: string, connectors: Connectors): Promise<void>;
  /** After the connectors stopped: leaves the group and the status topic, closes the clients. */
  leave(): Promise<void>;
}

/** Creates or checks the topics and reads the config topic to its end, before the worker answers anything. */
export async function openCluster(options: ClusterOptions, log: Logger): Promise<Cluster> {
  const kafka = { 'bootstrap.servers': options.bootstrapServers, ...options.kafka };
  await ensureTopic(kafka, { name: options.configTopic, key: 'config.storage.topic', replicationFactor: options.configReplicationFactor, partitions: 1 });
  await ensureTopic(kafka, { name: options.statusTopic, key: 'status.storage.topic', replicationFactor: options.statusReplicationFactor });
  await ensureTopic(kafka, { name: options.slotsTopic, key: 'task.slots.topic', replicationFactor: options.configReplicationFactor, created: options.slots });
  const slots = await partitionCount(kafka, options.slotsTopic); // an existing topic's count: every worker maps tasks alike
  const producer = new LogProducer(kafka);
  const writer = new FencedWriter(kafka, `${options.groupId}-config-writer`);
  const store = new ConfigLog({ kafka, topic: options.configTopic, producer: writer, log });
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
  let membership: Membership | undefined;
  let self = '';
  let connectors: Connectors | undefined;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();
  /** True while a tick runs: a slow broker skips ticks instead of queueing them. */
  let inFlight = false;
  /** Leadership terms as this worker saw them: a new term fences earlier leaders' config writes again. */
  let term = 0;
  let leading = false;
  const leaderTerm = (): number => {
    const now = membership?.isLeader() ?? false;
    if (now && !leading) term += 1;
    leading = now;
    return term;
  };

  const tasksOfConfig = (name: string): number => (connectors?.has(name) ? tasksMaxOf(connectors.get(name).config) : 1);
  const taskIdsOf = (name: string): number[] => (membership ? tasksInSlots(name, tasksOfConfig(name), membership.owned(), slots) : []);
  const reassign = (): Promise<void> => connectors?.reassign() ?? Promise.resolve();

  /** Starts and stops what the slots say, then publishes the heartbeat, this worker's tasks and, when leading, the leader record. */
  const tick = async (): Promise<void> => {
    if (!connectors || !status || !membership) return;
    leaderTerm();
    void reassign();
    const tasks = new Map<string, PublishedTask[]>();
    for (const c of connectors.list()) {
      const ids = taskIdsOf(c.name);
      if (ids.length === 0) continue;
      tasks.set(c.name, c.tasks().filter((t) => ids.includes(t.id)).map((t) => ({ id: t.id, state: t.state, worker_id: self, ...(t.state === 'FAILED' && t.trace ? { trace: t.trace } : {}) })));
    }
    await withinMs(status.publish(tasks, membership.isLeader() ? `http://${self}` : undefined), options.sessionTimeoutMs); // a write that takes longer is late anyway
  };

  const publishSoon = (): void => {
    if (inFlight) return;
    inFlight = true;
    ticking = tick()
      .catch((error: unknown) => void log.warn('cluster status publication failed', { error: errorMessage(error) }))
      .finally(() => (inFlight = false));
  };

  return {
    store,
    runsHere: (name) => taskIdsOf(name).length > 0,
    taskIdsOf,
    tasksOf: (name) => status?.tasksOf(name, Math.min(tasksOfConfig(name), slots)) ?? [],
    allTaskIdsOf: (name) => Array.from({ length: Math.min(tasksOfConfig(name), slots) }, (_, id) => id),
    peers: () => (status?.liveWorkers() ?? []).filter((worker) => worker !== self),
    ownerOf: (name, task) => {
      const published = status?.tasksOf(name, Math.min(tasksOfConfig(name), slots)).find((t) => t.id === task);
      return published === undefined || published.state === 'UNASSIGNED' ? undefined : published.worker_id;
    },
    isLeader: () => membership?.isLeader() ?? false,
    readAsLeader: async () => {
      await writer.fence(leaderTerm());
      await store.readToEnd();
    },
    leaderUrl: () => {
      const leader = status?.leader();
      return leader && leader.worker_id !== self ? leader.url : undefined;
    },
    notReady: () => {
      if (!membership?.joined()) return { cluster: 'not joined: the workers\' group has not assigned this worker its task slots yet' };
      if (!membership.isLeader() && status?.leader() === undefined) return { cluster: 'no leader known yet: config changes cannot be forwarded' };
      const waiting = (connectors?.list() ?? []).filter((c) => taskIdsOf(c.name).length > 0 && (!['RUNNING', 'PAUSED'].includes(c.state) || c.taskMoved()));
      return waiting.length === 0 ? undefined : Object.fromEntries(waiting.map((c) => [c.name, c.state]));
    },
    join: async (workerId, all) => {
      self = workerId;
      connectors = all;
      status = new StatusLog({ kafka, topic: options.statusTopic, producer, workerId, sessionTimeoutMs: options.sessionTimeoutMs, log });
      await status.start(); // on failure the worker calls leave(), which closes it
      // config records read since the store started (restore() loaded the rest) are applied now, then each as read
      store.follow((name, stored) => all.applyStored(name, stored));
      membership = new Membership({
        kafka,
        groupId: options.groupId,
        topic: options.slotsTopic,
        sessionTimeoutMs: options.sessionTimeoutMs,
        heartbeatIntervalMs: options.heartbeatIntervalMs,
        rebalanceTimeoutMs: options.rebalanceTimeoutMs,
        log,
        beforeRevoke: reassign, // the revoked slots are no longer owned: their tasks stop, then the partitions go
        changed: () => {
          leaderTerm(); // a lost leadership is noticed: leading again fences anew
          void reassign();
          publishSoon(); // a new leader says so at once: followers forward to it
        },
      });
      await membership.start();
      // the first assignment, bounded: a worker that cannot join yet still serves reads (and /ready says why)
      await withinMs(membership.settled, options.sessionTimeoutMs + options.heartbeatIntervalMs);
      timer = setInterval(publishSoon, options.heartbeatIntervalMs);
      timer.unref();
    },
    leave: async () => {
      clearInterval(timer);
      // each step bounded: a broker gone must not keep the worker from exiting; the step that hung is logged
      await bounded(ticking, 'last heartbeat', log);
      await bounded(status?.leave() ?? Promise.resolve(), 'leaving the status topic', log);
      await bounded(membership?.close() ?? Promise.resolve(), 'leaving the workers\' group', log);
      await bounded(store.flushed(), 'config writes', log);
      await bounded(store.close(), 'closing the config reader', log);
      await bounded(writer.close(), 'closing the config writer', log);
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

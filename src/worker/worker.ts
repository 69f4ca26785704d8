/**
 * Worker mode: runs every pipeline of the pipelines directory plus the connectors created through the REST API
 * (kept in the state directory across restarts), and serves the API, the status page, metrics and health checks.
 */
import { readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { errorMessage } from '../common/errors.js';
import type { RestartBackoffOptions } from '../common/task-restarts.js';
import { createLogger, type Logger } from '../common/log.js';
import type { BuildPipeline } from '../connector/definePipeline.js';
import { loadPipeline } from '../connector/loadPipeline.js';
import { startPipeline } from '../connector/startPipeline.js';
import { clusterIdCache } from './cluster-id.js';
import { Connectors } from './connectors.js';
import { LogLevels } from './log-levels.js';
import { WorkerMetrics } from './metrics.js';
import { startRateSampler } from './rates.js';
import { startTaskProcesses } from './task-processes.js';
import { TaskBudget } from './task-budget.js';
import { createWorkerServer } from './server.js';
import { openCluster } from './cluster/cluster.js';
import { clusterWorkerId } from './cluster/cluster-config.js';
import { forwarder, type WriteRequest } from './cluster/forward.js';
import { type LocalCall, peerCalls } from './cluster/peer-calls.js';
import { fileStateStore } from './state-store.js';
import type { WorkerOptions } from './worker-config.js';

export interface Worker {
  /** `http://host:port` of the REST API. */
  readonly url: string;
  readonly connectors: Connectors;
  /**
   * Stops every connector gracefully, then the server; a connector still starting or stopping after
   * WORKER_STUCK_TIMEOUT_MS is abandoned (`abandoned` then names it).
   */
  close(): Promise<void>;
  /** The connectors the last `close` gave up waiting for; empty when every one stopped. */
  abandoned(): readonly string[];
}

export interface WorkerRunOptions {
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  /** How often the status page's rates are sampled (ms). */
  rateIntervalMs?: number;
  /** Brings a connector's pipeline up (default `startPipeline`; tests wrap it to count live pipelines). */
  startPipeline?: typeof startPipeline;
  /** When a dead task process is started again (default 1 s doubling to 60 s; tests change it). */
  taskRestarts?: RestartBackoffOptions;
}

const VERSION = '0.1.0';

export async function startWorker(options: WorkerOptions, run: WorkerRunOptions = {}): Promise<Worker> {
  const env = run.env ?? process.env;
  const log = run.log ?? createLogger();
  // Cluster mode: the config topic is read to its end before anything answers (see cluster/cluster.ts).
  const cluster = options.cluster ? await openCluster(options.cluster, log) : undefined;
  const tasksMaxCap = options.tasksMaxPerConnector ?? availableParallelism(); // standalone: task processes per connector
  const taskBudget = new TaskBudget(options.tasksMax ?? 2 * availableParallelism()); // standalone: of all connectors
  const stuckTimeoutMs = options.stuckTimeoutMs ?? 120_000;
  const metrics: WorkerMetrics = new WorkerMetrics({
    connectors: () => connectors.list().map((c) => ({ name: c.name, state: c.state, tasks: c.tasks() })),
    ...(cluster ? { clusterTasks: () => connectors.list().flatMap((c) => cluster.tasksOf(c.name).map((t) => ({ connector: c.name, state: t.state }))) } : {}),
  });
  const connectors: Connectors = new Connectors({
    store: cluster?.store ?? fileStateStore(options.stateDir),
    env,
    providers: options.providers,
    ...(options.clients ? { clients: options.clients } : {}),
    ...(options.maxConnectors === undefined ? {} : { maxConnectors: options.maxConnectors }),
    log,
    deps: (name) => {
      metrics.totalsOf(name);
      const start = run.startPipeline ?? startPipeline;
      return {
        env,
        log,
        observer: (task) => metrics.observerFor(name, task),
        taskEnded: (task) => metrics.taskEnded(name, task),
        statisticsIntervalMs: options.statisticsIntervalMs,
        start,
        providers: options.providers,
        ...(options.clients ? { clients: options.clients } : {}),
        logLevel: () => loggers.levelFor(name),
        ...(cluster ? {} : { tasksMaxCap, taskBudget }),
        // standalone: tasks.max > 1 runs one process per task; cluster mode: the tasks whose slots this worker owns
        ...(cluster ? { clusterTasks: () => cluster.tasksOf(name), taskIds: () => cluster.taskIdsOf(name), allTaskIds: () => cluster.allTaskIdsOf(name) } : { startProcesses: (o) => startTaskProcesses({ ...o, ...run.taskRestarts }) }),
      };
    },
    onDelete: (name) => metrics.forget(name),
    runsHere: cluster?.runsHere,
    held: true, // the API listens first (its port names the worker): changes wait for restore() and the cluster join
  });
  const rates = startRateSampler(() => metrics.allTotals(), run.rateIntervalMs);
  const loggers: LogLevels = new LogLevels(
    log,
    () => connectors.list().map((c) => c.name),
    () => connectors.list().forEach((c) => c.logLevelChanged(loggers.levelFor(c.name))), // task processes too
  );
  // The cluster of a running connector (its TLS and SASL settings included), else the worker's broker.
  const kafka = () => connectors.list().find((c) => c.kafkaConfig())?.kafkaConfig() ?? { 'bootstrap.servers': options.clients?.bootstrapServers ?? env.KAFKA_BOOTSTRAP_SERVERS ?? 'localhost:9092' };
  const api = { connectors, env, workerId: `${options.host}:${options.port}`, version: VERSION, providers: options.providers, ...(options.clients ? { clients: options.clients } : {}), loggers, clusterId: clusterIdCache(kafka) };
  const leadership = cluster && { isLeader: cluster.isLeader, leaderUrl: cluster.leaderUrl, readConfigsToEnd: () => (cluster.isLeader() ? cluster.readAsLeader() : cluster.store.readToEnd()) };
  const toLeader = leadership && forwarder(leadership, log);
  const toPeers = cluster && peerCalls({ ...cluster, hasTasks: (name) => connectors.has(name) && !connectors.get(name).stopped }, log);
  const forward = toLeader && toPeers && (async (request: WriteRequest, local: LocalCall) => (await toLeader(request)) ?? (await toPeers(request, local)));
  const clusterDeps = cluster && forward ? { forward, notReady: cluster.notReady } : {};
  const server = createWorkerServer({ api, metrics, rates, auth: options.auth, log, host: options.host, stuckTimeoutMs, ...clusterDeps });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  api.workerId = `${host}:${port}`; // Connect's worker_id: where this worker's API listens
  if (cluster) {
    api.workerId = clusterWorkerId(options.host, port, options.cluster?.advertisedUrl);
    if (options.pipelinesDir !== undefined && (await pipelineFiles(options.pipelinesDir, log)).length > 0) {
      log.warn('cluster mode: the pipelines directory is not run; create its connectors through the REST API so every worker shares them', { pipelinesDir: options.pipelinesDir });
    }
    try {
      connectors.restore([]);
      await cluster.join(api.workerId, connectors);
    } catch (error) {
      // nothing may keep running after a failed start: the connectors, the cluster's clients, the server
      await connectors.stopAll();
      await cluster.leave();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      throw error;
    }
  } else connectors.restore(await pipelineFiles(options.pipelinesDir, log));
  connectors.open();
  void api.clusterId(); // looked up in the background, so that `GET /` knows it
  log.info('worker started', { url: `http://${host}:${port}`, ...(cluster ? { workerId: api.workerId } : {}), connectors: connectors.list().map((c) => c.name), stateDir: options.stateDir });
  let abandoned: readonly string[] = [];
  return {
    url: `http://${host}:${port}`,
    connectors,
    abandoned: () => abandoned,
    close: async () => {
      rates.close();
      try {
        abandoned = await stopWithin(connectors, stuckTimeoutMs, log); // rejects when a connector failed to stop: the rest still closes
      } finally {
        await cluster?.leave();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
    },
  };
}

/**
 * The connectors of the pipelines directory; a file that cannot be loaded, or whose connector name an earlier file
 * (in name order) already took, is logged and skipped.
 */
async function pipelineFiles(dir: string | undefined, log: Logger): Promise<{ config: Record<string, unknown>; build: BuildPipeline; file: string }[]> {
  if (dir === undefined) return [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => /\.(json|properties|ts|js)$/.test(f)).sort();
  } catch (error) {
    // absent is the usual case (no pipelines yet): said at info; unreadable (a permission, not a directory) at error
    const absent = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (absent) log.info('no pipelines directory: no connector files run', { pipelinesDir: dir });
    else log.error('pipelines directory cannot be read: none of its connector files run', { pipelinesDir: dir, error: errorMessage(error) });
    return [];
  }
  const files: { config: Record<string, unknown>; build: BuildPipeline; file: string }[] = [];
  const fileOf = new Map<string, string>();
  for (const file of names) {
    try {
      const path = resolve(join(dir, file));
      const definition = await loadPipeline(path);
      const config = { ...definition.connector };
      if (typeof config.name !== 'string') throw new Error('the connector has no name');
      const taken = fileOf.get(config.name);
      if (taken !== undefined) throw new Error(`connector name ${config.name} is taken by ${taken}: give each file its own "name"`);
      fileOf.set(config.name, file);
      files.push({ config, build: definition.build, file: path });
    } catch (error) {
      log.error('pipeline file skipped', { file, error: errorMessage(error) });
    }
  }
  return files;
}

/**
 * Stops every connector, waiting at most `boundMs` (`WORKER_STUCK_TIMEOUT_MS`): a connector stuck starting (a
 * native client blocked on a path that never answers) must not keep the worker from exiting.
 */
async function stopWithin(connectors: Connectors, boundMs: number, log: Logger): Promise<readonly string[]> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), boundMs)));
  const busy = connectors.list();
  const outcome = await Promise.race([connectors.stopAll().then(() => 'stopped' as const), expired]);
  clearTimeout(timer);
  if (outcome === 'stopped') return [];
  const stuck = busy.filter((c) => c.busySince !== undefined).map((c) => c.name);
  log.error(`stopping the worker: connectors still busy after ${boundMs} ms are abandoned (WORKER_STUCK_TIMEOUT_MS)`, { connectors: stuck });
  return stuck;
}

/**
 * The worker's Prometheus metrics (prom-client, one registry per worker), fed by each task's PipelineObserver
 * (every series of a connector has a `task` label: its task id, "0" for a connector of one task), plus
 * per-connector running totals, summed over its tasks, that the status page's rates are sampled from.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PipelineObserver } from '../connector/observe.js';
import { consumerLag } from './consumer-lag.js';

export interface ConnectorTotals {
  read: number;
  delivered: number;
  failed: number;
  deadLettered: number;
  requests: number;
  /** Offset commits the broker confirmed (commits per second: this total's rate, like `offset_commits_total`). */
  commits: number;
  /** The last records that failed for good (dead-lettered or dropped): what and when, for the status page. */
  lastRecordFailure?: { message: string; at: string };
  /** "topic/partition" -> records behind the end of the partition, from each task's last librdkafka statistics. */
  lag: Map<string, number>;
}

/** One task of a connector, as the metrics ask it at scrape time. */
export interface TaskLiveView {
  readonly id: number;
  readonly state: string;
  readonly inFlight: number;
}

/** What the metrics ask the worker at scrape time. */
export interface LiveView {
  connectors(): { name: string; state: string; tasks: readonly TaskLiveView[] }[];
  /** Cluster mode: every worker's tasks of each connector (the status topic's view); undefined when standalone. */
  clusterTasks?(): { connector: string; state: string }[];
}

const PREFIX = 'kafka_http_sink_';
const CONNECTOR_STATES = ['UNASSIGNED', 'RUNNING', 'PAUSED', 'FAILED', 'STOPPED'];

export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly totals = new Map<string, ConnectorTotals>();
  /** Each connector's lag by task (a task's statistics list only its own partitions); `totals.lag` merges them. */
  private readonly lagByTask = new Map<string, Map<string, Map<string, number>>>();
  /** The `task` and `status_class` labels each connector's series have, so a deleted connector's series can go. */
  private readonly tasksSeen = new Map<string, Set<string>>();
  private readonly statusClasses = new Map<string, Set<string>>();
  private readonly counter = (name: string, help: string, labelNames: string[] = ['connector', 'task']): Counter =>
    new Counter({ name: PREFIX + name, help, labelNames, registers: [this.registry] });
  private readonly read = this.counter('records_read_total', 'Records read from Kafka.');
  private readonly delivered = this.counter('records_delivered_total', 'Records delivered to the endpoint (a success status).');
  private readonly failed = this.counter('records_failed_total', 'Records that failed for good (dead-lettered or dropped).');
  private readonly deadLettered = this.counter('records_dead_lettered_total', 'Records written to the dead-letter topic.');
  private readonly retried = this.counter('records_retried_total', 'Records whose request needed at least one retry.');
  private readonly requests = this.counter('http_requests_total', 'HTTP attempts by status class (2xx ... 5xx, or network).', ['connector', 'task', 'status_class']);
  private readonly commits = this.counter('offset_commits_total', 'Offset commits the broker confirmed; its rate is commits per second (a few, or hundreds when commits storm).');
  private readonly commitFailures = this.counter('offset_commit_failures_total', 'Offset commits the broker refused or that failed.');
  private readonly duration = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'Duration of each HTTP attempt.',
    labelNames: ['connector', 'task'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(view: LiveView) {
    const lagByTask = this.lagByTask;
    if (view.clusterTasks) {
      const clusterTasks = view.clusterTasks.bind(view);
      new Gauge({
        name: `${PREFIX}cluster_tasks`,
        help: "Cluster mode: tasks per state of each connector across every worker (the status topic's view, the same on every worker).",
        labelNames: ['connector', 'state'],
        registers: [this.registry],
        collect() {
          this.reset();
          const counts = new Map<string, number>();
          for (const t of clusterTasks()) counts.set(`${t.connector}\u0000${t.state}`, (counts.get(`${t.connector}\u0000${t.state}`) ?? 0) + 1);
          for (const [key, count] of counts) {
            const [connector, state] = key.split('\u0000') as [string, string];
            this.set({ connector, state }, count);
          }
        },
      });
    }
    new Gauge({
      name: `${PREFIX}records_in_flight`,
      help: 'Records read and not yet covered by a confirmed offset commit.',
      labelNames: ['connector', 'task'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of view.connectors()) for (const t of c.tasks) this.set({ connector: c.name, task: String(t.id) }, t.inFlight);
      },
    });
    new Gauge({
      name: `${PREFIX}consumer_lag`,
      help: 'Records between the committed offset and the end of each assigned partition (librdkafka statistics).',
      labelNames: ['connector', 'task', 'topic', 'partition'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of view.connectors()) {
          for (const [task, lags] of lagByTask.get(c.name) ?? []) {
            for (const [id, lag] of lags) {
              const split = id.lastIndexOf('/');
              this.set({ connector: c.name, task, topic: id.slice(0, split), partition: id.slice(split + 1) }, lag);
            }
          }
        }
      },
    });
    new Gauge({
      name: `${PREFIX}connector_state`,
      help: '1 for the state each connector is in.',
      labelNames: ['connector', 'state'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of view.connectors()) for (const state of CONNECTOR_STATES) this.set({ connector: c.name, state }, c.state === state ? 1 : 0);
      },
    });
    new Gauge({
      name: `${PREFIX}task_state`,
      help: '1 for the state each task of each connector is in (a connector of tasks.max=N has tasks 0 to N-1).',
      labelNames: ['connector', 'task', 'state'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of view.connectors()) {
          for (const t of c.tasks) for (const state of CONNECTOR_STATES) this.set({ connector: c.name, task: String(t.id), state }, t.state === state ? 1 : 0);
        }
      },
    });
  }

  totalsOf(name: string): ConnectorTotals {
    let totals = this.totals.get(name);
    if (!totals) {
      totals = { read: 0, delivered: 0, failed: 0, deadLettered: 0, requests: 0, commits: 0, lag: new Map() };
      this.totals.set(name, totals);
    }
    return totals;
  }

  allTotals(): ReadonlyMap<string, ConnectorTotals> {
    return this.totals;
  }

  /** The connector was deleted: its totals and every series labelled with it go. */
  forget(name: string): void {
    this.totals.delete(name);
    this.lagByTask.delete(name);
    for (const task of this.tasksSeen.get(name) ?? []) {
      const labels = { connector: name, task };
      for (const metric of [this.read, this.delivered, this.failed, this.deadLettered, this.retried, this.commits, this.commitFailures, this.duration]) metric.remove(labels);
      for (const statusClass of this.statusClasses.get(name) ?? []) this.requests.remove({ ...labels, status_class: statusClass });
    }
    this.tasksSeen.delete(name);
    this.statusClasses.delete(name);
  }

  /** A task stopped or died: the partitions it had are no longer its own (their lag comes from whoever takes them). */
  taskEnded(connector: string, task: number): void {
    const lags = this.lagByTask.get(connector);
    if (!lags?.delete(String(task))) return;
    this.totalsOf(connector).lag = mergedLag(lags);
  }

  /** What task `task` of `connector` reports (0 for a connector of one task; in cluster mode, this worker's task id). */
  observerFor(connector: string, task = 0): PipelineObserver {
    const taskLabel = String(task);
    const labels = { connector, task: taskLabel };
    this.tasksSeen.set(connector, (this.tasksSeen.get(connector) ?? new Set()).add(taskLabel));
    const totals = (): ConnectorTotals => this.totalsOf(connector);
    return {
      read: (count) => {
        totals().read += count;
        this.read.inc(labels, count);
      },
      requested: (status, seconds) => {
        totals().requests++;
        const statusClass = status === undefined ? 'network' : `${Math.floor(status / 100)}xx`;
        this.requests.inc({ ...labels, status_class: statusClass });
        this.statusClasses.set(connector, (this.statusClasses.get(connector) ?? new Set()).add(statusClass));
        this.duration.observe(labels, seconds);
      },
      finished: (delivery) => {
        const count = delivery.records;
        if (delivery.outcome === 'delivered') {
          totals().delivered += count;
          this.delivered.inc(labels, count);
        }
        if (delivery.attempts > 1) this.retried.inc(labels, count);
      },
      failed: (count, action, error) => {
        totals().failed += count;
        totals().lastRecordFailure = { message: `${count} record(s) ${action === 'dlq' ? 'dead-lettered' : 'dropped'}: ${error}`, at: new Date().toISOString() };
        this.failed.inc(labels, count);
        if (action === 'dlq') {
          totals().deadLettered += count;
          this.deadLettered.inc(labels, count);
        }
      },
      statistics: (json, ends) => {
        const lag = consumerLag(json, ends);
        if (!lag) return;
        let lags = this.lagByTask.get(connector);
        if (!lags) this.lagByTask.set(connector, (lags = new Map()));
        lags.set(taskLabel, lag);
        totals().lag = mergedLag(lags);
      },
      committed: (ok) => {
        if (ok) totals().commits++;
        (ok ? this.commits : this.commitFailures).inc(labels);
      },
    };
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Every task's lag in one map (a partition that just moved may be listed by two tasks for a moment: the larger wins). */
function mergedLag(byTask: ReadonlyMap<string, ReadonlyMap<string, number>>): Map<string, number> {
  const merged = new Map<string, number>();
  for (const lags of byTask.values()) for (const [id, lag] of lags) merged.set(id, Math.max(lag, merged.get(id) ?? 0));
  return merged;
}

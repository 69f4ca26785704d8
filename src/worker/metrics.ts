/**
 * The worker's Prometheus metrics (prom-client, one registry per worker), fed by each connector's
 * PipelineObserver, plus per-connector running totals that the status page's rates are sampled from.
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
  /** "topic/partition" -> records behind the end of the partition, from the last librdkafka statistics. */
  lag: Map<string, number>;
}

/** What the metrics ask the worker at scrape time. */
export interface LiveView {
  connectors(): { name: string; state: string; inFlight: number }[];
  /** Cluster mode: every worker's tasks of each connector (the status topic's view); undefined when standalone. */
  clusterTasks?(): { connector: string; state: string }[];
}

const PREFIX = 'kafka_http_sink_';
const CONNECTOR_STATES = ['UNASSIGNED', 'RUNNING', 'PAUSED', 'FAILED'];

export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly totals = new Map<string, ConnectorTotals>();
  /** The `status_class` labels each connector's request counter has, so a deleted connector's series can go. */
  private readonly statusClasses = new Map<string, Set<string>>();
  private readonly counter = (name: string, help: string, labelNames: string[] = ['connector']): Counter =>
    new Counter({ name: PREFIX + name, help, labelNames, registers: [this.registry] });
  private readonly read = this.counter('records_read_total', 'Records read from Kafka.');
  private readonly delivered = this.counter('records_delivered_total', 'Records delivered to the endpoint (a success status).');
  private readonly failed = this.counter('records_failed_total', 'Records that failed for good (dead-lettered or dropped).');
  private readonly deadLettered = this.counter('records_dead_lettered_total', 'Records written to the dead-letter topic.');
  private readonly retried = this.counter('records_retried_total', 'Records whose request needed at least one retry.');
  private readonly requests = this.counter('http_requests_total', 'HTTP attempts by status class (2xx ... 5xx, or network).', ['connector', 'status_class']);
  private readonly commits = this.counter('offset_commits_total', 'Offset commits the broker confirmed; its rate is commits per second (a few, or hundreds when commits storm).');
  private readonly commitFailures = this.counter('offset_commit_failures_total', 'Offset commits the broker refused or that failed.');
  private readonly duration = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'Duration of each HTTP attempt.',
    labelNames: ['connector'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(view: LiveView) {
    const totals = this.totals;
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
      labelNames: ['connector'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of view.connectors()) this.set({ connector: c.name }, c.inFlight);
      },
    });
    new Gauge({
      name: `${PREFIX}consumer_lag`,
      help: 'Records between the committed offset and the end of each assigned partition (librdkafka statistics).',
      labelNames: ['connector', 'topic', 'partition'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of view.connectors()) {
          for (const [id, lag] of totals.get(c.name)?.lag ?? []) {
            const split = id.lastIndexOf('/');
            this.set({ connector: c.name, topic: id.slice(0, split), partition: id.slice(split + 1) }, lag);
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
    const labels = { connector: name };
    for (const metric of [this.read, this.delivered, this.failed, this.deadLettered, this.retried, this.commits, this.commitFailures, this.duration]) metric.remove(labels);
    for (const statusClass of this.statusClasses.get(name) ?? []) this.requests.remove({ ...labels, status_class: statusClass });
    this.statusClasses.delete(name);
  }

  observerFor(connector: string): PipelineObserver {
    const labels = { connector };
    const totals = (): ConnectorTotals => this.totalsOf(connector);
    return {
      read: (count) => {
        totals().read += count;
        this.read.inc(labels, count);
      },
      requested: (status, seconds) => {
        totals().requests++;
        const statusClass = status === undefined ? 'network' : `${Math.floor(status / 100)}xx`;
        this.requests.inc({ connector, status_class: statusClass });
        this.statusClasses.set(connector, (this.statusClasses.get(connector) ?? new Set()).add(statusClass));
        this.duration.observe(labels, seconds);
      },
      finished: (delivery) => {
        const count = delivery.request.records.length;
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
        if (lag) totals().lag = lag;
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

/** The bench's scenarios: connector keys, receiver behaviour, which topic, and which limit the result is held against. */
import type { BenchOptions, ScenarioName } from './options.js';
import type { PipelineFrom } from './children.js';
import type { ReceiverMode } from './receiver-protocol.js';

export interface PipelineRun {
  /** Scenario name, plus the concurrency for the adaptive runs ("adaptive c=16"), and `[src]`/`[dist]` when both run. */
  readonly label: string;
  readonly scenario: ScenarioName;
  /** How the run's own topic's values are written: plain JSON, or JsonConverter's schema envelope. */
  readonly topic: 'plain' | 'envelope';
  readonly records: number;
  readonly connector: Record<string, unknown>;
  readonly receiver: ReceiverMode;
  /** Which limit the ratio is taken against: the raw consume rate (records/s) or the receiver's request rate. */
  readonly limit: 'consume' | 'requests';
  /** Concurrency and body size the load generator uses for this run's request limit. */
  readonly concurrency: number;
  readonly recordsPerRequest: number;
  /** Pipeline processes in the connector's group (tasks.max); 1 unless the run says otherwise. */
  readonly tasks?: number;
  /** Where the pipeline processes take the sink from; the options' first unless the run says otherwise. */
  readonly from?: PipelineFrom;
}

/** Keys every run shares; `topics` is the run's own topic, set by the caller. */
const base = (name: string, maxInFlight: number): Record<string, unknown> => ({
  name,
  'http.authorization.type': 'none',
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'http.headers.content.type': 'application/x-ndjson',
  'max.in.flight.records': maxInFlight,
});

/** Every pipeline run the chosen scenarios need, in order. */
export function pipelineRuns(options: BenchOptions, runId: string): PipelineRun[] {
  return withFrom(withTasks(singleTaskRuns(options, runId), options.tasks, runId), options.from);
}

function singleTaskRuns(options: BenchOptions, runId: string): PipelineRun[] {
  const batchSize = options.batchSize ?? 500;
  const linger = options.lingerMs ?? 100;
  const batched = (concurrency: number): Record<string, unknown> => ({
    'batching.enabled': true,
    'batch.max.size': batchSize,
    'batch.linger.ms': linger,
    'http.concurrency': concurrency,
  });
  const runs: PipelineRun[] = [];
  for (const scenario of options.scenarios) {
    const name = (suffix = ''): string => `bench-${scenario}${suffix}-${runId}`;
    switch (scenario) {
      case 'batched': {
        const concurrency = options.concurrency ?? 8;
        runs.push({
          label: 'batched', scenario, topic: 'plain', records: options.records, limit: 'consume', concurrency, recordsPerRequest: batchSize,
          connector: { ...base(name(), options.maxInFlight), ...batched(concurrency) },
          receiver: { latencyMs: options.receiverLatencyMs ?? 0, countBy: 'newline' },
        });
        break;
      }
      case 'per-record': {
        const concurrency = options.concurrency ?? 64;
        runs.push({
          label: 'per-record', scenario, topic: 'plain', records: options.recordsSmall, limit: 'requests', concurrency, recordsPerRequest: 1,
          connector: { ...base(name(), options.maxInFlight), 'batching.enabled': false, 'http.concurrency': concurrency, ordering: options.ordering ?? 'none' },
          receiver: { latencyMs: options.receiverLatencyMs ?? 5, countBy: 'request' },
        });
        break;
      }
      case 'json': {
        const concurrency = options.concurrency ?? 8;
        runs.push({
          label: 'json', scenario, topic: 'envelope', records: options.records, limit: 'consume', concurrency, recordsPerRequest: batchSize,
          connector: {
            ...base(name(), options.maxInFlight), ...batched(concurrency),
            'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': true,
          },
          receiver: { latencyMs: options.receiverLatencyMs ?? 0, countBy: 'newline' },
        });
        break;
      }
      case 'stalled': {
        const concurrency = options.concurrency ?? 8;
        runs.push({
          label: 'stalled', scenario, topic: 'plain', records: options.records, limit: 'consume', concurrency, recordsPerRequest: batchSize,
          connector: { ...base(name(), options.maxInFlight), ...batched(concurrency), 'http.timeout': 10, 'max.retries': 1000, 'retry.backoff.ms': 1000 },
          receiver: { latencyMs: options.receiverLatencyMs ?? 0, countBy: 'newline', stallMs: options.stallSeconds * 1000, verifyRecords: options.records },
        });
        break;
      }
      case 'adaptive': {
        // Small batches, any order, a slow receiver (20 ms) taking K at once: its capacity, not the partitions or the sink's CPU, decides the throughput.
        const k = options.adaptiveCapacity;
        const receiver: ReceiverMode = { latencyMs: options.receiverLatencyMs ?? 20, countBy: 'newline', capacity: k };
        const keys = (concurrency: number | 'adaptive'): Record<string, unknown> => ({
          'batching.enabled': true, 'batch.max.size': 20, 'batch.linger.ms': 5, ordering: 'none',
          'http.concurrency': concurrency, 'http.concurrency.max': 4 * k, 'max.retries': 1000, 'retry.backoff.ms': 50,
        });
        const fixed = [Math.max(1, Math.floor(k / 2)), k, 2 * k, 4 * k];
        for (const c of fixed) {
          runs.push({
            label: `adaptive c=${c}`, scenario, topic: 'plain', records: options.recordsSmall, limit: 'requests', concurrency: c, recordsPerRequest: 20,
            connector: { ...base(name(`-c${c}`), options.maxInFlight), ...keys(c) }, receiver,
          });
        }
        runs.push({
          label: 'adaptive', scenario, topic: 'plain', records: options.recordsSmall, limit: 'requests', concurrency: k, recordsPerRequest: 20,
          connector: { ...base(name('-aimd'), options.maxInFlight), ...keys('adaptive') }, receiver,
        });
        break;
      }
    }
  }
  return runs;
}

/** Each run once per `--from` value (dist, src), each with its own connector name (its own group). */
function withFrom(runs: readonly PipelineRun[], from: readonly PipelineFrom[]): PipelineRun[] {
  if (from.length === 1) return runs.map((run) => ({ ...run, from: from[0] }));
  return runs.flatMap((run) =>
    from.map((f) => ({ ...run, label: `${run.label} [${f}]`, from: f, connector: { ...run.connector, name: `${String(run.connector.name)}-${f}` } })),
  );
}

/** Each batched and per-record run once per tasks.max value (its own connector name, so its own group). */
function withTasks(runs: readonly PipelineRun[], tasks: readonly number[], runId: string): PipelineRun[] {
  return runs.flatMap((run) => {
    if (run.scenario !== 'batched' && run.scenario !== 'per-record') return [run];
    return tasks.map((n) =>
      n === 1 ? run : { ...run, label: `${run.label} tasks=${n}`, tasks: n, connector: { ...run.connector, name: `${String(run.connector.name)}-t${n}-${runId}`, 'tasks.max': n } },
    );
  });
}

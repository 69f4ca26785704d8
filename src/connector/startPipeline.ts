/**
 * Runs a pipeline: validates its config (before connecting), connects the Kafka source, subscribes the operator
 * chain, and on stop drains in-flight requests within `shutdown.timeout.ms`, commits what was delivered and
 * leaves the consumer group.
 */
import type { Observable, Subscription } from 'rxjs';
import { maskedError, type ProviderPolicy, referenceMask } from '../common/config/providers.js';
import { buildSinkConfig, connectorSettings, type SinkConfig } from './connector-config.js';
import { errorMessage } from '../common/errors.js';
import { whatToDo } from '../common/error-hints.js';
import { createLogger, type Logger } from '../common/log.js';
import { connectDeadLetterProducer } from '../outcomes/dead-letter-producer.js';
import { createDeadLetters, type DeadLetterProducer } from '../outcomes/dead-letters.js';
import { ensureDeadLetterTopic } from '../outcomes/dead-letter-topic.js';
import { createHttpService } from '../deliver/http-service.js';
import { createReporter } from '../outcomes/reporter.js';
import { createReportTopics } from '../outcomes/report-topics.js';
import { KafkaSource } from '../source/kafka-source.js';
import type { SourceStats } from '../source/source-stats.js';
import type { WorkerClients } from '../source/worker-clients.js';
import { connectorPipeline, type PipelineDefinition } from './definePipeline.js';
import { observeDeadLetters, observeOutput, observeRecords, observeSend, type PipelineObserver, withStatistics } from './observe.js';

export interface RunningPipeline {
  readonly config: SinkConfig;
  /** Settles once the pipeline ended and its offsets were committed: resolves after stop(), rejects on failure. */
  readonly done: Promise<void>;
  /** Graceful stop: stop reading, let in-flight requests finish (bounded), commit, leave the group. */
  stop(): Promise<void>;
  stats(): SourceStats;
  /** Pause (true) or resume (false) reading: every assigned partition pauses, in-flight requests finish and commit. */
  hold(held: boolean): void;
}

export interface StartOptions {
  /** This process's task of the connector (`tasks.max`): named in dead-letter headers and logs. Default 0. */
  taskId?: number;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  /** Told what the pipeline reads, sends and commits (the worker's metrics); turns on librdkafka statistics. */
  observer?: PipelineObserver;
  /** librdkafka `statistics.interval.ms` when observed, unless the connector file sets it (default 5000). */
  statisticsIntervalMs?: number;
  /** Which `${...}` references the config may resolve (default: all; the worker passes its policy for API-created connectors). */
  providers?: ProviderPolicy;
  /** The worker file's settings for the Kafka clients and its override policy (default: the environment's broker, any override). */
  clients?: WorkerClients;
}

export async function startPipeline(definition: PipelineDefinition, options: StartOptions = {}): Promise<RunningPipeline> {
  // A failure names the key and the reference, never the value a reference resolved to (librdkafka quotes values).
  const unresolved = <E>(error: E): E => maskedError(error, referenceMask(definition.connector, options.env ?? process.env, options.providers));
  try {
    return await start(definition, options, unresolved);
  } catch (error) {
    throw unresolved(error);
  }
}

async function start(definition: PipelineDefinition, options: StartOptions, unresolved: <E>(error: E) => E): Promise<RunningPipeline> {
  const config = buildSinkConfig(connectorSettings(definition.connector, options.env ?? process.env, options.providers, options.clients));
  const log = (options.log ?? createLogger()).child({ connector: config.name });
  log.debug('connector config', { config: config.redacted });
  for (const warning of config.warnings) log.warn(warning);
  for (const notice of config.notices ?? []) log.info(notice);
  if (definition.build !== connectorPipeline && config.transforms.chain.length > 0) {
    // A .ts pipeline builds its own chain: the file's transforms run only where it puts applyTransforms().
    log.warn('this pipeline builds its own operator chain: the connector\'s transforms.* run only if it calls applyTransforms(config.transforms, ...)', { transforms: config.transforms.chain.length });
  }
  const service = createHttpService(config.http);
  const { observer } = options;
  const source = new KafkaSource(observer ? withStatistics(config.source, options.statisticsIntervalMs ?? 5000) : config.source, log);
  if (observer) source.observe(observer);
  let producer: DeadLetterProducer | undefined;
  let reportProducer: DeadLetterProducer | undefined; // the reports' own, when they go to another cluster
  /** Everything the pipeline opened: after it ended, or when it could not start (connect or `build()` threw). */
  const closeAll = async (): Promise<void> => {
    config.decode.close?.(); // ends a schema registry client's retries
    await source.close();
    service.close();
    await producer?.close();
    await reportProducer?.close();
  };
  try {
    const { deadLetter, reporter } = config;
    const reports = reporter.resultTopic ?? reporter.errorTopic;
    if (deadLetter.topic !== undefined && deadLetter.createWithReplicas !== undefined) await ensureDeadLetterTopic(config.source.producer, deadLetter.topic, deadLetter.createWithReplicas);
    if (deadLetter.topic ?? (reporter.producer === undefined ? reports : undefined)) producer = await connectDeadLetterProducer(config.source.producer, undefined, log);
    if (reports !== undefined && reporter.topics !== undefined) await createReportTopics(reporter.admin ?? config.source.producer, reporter.topics);
    if (reports !== undefined && reporter.producer !== undefined) reportProducer = await connectDeadLetterProducer(reporter.producer, undefined, log);
    await source.connect();
  } catch (error) {
    await closeAll();
    throw error;
  }
  const logged = createDeadLetters({ ...config.deadLetter, taskId: options.taskId ?? 0 }, producer, log);
  const deadLetters = observer ? observeDeadLetters(logged, observer) : logged;
  const send = observer ? observeSend(service.send, observer) : service.send;
  const records$ = observer ? observeRecords(source.records$, observer) : source.records$;
  const reports = reportProducer ?? producer;
  const reporter = reports && (config.reporter.resultTopic ?? config.reporter.errorTopic) ? createReporter(config.reporter, reports) : undefined;

  let settle!: (error?: unknown) => void;
  const ended = new Promise<unknown>((resolve) => {
    settle = resolve;
  });
  let output$: Observable<unknown>;
  try {
    output$ = definition.build({ config, records$, send, deadLetters, reporter, log });
  } catch (error) {
    await closeAll();
    throw error;
  }
  const done = ended.then(async (error) => {
    subscription.unsubscribe(); // assigned below before any settle can run this (it runs as a microtask)
    await closeAll();
    if (error !== undefined) throw error;
  });
  done.catch(() => {});

  const subscription: Subscription = (observer ? observeOutput(output$, observer) : output$).subscribe({
    error: (failure: unknown) => {
      const error = unresolved(failure);
      log.error('pipeline stopped', { error: errorMessage(error), whatToDo: whatToDo(error) });
      settle(error);
    },
    complete: () => settle(),
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info('stopping: draining in-flight requests', { inFlight: source.stats().inFlight, timeoutMs: config.shutdownTimeoutMs });
      source.stop();
      const timer = setTimeout(() => {
        log.warn('shutdown timeout: abandoning in-flight requests; they are re-sent after a restart', { inFlight: source.stats().inFlight });
        settle();
      }, config.shutdownTimeoutMs);
      await done.catch(() => {});
      clearTimeout(timer);
    })();
    return stopping;
  };

  return { config, done, stop, stats: () => source.stats(), hold: (held) => source.hold(held) };
}

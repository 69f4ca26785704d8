/** Kafka Connect's error-handling keys: tolerance, the dead-letter topic and its context headers, error logging. */
import { bool, int, oneOf, str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec, ConfigValues } from '../common/config/spec.js';
import type { FailureAction } from '../records/outcome.js';

export const deadLetterConfigSpec = {
  'errors.tolerance': {
    doc: '`none`: a record that fails for good (retries spent, undecodable, refused null) stops the pipeline. `all`: it goes to the dead-letter topic when one is set, else it is skipped with a warning, and the pipeline goes on.',
    format: oneOf(['none', 'all']),
    default: 'none',
  },
  'errors.deadletterqueue.topic.name': {
    doc: 'Dead-letter topic (must exist, or the broker must create topics). Each failed record is written with its own key, value and headers, also in batch mode; its offset is committed only once the broker acknowledged that write.',
    format: str(),
    default: null,
  },
  'errors.deadletterqueue.context.headers.enable': {
    doc: 'Add Kafka Connect\'s `__connect.errors.*` headers (topic, partition, offset, connector name, stage, exception class and message) plus `__connect.errors.http.status` and `__connect.errors.http.response.body` (first 1 KB).',
    format: bool(),
    default: false,
  },
  'errors.deadletterqueue.topic.replication.factor': {
    doc: 'When set, the dead-letter topic is created at start if it does not exist (one partition, this replication factor; -1: the broker\'s default), as Kafka Connect creates it. Unset, the topic must exist or the broker must create topics (Connect would create it with 3 replicas).',
    format: int(-1, 32767),
    default: null,
  },
  'errors.retry.timeout': {
    doc: 'Kafka Connect retries records that failed in a converter or transform for this long. Only `0` (the default: no retry) is accepted. Decoding and transforming a record give the same result every time; a schema registry that cannot be reached is retried by the registry client; HTTP requests are retried per `max.retries` / `retry.backoff.ms`.',
    format: int(-1),
    default: 0,
  },
  'errors.retry.delay.max.ms': { doc: 'Longest wait between the retries of `errors.retry.timeout`. With no such retries (the only choice here, as with Connect\'s default), it changes nothing.', format: int(0), default: 60_000 },
  'errors.log.enable': { doc: 'Log every record that failed for good (topic, partition, offset, error) at error level.', format: bool(), default: false },
  'errors.log.include.messages': { doc: 'With `errors.log.enable`: also log the record\'s key and value (first 1 KB each).', format: bool(), default: false },
} satisfies ConfigSpec;

export interface DeadLetterOptions {
  readonly connector: string;
  /** Undefined: no dead-letter topic. */
  readonly topic: string | undefined;
  readonly contextHeaders: boolean;
  readonly logErrors: boolean;
  readonly logMessages: boolean;
  /** `errors.deadletterqueue.topic.replication.factor`: create the topic at start (-1: the broker's default); undefined: do not. */
  readonly createWithReplicas?: number;
  /** The task that runs the connector (`tasks.max`), for the `__connect.errors.task.id` header. Default 0. */
  readonly taskId?: number;
}

export function deadLetterOptions(connector: string, values: ConfigValues<typeof deadLetterConfigSpec>): DeadLetterOptions {
  const topic = values.optionalString('errors.deadletterqueue.topic.name')?.trim();
  const retryTimeout = values.number('errors.retry.timeout');
  if (retryTimeout !== 0) {
    throw new ConfigError('errors.retry.timeout', `only 0 is supported, got ${retryTimeout}: records are not retried between converter, transform and delivery (a record decodes and transforms the same every time; the schema registry client and the HTTP retries, max.retries and retry.backoff.ms, retry on their own); remove it`);
  }
  const replicas = values.isSet('errors.deadletterqueue.topic.replication.factor') ? values.number('errors.deadletterqueue.topic.replication.factor') : undefined;
  if (replicas === 0) throw new ConfigError('errors.deadletterqueue.topic.replication.factor', 'must be at least 1, or -1 for the broker\'s default');
  return {
    connector,
    topic: topic === '' ? undefined : topic,
    ...(replicas === undefined || topic === undefined || topic === '' ? {} : { createWithReplicas: replicas }),
    contextHeaders: values.boolean('errors.deadletterqueue.context.headers.enable'),
    logErrors: values.boolean('errors.log.enable'),
    logMessages: values.boolean('errors.log.include.messages'),
  };
}

/** `errors.tolerance` -> what happens to a record that failed for good. */
export function toleranceAction(values: ConfigValues<typeof deadLetterConfigSpec>, options: DeadLetterOptions): FailureAction {
  if (values.get('errors.tolerance') === 'none') return 'fail';
  return options.topic === undefined ? 'drop' : 'dlq';
}

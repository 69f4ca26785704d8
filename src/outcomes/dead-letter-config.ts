/** Kafka Connect's error-handling keys: tolerance, the dead-letter topic and its context headers, error logging. */
import { bool, oneOf, str } from '../common/config/formats.js';
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
  /** The task that runs the connector (`tasks.max`), for the `__connect.errors.task.id` header. Default 0. */
  readonly taskId?: number;
}

export function deadLetterOptions(connector: string, values: ConfigValues<typeof deadLetterConfigSpec>): DeadLetterOptions {
  const topic = values.optionalString('errors.deadletterqueue.topic.name')?.trim();
  return {
    connector,
    topic: topic === '' ? undefined : topic,
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

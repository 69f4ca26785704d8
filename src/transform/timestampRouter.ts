/** TimestampRouter: renames the topic after the record's timestamp, e.g. `orders-20240131`. */
import type { OperatorFunction } from 'rxjs';
import { str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import { type SinkRecord, withTopic } from '../records/record.js';
import { javaDateFormat } from './java-date-format.js';
import { type RecordTransform, recordFailure, type TransformDefinition, type TransformRunOptions } from './record-transform.js';
import { transformRecords } from './transformRecords.js';

export interface TimestampRouterOptions {
  /** `${topic}` and `${timestamp}` are replaced; `${topic}-${timestamp}` by default. */
  readonly topicFormat?: string;
  /** SimpleDateFormat pattern (UTC) for `${timestamp}`; `yyyyMMdd` by default. */
  readonly timestampFormat?: string;
}

/**
 * Sets the record's topic from `topicFormat`: what `${topic}` renders in URL and header templates from here on. The
 * offset committed stays the source record's. A record without a timestamp is a record error.
 *
 * @example
 * decoded$.pipe(timestampRouter({ topicFormat: '${topic}-${timestamp}', timestampFormat: 'yyyy-MM' }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.TimestampRouter
 */
export function timestampRouter(options: TimestampRouterOptions & TransformRunOptions = {}): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(timestampRouterTransform(options, options.name ?? 'TimestampRouter'), options);
}

export function timestampRouterTransform(options: TimestampRouterOptions, name: string): RecordTransform {
  const topicFormat = options.topicFormat ?? '${topic}-${timestamp}';
  const timestamp = javaDateFormat(options.timestampFormat ?? 'yyyyMMdd');
  return (record) => {
    if (record.timestamp === undefined) return recordFailure(record, name, 'the record has no timestamp');
    const topic = topicFormat.replaceAll('${topic}', record.topic).replaceAll('${timestamp}', timestamp.format(record.timestamp));
    return withTopic(record, topic);
  };
}

export const timestampRouterDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.TimestampRouter',
  variants: false,
  doc: 'Renames the topic after the record timestamp (what `${topic}` renders in URL and header templates); the committed offset stays the source record\'s.',
  options: {
    'topic.format': { doc: 'The new topic name; `${topic}` and `${timestamp}` are replaced.', format: str(), default: '${topic}-${timestamp}' },
    'timestamp.format': { doc: 'SimpleDateFormat pattern (UTC) for `${timestamp}`.', format: str(), default: 'yyyyMMdd' },
  } satisfies ConfigSpec,
  create: (read, _part, name) => {
    try {
      javaDateFormat(read.string('timestamp.format'));
    } catch (error) {
      throw new ConfigError('timestamp.format', (error as Error).message);
    }
    return timestampRouterTransform({ topicFormat: read.string('topic.format'), timestampFormat: read.string('timestamp.format') }, name);
  },
};

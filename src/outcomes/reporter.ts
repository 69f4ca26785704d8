/**
 * Reporting topics (Confluent's `reporter.*` keys): after each request, one record per input record, to the result
 * topic when delivered and to the error topic when it failed for good (dead-lettered or dropped).
 */
import { int, str } from '../common/config/formats.js';
import type { ConfigSpec, ConfigValues } from '../common/config/spec.js';
import { DeadLetterError, errorMessage } from '../common/errors.js';
import type { DeadLetterMessage, DeadLetterProducer } from './dead-letters.js';
import type { Delivery } from '../request/request.js';
import { sourceTopicOf } from '../records/record.js';
import { type ConfluentReportFormat, confluentReportMessages } from './confluent-reports.js';
import type { ReportTopic } from './report-topics.js';

export const reporterConfigSpec = {
  'reporter.result.topic.name': {
    doc: 'When set, every delivered record is reported here: key = the input key, value = JSON `{"status","body","attempts"}`, headers `input.topic`, `input.partition`, `input.offset`, `input.key`. Its offset is committed once the report is acknowledged.',
    format: str(),
    default: null,
  },
  'reporter.error.topic.name': {
    doc: 'When set, every record that failed for good and was dead-lettered or dropped is reported here, the same way, with `"error"` in the value.',
    format: str(),
    default: null,
  },
  'reporter.response.body.max.bytes': { doc: 'The response body in a report is cut to this many characters.', format: int(0, 1_048_576), default: 1024 },
} satisfies ConfigSpec;

export interface ReporterOptions {
  readonly resultTopic: string | undefined;
  readonly errorTopic: string | undefined;
  readonly bodyMaxChars: number;
  /** Write Confluent's report records (connector class Confluent's) instead of ours. */
  readonly confluent?: ConfluentReportFormat;
  /** librdkafka properties of a producer of the reports' own (another cluster); undefined: the dead-letter producer's. */
  readonly producer?: Record<string, string | number | boolean>;
  /** Topics to create at start when missing, and the properties of the admin client that creates them. */
  readonly topics?: readonly ReportTopic[];
  readonly admin?: Record<string, string | number | boolean>;
}

export function reporterOptions(values: ConfigValues<typeof reporterConfigSpec>): ReporterOptions {
  const topic = (key: 'reporter.result.topic.name' | 'reporter.error.topic.name'): string | undefined => values.optionalString(key)?.trim() || undefined;
  return {
    resultTopic: topic('reporter.result.topic.name'),
    errorTopic: topic('reporter.error.topic.name'),
    bodyMaxChars: values.number('reporter.response.body.max.bytes'),
  };
}

export interface Reporter {
  /** Resolves once the broker acknowledged the reports of the delivery's records (at once when none are due). */
  report(delivery: Delivery): Promise<void>;
}

export function createReporter(options: ReporterOptions, producer: DeadLetterProducer | undefined): Reporter {
  return {
    report: async (delivery) => {
      const topic = delivery.outcome === 'delivered' ? options.resultTopic : options.errorTopic;
      if (topic === undefined || producer === undefined) return;
      try {
        await producer.produce(topic, options.confluent ? confluentReportMessages(delivery, options.confluent) : reportMessages(delivery, options.bodyMaxChars));
      } catch (error) {
        throw new DeadLetterError(topic, delivery.records, errorMessage(error), error);
      }
    },
  };
}

export function reportMessages(delivery: Delivery, bodyMaxChars: number): DeadLetterMessage[] {
  const body = delivery.response?.body ?? '';
  const value = Buffer.from(
    JSON.stringify({
      status: delivery.response?.status ?? null,
      body: body.length > bodyMaxChars ? body.slice(0, bodyMaxChars) : body,
      attempts: delivery.attempts,
      ...(delivery.error ? { error: delivery.error.message } : {}),
    }),
  );
  return delivery.records.map((r): DeadLetterMessage => {
    const headers: { [name: string]: Buffer }[] = [
      { 'input.topic': Buffer.from(sourceTopicOf(r)) },
      { 'input.partition': Buffer.from(String(r.partition)) },
      { 'input.offset': Buffer.from(String(r.offset)) },
    ];
    if (r.raw.key !== null) headers.push({ 'input.key': r.raw.key });
    return { key: r.raw.key, value, timestamp: undefined, headers };
  });
}

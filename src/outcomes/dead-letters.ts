/**
 * Where records that failed for good go: logged (errors.log.*), then written to the dead-letter topic ('dlq') or
 * skipped with a warning ('drop'). The caller acknowledges the records only after `handle` resolved.
 */
import type { Logger } from 'winston';
import { DeadLetterError, DecodeError, DeliveryError, describeRecords, errorMessage, HttpStatusError, type SinkError, TransformError } from '../common/errors.js';
import type { DeadLetters, FailedRecord } from '../records/outcome.js';
import type { DeadLetterOptions } from './dead-letter-config.js';
import { sourceTopicOf } from '../records/record.js';

const MAX_TEXT = 1024;

/** Kafka Connect's stage names: where in the chain the record failed. */
export type FailureStage = 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'TRANSFORMATION' | 'TASK_PUT';

export interface DeadLetterMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: { [name: string]: Buffer }[];
  readonly timestamp: number | undefined;
}

/** Writes messages to a topic; resolves once the broker acknowledged all of them. */
export interface DeadLetterProducer {
  produce(topic: string, messages: readonly DeadLetterMessage[]): Promise<void>;
  close(): Promise<void>;
}

export type { DeadLetters, FailedRecord } from '../records/outcome.js';

export function createDeadLetters(options: DeadLetterOptions, producer: DeadLetterProducer | undefined, log: Logger): DeadLetters {
  return {
    handle: async (failed, action) => {
      if (failed.length === 0) return;
      if (options.logErrors) for (const f of failed) log.error('record failed', errorLogFields(f, options.logMessages));
      const records = failed.map((f) => f.record);
      if (action === 'drop') {
        log.warn('records dropped after a failure', { records: describeRecords(records), error: errorMessage(failed[0]!.error) });
        return;
      }
      if (options.topic === undefined || producer === undefined) {
        throw new DeadLetterError(options.topic ?? '(none)', records, 'no dead-letter topic is configured (errors.deadletterqueue.topic.name)');
      }
      try {
        await producer.produce(options.topic, failed.map((f) => deadLetterMessage(f, options)));
      } catch (error) {
        throw new DeadLetterError(options.topic, records, errorMessage(error), error);
      }
      log.warn('records written to the dead-letter topic', { topic: options.topic, records: describeRecords(records), error: errorMessage(failed[0]!.error) });
    },
  };
}

/** The record as it came from Kafka, plus (when enabled) Kafka Connect's context headers and the HTTP outcome. */
export function deadLetterMessage(failed: FailedRecord, options: Pick<DeadLetterOptions, 'connector' | 'contextHeaders' | 'taskId'>): DeadLetterMessage {
  const { record, error } = failed;
  const headers = record.headers.map((h) => ({ [h.key]: h.value }));
  if (options.contextHeaders) {
    const cause = rootError(error);
    const context: [string, string | undefined][] = [
      ['topic', sourceTopicOf(record)], // the topic it was read from, also after a router
      ['partition', String(record.partition)],
      ['offset', String(record.offset)],
      ['connector.name', options.connector],
      ['task.id', String(options.taskId ?? 0)],
      ['stage', stageOf(error)],
      ['class.name', 'kafka-http-sink'],
      ['exception.class.name', cause.name],
      ['exception.message', cause.message],
      ['http.status', cause instanceof HttpStatusError ? String(cause.status) : undefined],
      ['http.response.body', cause instanceof HttpStatusError ? truncate(cause.responseBody) : undefined],
    ];
    for (const [name, value] of context) if (value !== undefined) headers.push({ [`__connect.errors.${name}`]: Buffer.from(value) });
  }
  return { key: record.raw.key, value: record.raw.value, headers, timestamp: record.timestamp };
}

function stageOf(error: SinkError): FailureStage {
  if (error instanceof DecodeError) return error.part === 'key' ? 'KEY_CONVERTER' : 'VALUE_CONVERTER';
  if (error instanceof TransformError) return 'TRANSFORMATION';
  return 'TASK_PUT';
}

function rootError(error: SinkError): SinkError {
  return error instanceof DeliveryError ? error.lastError : error;
}

function errorLogFields(failed: FailedRecord, withMessages: boolean): Record<string, unknown> {
  const { record, error } = failed;
  const fields: Record<string, unknown> = { topic: sourceTopicOf(record), partition: record.partition, offset: record.offset, error: errorMessage(rootError(error)) };
  if (withMessages) {
    fields.key = record.raw.key === null ? null : truncate(record.raw.key.toString());
    fields.value = record.raw.value === null ? null : truncate(record.raw.value.toString());
  }
  return fields;
}

function truncate(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}...` : text;
}

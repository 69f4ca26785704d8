/**
 * What a running pipeline reports to whoever watches it (the worker's metrics and status page), and the wrappers
 * that tap the pipeline's injected I/O to produce those reports. Nothing here changes what the pipeline does.
 */
import { type Observable, tap } from 'rxjs';
import { redactedWhenPrinted } from '../common/config/secret.js';
import { errorMessage } from '../common/errors.js';
import type { DeadLetters } from '../outcomes/dead-letters.js';
import type { Send } from '../deliver/http-service.js';
import type { Delivery } from '../request/request.js';
import type { KafkaSourceOptions } from '../source/kafka-config.js';
import type { KafkaRecord } from '../records/record.js';

export interface PipelineObserver {
  /** Records read from Kafka (one call per poll). */
  read(count: number): void;
  /** One HTTP attempt ended: its status, or undefined when no response came; and how long it took. */
  requested(status: number | undefined, seconds: number): void;
  /** A request's records reached the end of the chain: delivered, dead-lettered or dropped, after `attempts`. */
  finished(delivery: DeliverySummary): void;
  /** Records failed for good and went to the dead-letter topic (`dlq`) or were skipped (`drop`); `error` says why. */
  failed(count: number, action: 'dlq' | 'drop', error: string): void;
  /** librdkafka's statistics, as JSON text, and the end offsets just asked of the broker for paused partitions. */
  statistics(json: string, ends?: ReadonlyMap<string, number>): void;
  /** The broker answered an offset commit (once per commit request: their rate shows a commit storm). */
  committed(ok: boolean): void;
}

/** What an observer is told of a delivery: plain data (no records), so it can cross a process boundary. */
export interface DeliverySummary {
  readonly outcome: Delivery['outcome'];
  readonly attempts: number;
  /** How many records the request carried. */
  readonly records: number;
}

export function observeSend(send: Send, observer: PipelineObserver): Send {
  return async (request, signal) => {
    const started = process.hrtime.bigint();
    const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const response = await send(request, signal);
      observer.requested(response.status, elapsed());
      return response;
    } catch (error) {
      observer.requested(undefined, elapsed());
      throw error;
    }
  };
}

export function observeDeadLetters(deadLetters: DeadLetters, observer: PipelineObserver): DeadLetters {
  return {
    handle: async (failed, action) => {
      await deadLetters.handle(failed, action);
      if (failed.length > 0) observer.failed(failed.length, action, errorMessage(failed[0]!.error));
    },
  };
}

export function observeRecords(records$: Observable<KafkaRecord[]>, observer: PipelineObserver): Observable<KafkaRecord[]> {
  return records$.pipe(tap((records) => observer.read(records.length)));
}

/** The chain's output: deliveries (from `post`/`commit`) are reported; anything else a custom chain emits is ignored. */
export function observeOutput(output$: Observable<unknown>, observer: PipelineObserver): Observable<unknown> {
  return output$.pipe(tap((value) => (isDelivery(value) ? observer.finished({ outcome: value.outcome, attempts: value.attempts, records: value.request.records.length }) : undefined)));
}

function isDelivery(value: unknown): value is Delivery {
  return typeof value === 'object' && value !== null && 'outcome' in value && 'attempts' in value && 'records' in value;
}

/** The source options with librdkafka statistics on (every `intervalMs`), unless the connector file set its own. */
export function withStatistics(source: KafkaSourceOptions, intervalMs: number): KafkaSourceOptions {
  return { ...source, rdkafka: redactedWhenPrinted({ 'statistics.interval.ms': intervalMs, ...source.rdkafka }) };
}

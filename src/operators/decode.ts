import { concatMap, from, map, type Observable, of, type OperatorFunction, throwError } from 'rxjs';
import type { Logger } from 'winston';
import { DecodeError, describeRecords, NullValueError, SinkError } from '../errors.js';
import type { DecodeOptions } from '../converters/converter-config.js';
import type { DeadLetters, FailedRecord } from '../sink/dead-letters.js';
import { ackRecords, type KafkaRecord, type SinkRecord } from '../source/record.js';

export interface DecodeRunOptions extends DecodeOptions {
  /** Where undecodable records (and refused nulls) go when `onError` is `dlq` or `drop`. */
  readonly deadLetters?: DeadLetters;
  /** For `behavior.on.null.values=log`. */
  readonly log?: Logger;
}

/**
 * Decodes the key and value of every record with the configured converters.
 *
 * A null value (tombstone) follows `onNull`: `fail` makes it an error, `ignore` and `log` skip it (acknowledged, so
 * its offset is committed), `delete` passes it on with a null value (the request builder sends a DELETE). A record
 * its converter rejects, or a refused null, follows `onError`: `fail` stops the pipeline with a DecodeError (or
 * NullValueError) naming topic, partition and offset; `dlq`/`drop` hand it to `deadLetters` and acknowledge it once
 * that resolved. Polls keep their order.
 *
 * @example
 * source.records$.pipe(decode({ key: stringConverter, value: jsonConverter(false) }))
 */
export function decode(options: DecodeRunOptions): OperatorFunction<readonly KafkaRecord[], SinkRecord[]> {
  return concatMap((records) => decodePoll(records, options));
}

function decodePoll(records: readonly KafkaRecord[], options: DecodeRunOptions): Observable<SinkRecord[]> {
  const kept: SinkRecord[] = [];
  const skipped: KafkaRecord[] = [];
  const failed: FailedRecord[] = [];
  const onNull = options.onNull ?? 'fail';
  for (const record of records) {
    try {
      if (record.value === null && (onNull === 'ignore' || onNull === 'log')) skipped.push(record);
      else kept.push(decodeRecord(record, options));
    } catch (error) {
      if (!(error instanceof SinkError)) throw error;
      failed.push({ record, error });
    }
  }
  if (skipped.length > 0) {
    if (onNull === 'log') options.log?.info('null values skipped', { records: describeRecords(skipped) });
    ackRecords(skipped);
  }
  if (failed.length === 0) return of(kept);
  const action = options.onError ?? 'fail';
  if (action === 'fail' || (action === 'dlq' && options.deadLetters === undefined)) return throwError(() => failed[0]!.error);
  const handled = options.deadLetters ? from(options.deadLetters.handle(failed, action)) : of(undefined);
  return handled.pipe(
    map(() => {
      ackRecords(failed.map((f) => f.record));
      return kept;
    }),
  );
}

function decodeRecord(record: KafkaRecord, options: DecodeRunOptions): SinkRecord {
  if (record.value === null) {
    if ((options.onNull ?? 'fail') === 'fail') throw new NullValueError(record);
    return { ...record, key: convert(record, 'key', options), value: null };
  }
  return { ...record, key: convert(record, 'key', options), value: convert(record, 'value', options) };
}

function convert(record: KafkaRecord, part: 'key' | 'value', options: DecodeOptions): unknown {
  try {
    return options[part](record[part], record);
  } catch (error) {
    throw new DecodeError(record, part, (error as Error).message);
  }
}

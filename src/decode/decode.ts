import { concatMap, from, type Observable, type OperatorFunction } from 'rxjs';
import type { Logger } from 'winston';
import { BadDataError, DecodeError, describeRecords, NullValueError } from '../common/errors.js';
import type { DecodeOptions } from './converter-config.js';
import type { DeadLetters, FailedRecord } from '../records/outcome.js';
import { ackRecords, type KafkaRecord, type SinkRecord } from '../records/record.js';
import { settleFailures } from '../records/settleFailures.js';
import type { ConverterContext } from './converter.js';

export interface DecodeRunOptions extends DecodeOptions {
  /** Where undecodable records (and refused nulls) go when `onError` is `dlq` or `drop`. */
  readonly deadLetters?: DeadLetters;
  /** For `behavior.on.null.values=log`, and for converters that wait on the schema registry. */
  readonly log?: Logger;
}

/**
 * Decodes the key and value of every record with the configured converters.
 *
 * A null value (tombstone) follows `onNull`: `fail` makes it an error, `ignore` and `log` skip it (acknowledged, so
 * its offset is committed), `delete` passes it on with a null value (the request builder sends a DELETE). A record
 * its converter rejects as bad data (a BadDataError), or a refused null, follows `onError`: `fail` stops the pipeline with a DecodeError (or
 * NullValueError) naming topic, partition and offset; `dlq`/`drop` hand it to `deadLetters` and acknowledge it once
 * that resolved. Polls keep their order. A poll whose schema is not cached yet waits for the registry (string and
 * JSON converters never wait); any other error from a converter (the registry refusing us, a bug) stops the pipeline.
 *
 * @example
 * source.records$.pipe(decode({ key: stringConverter, value: jsonConverter(false) }))
 */
export function decode(options: DecodeRunOptions): OperatorFunction<readonly KafkaRecord[], SinkRecord[]> {
  return concatMap((records) => decodePoll(records, options));
}

interface SortedPoll {
  readonly kept: SinkRecord[];
  readonly skipped: KafkaRecord[];
  readonly failed: FailedRecord[];
}

/** What each converter notes about its last result; one pair per synchronous poll, cleared before every record. */
interface Contexts {
  readonly key: ConverterContext;
  readonly value: ConverterContext;
}

function decodePoll(records: readonly KafkaRecord[], options: DecodeRunOptions): Observable<SinkRecord[]> {
  const sorted: SortedPoll = { kept: [], skipped: [], failed: [] };
  const contexts: Contexts = { key: { log: options.log }, value: { log: options.log } };
  for (const record of records) {
    if (sortRecord(record, options, sorted, contexts)) {
      // A converter is fetching a schema: decode the whole poll again, waiting where needed (rare: cache misses).
      return from(decodePollAsync(records, options)).pipe(concatMap((later) => settle(later, options)));
    }
  }
  return settle(sorted, options);
}

/** Decodes one record into `sorted`; true when a converter answered with a Promise (nothing was added then). */
function sortRecord(record: KafkaRecord, options: DecodeRunOptions, sorted: SortedPoll, contexts: Contexts): boolean {
  try {
    if (record.value === null && skipsNulls(options)) {
      sorted.skipped.push(record);
      return false;
    }
    const decoded = decodeRecord(record, options, contexts);
    if (decoded instanceof Promise) {
      decoded.catch(() => {}); // decodePollAsync decodes this record again and sees the same outcome
      return true;
    }
    sorted.kept.push(decoded);
  } catch (error) {
    if (!isRecordFailure(error)) throw error;
    sorted.failed.push({ record, error });
  }
  return false;
}

async function decodePollAsync(records: readonly KafkaRecord[], options: DecodeRunOptions): Promise<SortedPoll> {
  const sorted: SortedPoll = { kept: [], skipped: [], failed: [] };
  const pending = records.map((record) => (record.value === null && skipsNulls(options) ? undefined : Promise.resolve(record).then((r) => decodeRecord(r, options))));
  for (const p of pending) p?.catch(() => {}); // awaited in order below; no rejection goes unhandled meanwhile
  for (const [i, record] of records.entries()) {
    const decoded = pending[i];
    if (decoded === undefined) {
      sorted.skipped.push(record);
      continue;
    }
    try {
      sorted.kept.push(await decoded);
    } catch (error) {
      if (!isRecordFailure(error)) throw error;
      sorted.failed.push({ record, error });
    }
  }
  return sorted;
}

function settle(sorted: SortedPoll, options: DecodeRunOptions): Observable<SinkRecord[]> {
  const { kept, skipped, failed } = sorted;
  if (skipped.length > 0) {
    if (options.onNull === 'log') options.log?.info('null values skipped', { records: describeRecords(skipped) });
    ackRecords(skipped);
  }
  return settleFailures(kept, failed, options);
}

function skipsNulls(options: DecodeOptions): boolean {
  return options.onNull === 'ignore' || options.onNull === 'log';
}

/** Errors that make one record bad (dead-letter or stop); anything else (a registry refusing us) stops the pipeline. */
function isRecordFailure(error: unknown): error is DecodeError | NullValueError {
  return error instanceof DecodeError || error instanceof NullValueError;
}

/**
 * Each converter notes what it knows of its result (the Connect schema, whether the text is the bytes verbatim) in
 * its context: the poll's pair, cleared here (a synchronous poll decodes one record at a time), or a fresh pair.
 */
function decodeRecord(record: KafkaRecord, options: DecodeRunOptions, contexts?: Contexts): SinkRecord | Promise<SinkRecord> {
  if (record.value === null && (options.onNull ?? 'fail') === 'fail') throw new NullValueError(record);
  const { key: keyContext, value: valueContext } = contexts ?? { key: { log: options.log }, value: { log: options.log } };
  keyContext.schema = valueContext.schema = undefined;
  keyContext.verbatim = valueContext.verbatim = undefined;
  const key = convert(record, 'key', options, keyContext);
  const value = record.value === null ? null : convert(record, 'value', options, valueContext);
  if (key instanceof Promise || value instanceof Promise) {
    return Promise.all([key, value]).then(([k, v]) => decoded(record, k, v, keyContext, valueContext));
  }
  return decoded(record, key, value, keyContext, valueContext);
}

/**
 * The decoded record, with what its converters knew (undefined where they knew nothing). Every property is in the
 * literal, as the source's records carry them: properties added to a copy afterwards gave each record a shape of its
 * own, and every later read of a record went slow (twice the CPU per record in `npm run bench:pipeline`).
 */
function decoded(record: KafkaRecord, key: unknown, value: unknown, keyContext: ConverterContext, valueContext: ConverterContext): SinkRecord {
  const valueText = valueContext.verbatim === true && typeof value === 'string' ? value : undefined;
  return { ...record, key, value, keySchema: keyContext.schema, valueSchema: valueContext.schema, valueText };
}

function convert(record: KafkaRecord, part: 'key' | 'value', options: DecodeRunOptions, context: ConverterContext): unknown {
  try {
    const converted = options[part](record[part], record, context);
    if (!(converted instanceof Promise)) return converted;
    const checked = converted.catch((error: unknown) => {
      throw decodeFailure(record, part, error);
    });
    checked.catch(() => {}); // the caller may never await it when the other part already failed
    return checked;
  } catch (error) {
    throw decodeFailure(record, part, error);
  }
}

/** A converter's BadDataError is the record's fault (DecodeError); anything else passes as it is and stops. */
function decodeFailure(record: KafkaRecord, part: 'key' | 'value', error: unknown): unknown {
  return error instanceof BadDataError ? new DecodeError(record, part, error.message) : error;
}

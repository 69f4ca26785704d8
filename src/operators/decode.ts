import { map, type OperatorFunction } from 'rxjs';
import { DecodeError, NullValueError } from '../errors.js';
import type { DecodeOptions } from '../converters/converter-config.js';
import type { KafkaRecord, SinkRecord } from '../source/record.js';

/**
 * Decodes the key and value of every record with the configured converters.
 *
 * A record whose bytes its converter rejects stops the pipeline with a DecodeError naming topic, partition and
 * offset; so does a null value (tombstone), which has no body to send.
 *
 * @example
 * source.records$.pipe(decode({ key: stringConverter, value: jsonConverter(false) }))
 */
export function decode(options: DecodeOptions): OperatorFunction<readonly KafkaRecord[], SinkRecord[]> {
  return map((records) => records.map((record) => decodeRecord(record, options)));
}

function decodeRecord(record: KafkaRecord, options: DecodeOptions): SinkRecord {
  if (record.value === null) throw new NullValueError(record);
  return { ...record, key: convert(record, 'key', options), value: convert(record, 'value', options) };
}

function convert(record: KafkaRecord, part: 'key' | 'value', options: DecodeOptions): unknown {
  try {
    return options[part](record[part], record);
  } catch (error) {
    throw new DecodeError(record, part, (error as Error).message);
  }
}

/**
 * The records Confluent's HTTP Sink writes to its reporting topics: one per input record. Result topic: the value is
 * the response body. Error topic: the value is a readable error line (`report.errors.as=error_string`) or the response
 * body (`http_response`). Headers carry the input record's coordinates (`input_record_*`) and, for errors, every
 * detail of the failure (`status_code`, `reason_phrase`, `url`, `response_content`, `error_message`, `exception`,
 * `payload`). Key and value are written as text (`string`) or as a JSON string (`json`, optionally in JsonConverter's
 * envelope).
 */
import { STATUS_CODES } from 'node:http';
import { DeliveryError, type SinkError } from '../common/errors.js';
import type { Delivery } from '../request/request.js';
import { sourceTopicOf } from '../records/record.js';
import type { DeadLetterMessage } from './dead-letters.js';

export interface TextFormat {
  /** false: the text's bytes; true: a JSON string. */
  readonly json: boolean;
  /** With json: `{"schema":{"type":"string","optional":false},"payload":...}`. */
  readonly schemas: boolean;
}

export interface ConfluentReportFormat {
  readonly errorsAs: 'error_string' | 'http_response';
  readonly result: { readonly key: TextFormat; readonly value: TextFormat };
  readonly error: { readonly key: TextFormat; readonly value: TextFormat };
}

export function confluentReportMessages(delivery: Delivery, format: ConfluentReportFormat): DeadLetterMessage[] {
  const delivered = delivery.outcome === 'delivered';
  const formats = delivered ? format.result : format.error;
  const status = delivery.response?.status;
  const body = delivery.response?.body ?? '';
  const cause = rootError(delivery.error);
  const details: [string, string | undefined][] = delivered
    ? []
    : [
        ['status_code', status === undefined ? undefined : String(status)],
        ['reason_phrase', status === undefined ? undefined : (STATUS_CODES[status] ?? '')],
        ['url', delivery.request.url],
        ['response_content', body],
        ['error_message', cause?.message],
        ['exception', cause?.name],
      ];
  const reason = status === undefined ? 'no response' : `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
  const errorLine = `request to ${delivery.request.url} failed: ${reason}; response: ${body}; error: ${cause?.message ?? ''}`;
  const valueText = delivered || format.errorsAs === 'http_response' ? body : errorLine;
  const value = encode(valueText, formats.value);
  return delivery.records.map((record): DeadLetterMessage => {
    const headers: { [name: string]: Buffer }[] = [
      { input_record_offset: Buffer.from(String(record.offset)) },
      { input_record_timestamp: Buffer.from(String(record.timestamp ?? '')) },
      { input_record_partition: Buffer.from(String(record.partition)) },
      { input_record_topic: Buffer.from(sourceTopicOf(record)) },
    ];
    for (const [name, text] of details) if (text !== undefined) headers.push({ [name]: Buffer.from(text) });
    if (!delivered && record.raw.value !== null) headers.push({ payload: record.raw.value });
    const key = record.raw.key === null ? null : encode(record.raw.key.toString('utf8'), formats.key);
    return { key, value, headers, timestamp: undefined };
  });
}

function encode(text: string, format: TextFormat): Buffer {
  if (!format.json) return Buffer.from(text);
  return Buffer.from(JSON.stringify(format.schemas ? { schema: { type: 'string', optional: false }, payload: text } : text));
}

function rootError(error: SinkError | undefined): SinkError | undefined {
  return error instanceof DeliveryError ? error.lastError : error;
}

/** The records written to Confluent's reporting topics: value per report.errors.as, key/value formats, headers. */
import { describe, expect, it } from '@jest/globals';
import { DeliveryError, HttpStatusError } from '../../src/common/errors.js';
import { confluentReportMessages, type ConfluentReportFormat } from '../../src/outcomes/confluent-reports.js';
import type { Delivery } from '../../src/request/request.js';
import { kafkaRecord } from './fakes.js';

const plain = { json: false, schemas: false };
const format = (errorsAs: ConfluentReportFormat['errorsAs'], value = plain): ConfluentReportFormat => ({ errorsAs, result: { key: plain, value }, error: { key: plain, value } });
const record = kafkaRecord({ offset: 7, key: 'k1', value: 'payload-1' });
const request = { method: 'POST' as const, url: 'http://127.0.0.1:1/in', headers: {}, body: 'payload-1', records: [record] };
const failed: Delivery = {
  request,
  response: { status: 422, headers: {}, body: 'bad field' },
  attempts: 1,
  outcome: 'dropped',
  error: new DeliveryError([record], 1, new HttpStatusError(422, 'bad field', false)),
  records: [record],
};

const text = (b: Buffer | null): string | undefined => b?.toString();
const headers = (m: { headers: { [name: string]: Buffer }[] }): Record<string, string> => Object.assign({}, ...m.headers.map((h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.toString()]))));

describe('Confluent report records', () => {
  it('error_string: a readable line; http_response: the response body; the details in headers either way', () => {
    const [line] = confluentReportMessages(failed, format('error_string'));
    expect(text(line!.value)).toMatch(/http:\/\/127\.0\.0\.1:1\/in.*HTTP 422 Unprocessable Entity.*bad field/);
    expect(headers(line!)).toMatchObject({ input_record_offset: '7', input_record_topic: 'iot', input_record_partition: '0', status_code: '422', reason_phrase: 'Unprocessable Entity', url: request.url, response_content: 'bad field', payload: 'payload-1' });
    const [body] = confluentReportMessages(failed, format('http_response'));
    expect([text(body!.key), text(body!.value)]).toEqual(['k1', 'bad field']);
  });

  it('json formats write a JSON string, in JsonConverter\'s envelope with schemas.enable', () => {
    const delivered: Delivery = { ...failed, outcome: 'delivered', error: undefined, response: { status: 200, headers: {}, body: 'ok' } };
    expect(text(confluentReportMessages(delivered, format('error_string', { json: true, schemas: false }))[0]!.value)).toBe('"ok"');
    expect(JSON.parse(text(confluentReportMessages(delivered, format('error_string', { json: true, schemas: true }))[0]!.value)!)).toEqual({ schema: { type: 'string', optional: false }, payload: 'ok' });
    expect(headers(confluentReportMessages(delivered, format('error_string'))[0]!).status_code).toBeUndefined();
  });
});

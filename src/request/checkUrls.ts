import type { OperatorFunction } from 'rxjs';
import type { FailurePolicy } from '../records/settleFailures.js';
import type { SinkRecord } from '../records/record.js';
import { transformRecords } from '../transform/transformRecords.js';
import { compileUrlTemplate } from './template.js';

/**
 * Refuses, before batching, each record whose templated `http.url` would leave its path: a rendered `.` or `..`
 * segment (template.ts). Such a record follows `errors.tolerance` like one a transform fails on (dead-lettered,
 * skipped, or the pipeline stops naming it); the others pass unchanged. A URL without a template passes everything.
 *
 * @example
 * transformed$.pipe(checkUrls('http://127.0.0.1:8080/items/${key}', { onError: 'dlq', deadLetters }))
 * @see compileUrlTemplate
 */
export function checkUrls(url: string, options: FailurePolicy = {}): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  const template = compileUrlTemplate(url);
  if (!template.dynamic) return (polls$) => polls$ as never; // every record renders the same, checked URL
  return transformRecords((record) => (template.render(record), record), options);
}

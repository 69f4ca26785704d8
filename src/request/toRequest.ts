import { mergeMap, type OperatorFunction } from 'rxjs';
import { buildRequests } from './request-builder.js';
import type { HttpRequest } from './request.js';
import type { RequestOptions } from './request-config.js';
import type { SinkRecord } from '../records/record.js';

/**
 * Turns each batch into the HTTP requests that deliver it: one per URL and header set its records render (one
 * unless the URL or headers are templated), plus one DELETE per tombstone with `behavior.on.null.values=delete`.
 *
 * @example
 * batches$.pipe(toRequest({ url: 'http://127.0.0.1:8080/ingest', headers: {}, batching: true, prefix: '[', separator: ',', suffix: ']' }))
 */
export function toRequest(options: RequestOptions): OperatorFunction<readonly SinkRecord[], HttpRequest> {
  return mergeMap((records) => buildRequests(records, options));
}

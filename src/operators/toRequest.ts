import { map, type OperatorFunction } from 'rxjs';
import { buildRequest } from '../sink/request-builder.js';
import type { HttpRequest } from '../sink/request.js';
import type { RequestOptions } from '../sink/request-config.js';
import type { SinkRecord } from '../source/record.js';

/**
 * Turns each batch into the HTTP request that delivers it (URL, static headers, framed body).
 *
 * @example
 * batches$.pipe(toRequest({ url: 'http://127.0.0.1:8080/ingest', headers: {}, batching: true, prefix: '[', separator: ',', suffix: ']' }))
 */
export function toRequest(options: RequestOptions): OperatorFunction<readonly SinkRecord[], HttpRequest> {
  return map((records) => buildRequest(records, options));
}

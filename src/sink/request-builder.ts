/** Batch -> request: body framed with prefix/separator/suffix (batching) or the bare value, plus static headers. */
import type { SinkRecord } from '../source/record.js';
import type { HttpRequest } from './request.js';
import type { RequestOptions } from './request-config.js';

export function buildRequest(records: readonly SinkRecord[], options: RequestOptions): HttpRequest {
  if (records.length === 0 || (!options.batching && records.length > 1)) {
    // Only a miswired custom pipeline gets here; sending the first value and acking all would lose records.
    throw new Error(`toRequest got ${records.length} records with batching ${options.batching ? 'on' : 'off'}; put batch() with the same batching setting before it`);
  }
  const parts = records.map((record) => renderValue(record.value));
  const body = options.batching ? frame(parts, options) : parts[0]!;
  return { method: 'POST', url: options.url, headers: options.headers, body, records };
}

/** A string is sent verbatim, bytes as they are, anything else (decoded JSON) as compact JSON. */
export function renderValue(value: unknown): string | Buffer {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
  return JSON.stringify(value);
}

function frame(parts: readonly (string | Buffer)[], options: RequestOptions): string | Buffer {
  if (parts.every((part): part is string => typeof part === 'string')) {
    return options.prefix + parts.join(options.separator) + options.suffix;
  }
  const separator = Buffer.from(options.separator);
  const chunks: Buffer[] = [Buffer.from(options.prefix)];
  parts.forEach((part, i) => {
    if (i > 0) chunks.push(separator);
    chunks.push(Buffer.isBuffer(part) ? part : Buffer.from(part));
  });
  chunks.push(Buffer.from(options.suffix));
  return Buffer.concat(chunks);
}

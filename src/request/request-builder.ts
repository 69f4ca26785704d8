/**
 * Batch -> requests: records are grouped by the URL and headers they render (a tombstone to DELETE goes alone), each
 * group becomes one request: method, templated URL, static, templated and forwarded headers, the idempotency key, and
 * the body (bare value, framed batch or a format shortcut), gzip-compressed when asked.
 */
import { gzipSync } from 'node:zlib';
import { type SinkRecord, sourceTopicOf } from '../records/record.js';
import { idOf } from '../records/topic-partition.js';
import { jsonText } from '../common/json-text.js';
import type { HttpRequest } from './request.js';
import type { RequestOptions } from './request-config.js';
import { compileTemplate, compileUrlTemplate } from './template.js';

/** One request for the records (they must render the same URL and headers). */
export function buildRequest(records: readonly SinkRecord[], options: RequestOptions): HttpRequest {
  checkBatch(records, options);
  const first = records[0]!;
  const headers = headersFor(first, options);
  const remove = first.value === null;
  if (options.idempotencyHeader !== undefined) headers[options.idempotencyHeader] = idempotencyKey(records);
  const body = remove ? '' : compress(bodyOf(records, options), options, headers);
  return { method: remove ? 'DELETE' : (options.method ?? 'POST'), url: compileUrlTemplate(options.url).render(first), headers, body, records };
}

/**
 * The requests for one batch: records grouped (in order of first appearance) by what they render. A tombstone sent
 * as DELETE is a request of its own and a barrier: no later record is sent before it.
 */
export function buildRequests(records: readonly SinkRecord[], options: RequestOptions): HttpRequest[] {
  checkBatch(records, options);
  const byHeaders = options.groupByHeaders === true && records.some((record) => record.headers.length > 0);
  const groupBy = options.groupBy === undefined ? undefined : compileTemplate(options.groupBy);
  const url = compileUrlTemplate(options.url);
  const headersVary = options.forwardHeaderPrefix !== undefined || Object.values(options.headers).some((v) => compileTemplate(v).dynamic);
  const dynamic = url.dynamic || headersVary || byHeaders || groupBy?.dynamic === true;
  // The common case: one URL and header set, no tombstone: the batch is the request, no grouping per record.
  if (!dynamic && !records.some((record) => record.value === null)) return [buildRequest(records, options)];
  const groups: SinkRecord[][] = [];
  let open = new Map<string, SinkRecord[]>();
  for (const record of records) {
    if (record.value === null) {
      groups.push([record]);
      open = new Map();
      continue;
    }
    const id = dynamic ? JSON.stringify([url.render(record), headersVary ? headersFor(record, options) : '', groupBy?.render(record), byHeaders ? kafkaHeaders(record) : '']) : '';
    const group = open.get(id);
    if (group) group.push(record);
    else {
      open.set(id, [record]);
      groups.push(open.get(id)!);
    }
  }
  return groups.map((group) => buildRequest(group, options));
}

/** The record's Kafka headers as text, in order: records whose header values differ are not batched together. */
function kafkaHeaders(record: SinkRecord): string[] {
  return record.headers.map((h) => `${h.key}=${h.value.toString('base64')}`);
}

function checkBatch(records: readonly SinkRecord[], options: RequestOptions): void {
  if (records.length === 0 || (!options.batching && records.length > 1)) {
    // Only a miswired custom pipeline gets here; sending the first value and acking all would lose records.
    throw new Error(`toRequest got ${records.length} records with batching ${options.batching ? 'on' : 'off'}; put batch() with the same batching setting before it`);
  }
}

/** Static headers (templates rendered, control characters removed), then the record's forwarded Kafka headers. */
function headersFor(record: SinkRecord, options: RequestOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers)) headers[name] = compileTemplate(value, headerSafe).render(record);
  const prefix = options.forwardHeaderPrefix?.toLowerCase();
  if (prefix !== undefined) {
    for (const h of record.headers) if (h.key.toLowerCase().startsWith(prefix)) headers[h.key] = headerSafe(h.value.toString('utf8'));
  }
  return headers;
}

function headerSafe(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, '');
}

/** `topic/partition/first-last` per partition of the records: the same for the same records, on every attempt and run. */
export function idempotencyKey(records: readonly SinkRecord[]): string {
  const ranges = new Map<string, [number, number]>();
  for (const r of records) {
    const id = idOf({ topic: sourceTopicOf(r), partition: r.partition });
    const range = ranges.get(id);
    ranges.set(id, range ? [Math.min(range[0], r.offset), Math.max(range[1], r.offset)] : [r.offset, r.offset]);
  }
  return [...ranges].map(([id, [first, last]]) => `${id}/${first}-${last}`).join(',');
}

function bodyOf(records: readonly SinkRecord[], options: RequestOptions): string | Buffer {
  if (!options.batching) return bodyPart(records[0]!, options);
  switch (options.format ?? 'custom') {
    case 'json_array':
      return `[${records.map((r) => rewritten(asJson(r.value), options)).join(',')}]`;
    case 'ndjson':
      return records.map((r) => `${rewritten(asJson(r.value), options)}\n`).join('');
    case 'custom':
      return frame(records, options);
  }
}

function compress(body: string | Buffer, options: RequestOptions, headers: Record<string, string>): string | Buffer {
  if (options.compression !== 'gzip') return body;
  headers['Content-Encoding'] = 'gzip';
  return gzipSync(body);
}

/** A string is sent verbatim, bytes as they are, anything else (decoded JSON) as compact JSON, int64s exact. */
export function renderValue(value: unknown): string | Buffer {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
  return jsonText(value);
}

/**
 * The record's part of the body: its own bytes while its value is still StringConverter's text of them, else rendered;
 * as JSON with `jsonValues`, then through `rewrite` when set.
 */
function bodyPart(record: SinkRecord, options: RequestOptions): string | Buffer {
  const { value } = record;
  if (options.jsonValues === true) return rewritten(asJson(value), options);
  if (options.rewrite !== undefined) return rewritten(renderValue(value).toString(), options);
  if (typeof value === 'string' && value === record.valueText && record.raw.value !== null) return record.raw.value;
  return renderValue(value);
}

/** One line of JSON: a string holding JSON text is re-serialised compactly, any other string becomes a JSON string. */
function rewritten(text: string, options: RequestOptions): string {
  return options.rewrite === undefined ? text : options.rewrite(text);
}

function asJson(value: unknown): string {
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    const text = value.toString();
    try {
      return JSON.stringify(JSON.parse(text));
    } catch {
      return JSON.stringify(text);
    }
  }
  return jsonText(value);
}

function frame(records: readonly SinkRecord[], options: RequestOptions): string | Buffer {
  const parts = new Array<string | Buffer>(records.length);
  let text = true;
  for (let i = 0; i < records.length; i++) {
    const part = bodyPart(records[i]!, options);
    parts[i] = part;
    if (typeof part !== 'string') text = false;
  }
  if (text) return options.prefix + parts.join(options.separator) + options.suffix;
  // Bytes: one body written in place (no list of chunks beside the parts).
  const prefix = Buffer.from(options.prefix);
  const separator = Buffer.from(options.separator);
  const suffix = Buffer.from(options.suffix);
  let size = prefix.length + suffix.length + separator.length * (parts.length - 1);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (typeof part === 'string') parts[i] = Buffer.from(part);
    size += parts[i]!.length;
  }
  const body = Buffer.allocUnsafe(size);
  body.set(prefix, 0);
  let at = prefix.length;
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) {
      body.set(separator, at);
      at += separator.length;
    }
    const part = parts[i] as Buffer;
    body.set(part, at);
    at += part.length;
  }
  body.set(suffix, at);
  return body;
}

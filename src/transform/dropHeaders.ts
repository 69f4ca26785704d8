/** DropHeaders: removes the named headers (every header of each name). */
import type { OperatorFunction } from 'rxjs';
import { str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import type { SinkRecord } from '../records/record.js';
import type { RecordTransform, TransformDefinition, TransformRunOptions } from './record-transform.js';
import { transformRecords } from './transformRecords.js';

export interface DropHeadersOptions {
  readonly headers: readonly string[];
}

/**
 * Removes every header whose name is listed.
 *
 * @example
 * decoded$.pipe(dropHeaders({ headers: ['trace-id'] }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.DropHeaders
 */
export function dropHeaders(options: DropHeadersOptions & TransformRunOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(dropHeadersTransform(options), options);
}

export function dropHeadersTransform(options: DropHeadersOptions): RecordTransform {
  const names = new Set(options.headers);
  return (record) => (record.headers.some((h) => names.has(h.key)) ? { ...record, headers: record.headers.filter((h) => !names.has(h.key)) } : record);
}

export const dropHeadersDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.DropHeaders',
  variants: false,
  doc: 'Removes the named headers.',
  options: { headers: { doc: 'Comma-separated header names (required).', format: str(), default: '' } } satisfies ConfigSpec,
  create: (read) => {
    const headers = read.list('headers');
    if (headers.length === 0) throw new ConfigError('headers', 'is required: comma-separated header names');
    return dropHeadersTransform({ headers });
  },
};

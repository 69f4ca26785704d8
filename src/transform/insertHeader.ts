/** InsertHeader: adds a header with a fixed text value to every record. */
import type { OperatorFunction } from 'rxjs';
import { str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import type { SinkRecord } from '../records/record.js';
import type { RecordTransform, TransformDefinition, TransformRunOptions } from './record-transform.js';
import { transformRecords } from './transformRecords.js';

export interface InsertHeaderOptions {
  readonly header: string;
  /** The header's value (UTF-8). */
  readonly valueLiteral: string;
}

/**
 * Appends the header `header: valueLiteral` (after any headers the record has, a header of the same name included).
 *
 * @example
 * decoded$.pipe(insertHeader({ header: 'source', valueLiteral: 'kafka' }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.InsertHeader
 */
export function insertHeader(options: InsertHeaderOptions & TransformRunOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(insertHeaderTransform(options), options);
}

export function insertHeaderTransform(options: InsertHeaderOptions): RecordTransform {
  const header = { key: options.header, value: Buffer.from(options.valueLiteral, 'utf8') };
  return (record) => ({ ...record, headers: [...record.headers, header] });
}

export const insertHeaderDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.InsertHeader',
  variants: false,
  doc: 'Adds a header with a fixed text value.',
  options: {
    header: { doc: 'The header name (required).', format: str(), default: '' },
    'value.literal': { doc: 'The header value (required).', format: str(), default: null },
  } satisfies ConfigSpec,
  create: (read) => {
    const header = read.string('header');
    if (header === '') throw new ConfigError('header', 'is required: the name of the header to add');
    const valueLiteral = read.optionalString('value.literal');
    if (valueLiteral === undefined) throw new ConfigError('value.literal', 'is required: the value of the header');
    return insertHeaderTransform({ header, valueLiteral });
  },
};

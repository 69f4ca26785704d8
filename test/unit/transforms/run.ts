/** Runs a transform operator over one poll of fake records (no Kafka). */
import { lastValueFrom, of, type OperatorFunction } from 'rxjs';
import type { SinkRecord } from '../../../src/records/record.js';
import type { ConnectSchema } from '../../../src/records/schema.js';

export function runOn(operator: OperatorFunction<readonly SinkRecord[], SinkRecord[]>, records: readonly SinkRecord[]): Promise<SinkRecord[]> {
  return lastValueFrom(of(records).pipe(operator));
}

export const str = (optional = false): ConnectSchema => ({ type: 'string', optional });
export const i32 = (optional = false): ConnectSchema => ({ type: 'int32', optional });
export const i64 = (optional = false): ConnectSchema => ({ type: 'int64', optional });
export const struct = (fields: Record<string, ConnectSchema>, rest: Partial<ConnectSchema> = {}): ConnectSchema => ({
  type: 'struct',
  optional: false,
  ...rest,
  fields: Object.entries(fields).map(([name, schema]) => ({ name, schema })),
});

import type { OperatorFunction } from 'rxjs';
import { TransformError } from '../common/errors.js';
import type { FailurePolicy } from '../records/settleFailures.js';
import type { SinkRecord } from '../records/record.js';
import { isPlainObject } from '../transform/record-transform.js';
import { transformRecords } from '../transform/transformRecords.js';

/** `behavior.on.unrenderable.values`: `send` every value (default), or `fail` those Aiven's connector cannot render. */
export type UnrenderablePolicy = 'send' | 'fail';

/**
 * With `fail`, refuses, before batching, each record whose value Aiven's HTTP sink cannot render: anything but text,
 * a map or a struct (bytes, a number, a boolean, an array, a Decimal). Such a record follows `errors.tolerance` like
 * one a transform fails on: the pipeline stops naming it (Aiven's task fails), or it is dead-lettered or skipped (as
 * Aiven reports it to Connect's errant-record reporter). A null value passes: `behavior.on.null.values` decides.
 * With `send` (the default) every record passes unchanged.
 *
 * @example
 * transformed$.pipe(checkValues('fail', { onError: 'dlq', deadLetters }))
 */
export function checkValues(policy: UnrenderablePolicy | undefined, options: FailurePolicy = {}): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  if (policy !== 'fail') return (polls$) => polls$ as never;
  return transformRecords((record) => {
    const { value } = record;
    if (value === null || typeof value === 'string' || isPlainObject(value)) return record;
    throw new TransformError(record, 'behavior.on.unrenderable.values', `the value is ${kindOf(value)}, not text, a map or a struct; behavior.on.unrenderable.values is fail`);
  }, options);
}

function kindOf(value: unknown): string {
  if (Buffer.isBuffer(value)) return 'bytes';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'boolean') return 'a boolean';
  return 'a number';
}

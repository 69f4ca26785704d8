/** Connector-file keys for retrying a failed request (Aiven's keys and defaults). */
import { int } from '../config/formats.js';
import type { ConfigSpec, ConfigValues } from '../config/spec.js';
import type { RetryBackoffOptions } from '../operators/retryBackoff.js';

export const retryConfigSpec = {
  'max.retries': { doc: 'Retries after the first attempt of a request (attempts = max.retries + 1). Then the pipeline stops.', format: int(0, 1_000_000), default: 1 },
  'retry.backoff.ms': { doc: 'Fixed wait between attempts, in ms.', format: int(0, 86_400_000), default: 3000 },
} satisfies ConfigSpec;

export function retryOptions(values: ConfigValues): Pick<RetryBackoffOptions, 'maxRetries' | 'delayMs'> {
  return { maxRetries: values.number('max.retries'), delayMs: values.number('retry.backoff.ms') };
}

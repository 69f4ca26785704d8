/**
 * The one place that decides what a response (or a failure) means: success, retry, or what to do with the
 * records (fail, dead-letter, drop). Its keys are declared here.
 */
import { str, oneOf } from '../common/config/formats.js';
import type { ConfigSpec, ConfigValues } from '../common/config/spec.js';
import { ConfigError, HttpStatusError, type SinkError } from '../common/errors.js';
import { parseRetryAfter } from '../common/net/retry-after.js';
import type { HttpResponse } from '../request/request.js';
import type { FailureAction } from '../records/outcome.js';

/** What to do with the records of a request that failed for good (or of a record that cannot be sent). */
export type { FailureAction } from '../records/outcome.js';

export type StatusVerdict = 'success' | 'retry' | FailureAction;

export interface StatusPolicy {
  /** Statuses that count as delivered. Default: 2xx. */
  readonly success: (status: number) => boolean;
  /** Statuses worth another attempt. Default: 408, 429 and 5xx. */
  readonly retry: (status: number) => boolean;
  /** Any other status. Default: fail (stop the pipeline). */
  readonly otherwise?: FailureAction;
  /** Retries ran out, a record cannot be decoded or is a refused null: `errors.tolerance`'s answer. Default: fail. */
  readonly onError?: FailureAction;
}

export const statusPolicyConfigSpec = {
  'http.success.status.codes': {
    doc: 'Statuses that count as delivered: comma-separated codes, ranges (`200-299`) or `<N` (`<400` is what Aiven accepts).',
    format: str(),
    default: '200-299',
  },
  'retry.on.status.codes': {
    doc: 'Statuses that are retried (with `max.retries` and the backoff), same syntax. Network errors and timeouts are always retried.',
    format: str(),
    default: '408,429,500-599',
  },
  'behavior.on.status.error': {
    doc: 'Any other status: `fail` (stop), `dlq` (records to the dead-letter topic, then go on) or `drop` (log a warning, go on). Unset: `dlq` when `errors.tolerance=all` with a DLQ topic, `drop` when `errors.tolerance=all` without, else `fail`.',
    format: oneOf(['fail', 'dlq', 'drop']),
    default: null,
  },
} satisfies ConfigSpec;

export const defaultStatusPolicy: StatusPolicy = {
  success: statusMatcher('200-299'),
  retry: statusMatcher('408,429,500-599'),
};

/**
 * The decision: success, retry, or the failure action. Every other place asks this function (or `failureAction`).
 */
export function classifyStatus(status: number, policy: StatusPolicy): StatusVerdict {
  if (policy.success(status)) return 'success';
  if (policy.retry(status)) return 'retry';
  return policy.otherwise ?? 'fail';
}

/** What happens to the records once `error` ended their delivery (retries exhausted or none allowed). */
export function failureAction(error: SinkError, policy: StatusPolicy): FailureAction {
  if (error instanceof HttpStatusError) {
    const verdict = classifyStatus(error.status, policy);
    if (verdict !== 'success' && verdict !== 'retry') return verdict;
  }
  return policy.onError ?? 'fail';
}

/** Statuses whose `Retry-After` header is honoured. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/** Passes a successful response through; throws an HttpStatusError (retriable or not) otherwise. */
export function checkResponse(response: HttpResponse, policy: StatusPolicy, now = Date.now()): HttpResponse {
  const verdict = classifyStatus(response.status, policy);
  if (verdict === 'success') return response;
  const retryAfterMs = RETRY_AFTER_STATUSES.has(response.status) ? parseRetryAfter(headerValue(response, 'retry-after'), now) : undefined;
  throw new HttpStatusError(response.status, response.body, verdict === 'retry', retryAfterMs);
}

function headerValue(response: HttpResponse, name: string): string | undefined {
  const value = Object.entries(response.headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * `"200-299"`, `"408,429,500-599"`, `"<400"` -> a predicate. Throws a plain Error naming the bad entry.
 */
export function statusMatcher(text: string): (status: number) => boolean {
  const tests = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry): ((status: number) => boolean) => {
      let match = /^(\d{3})$/.exec(entry);
      if (match) return (s) => s === Number(match![1]);
      match = /^(\d{3})\s*-\s*(\d{3})$/.exec(entry);
      if (match && Number(match[1]) <= Number(match[2])) {
        const [from, to] = [Number(match[1]), Number(match[2])];
        return (s) => s >= from && s <= to;
      }
      match = /^([<>]=?)\s*(\d{3})$/.exec(entry);
      if (match) {
        const [op, bound] = [match[1], Number(match[2])];
        return op === '<' ? (s) => s < bound : op === '<=' ? (s) => s <= bound : op === '>' ? (s) => s > bound : (s) => s >= bound;
      }
      throw new Error(`"${entry}" is not a status code, a range like 500-599 or a bound like <400`);
    });
  return (status) => tests.some((test) => test(status));
}

/** The policy the connector file asks for; `errors` is what `errors.tolerance` and the DLQ topic decide. */
export function statusPolicy(values: ConfigValues<typeof statusPolicyConfigSpec>, onError: FailureAction, hasDeadLetterTopic: boolean): StatusPolicy {
  const parse = (key: 'http.success.status.codes' | 'retry.on.status.codes'): ((status: number) => boolean) => {
    try {
      return statusMatcher(values.string(key));
    } catch (error) {
      throw new ConfigError(key, (error as Error).message);
    }
  };
  const otherwise = values.get('behavior.on.status.error') ?? onError;
  if (otherwise === 'dlq' && !hasDeadLetterTopic) {
    throw new ConfigError('behavior.on.status.error', 'is dlq but errors.deadletterqueue.topic.name is not set');
  }
  return { success: parse('http.success.status.codes'), retry: parse('retry.on.status.codes'), otherwise, onError };
}

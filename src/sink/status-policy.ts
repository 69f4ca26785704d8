/** The one place that decides what a response status means: success, retry, or fail. */
import { HttpStatusError } from '../errors.js';
import type { HttpResponse } from './request.js';

export type StatusVerdict = 'success' | 'retry' | 'fail';

export interface StatusPolicy {
  /** Statuses that count as delivered. Default: 2xx. */
  readonly success: (status: number) => boolean;
  /** Statuses worth another attempt. Default: 408, 429 and 5xx. */
  readonly retry: (status: number) => boolean;
}

export const defaultStatusPolicy: StatusPolicy = {
  success: (status) => status >= 200 && status < 300,
  retry: (status) => status === 408 || status === 429 || (status >= 500 && status < 600),
};

export function classifyStatus(status: number, policy: StatusPolicy): StatusVerdict {
  if (policy.success(status)) return 'success';
  return policy.retry(status) ? 'retry' : 'fail';
}

/** Passes a successful response through; throws an HttpStatusError (retriable or not) otherwise. */
export function checkResponse(response: HttpResponse, policy: StatusPolicy): HttpResponse {
  const verdict = classifyStatus(response.status, policy);
  if (verdict === 'success') return response;
  throw new HttpStatusError(response.status, response.body, verdict === 'retry');
}

import { describe, expect, it } from '@jest/globals';
import { HttpNetworkError, HttpStatusError } from '../../src/common/errors.js';
import { checkResponse, classifyStatus, defaultStatusPolicy, failureAction, statusMatcher, type StatusVerdict } from '../../src/deliver/status-policy.js';

const table: [number, StatusVerdict][] = [
  [200, 'success'],
  [201, 'success'],
  [202, 'success'],
  [204, 'success'],
  [299, 'success'],
  [100, 'fail'],
  [301, 'fail'],
  [304, 'fail'],
  [400, 'fail'],
  [401, 'fail'],
  [403, 'fail'],
  [404, 'fail'],
  [409, 'fail'],
  [413, 'fail'],
  [422, 'fail'],
  [408, 'retry'],
  [429, 'retry'],
  [500, 'retry'],
  [502, 'retry'],
  [503, 'retry'],
  [504, 'retry'],
  [599, 'retry'],
  [600, 'fail'],
];

describe('defaultStatusPolicy', () => {
  it.each(table)('classifies HTTP %i as %s', (status, verdict) => {
    expect(classifyStatus(status, defaultStatusPolicy)).toBe(verdict);
  });
});

describe('checkResponse', () => {
  it('passes a successful response through', () => {
    const response = { status: 204, headers: {}, body: '' };

    expect(checkResponse(response, defaultStatusPolicy)).toBe(response);
  });

  it.each(table.filter(([, verdict]) => verdict !== 'success'))('throws a HttpStatusError for %i, retriable when the verdict is %s', (status, verdict) => {
    let thrown: unknown;
    try {
      checkResponse({ status, headers: {}, body: 'details' }, defaultStatusPolicy);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(HttpStatusError);
    expect(thrown).toMatchObject({ code: 'HTTP_STATUS', status, retriable: verdict === 'retry', message: `HTTP ${status}: details` });
  });

  it('follows a custom policy', () => {
    const policy = { success: (s: number) => s === 200 || s === 404, retry: (s: number) => s === 409 };

    expect([404, 409, 503].map((s) => classifyStatus(s, policy))).toEqual(['success', 'retry', 'fail']);
  });
});

describe('statusMatcher', () => {
  it.each([
    ['200-299', [200, 204, 299], [199, 300, 404]],
    ['<400', [100, 200, 302, 399], [400, 503]],
    ['408,429,500-599', [408, 429, 500, 503, 599], [400, 404, 600]],
    [' 200 , 202 - 204 ', [200, 202, 203, 204], [201, 205]],
    ['>=500', [500, 599], [499]],
    ['', [], [200]],
  ])('%s matches exactly the listed codes', (text, matched, unmatched) => {
    const matches = statusMatcher(text);

    expect(matched.filter((s) => !matches(s))).toEqual([]);
    expect(unmatched.filter((s) => matches(s))).toEqual([]);
  });

  it.each(['2xx', '500-400', '99', 'abc', '<4000'])('rejects %s, naming the entry', (text) => {
    expect(() => statusMatcher(text)).toThrow(/is not a status code/);
  });
});

describe('the status policy with the rest routed elsewhere', () => {
  const policy = { success: statusMatcher('<400'), retry: statusMatcher('429,500-599'), otherwise: 'dlq' as const, onError: 'drop' as const };

  it.each([
    [302, 'success'],
    [429, 'retry'],
    [408, 'dlq'],
    [400, 'dlq'],
  ] as [number, StatusVerdict][])('classifies HTTP %i as %s', (status, verdict) => {
    expect(classifyStatus(status, policy)).toBe(verdict);
  });

  it('sends a non-retriable status to its action and a spent retriable failure to errors.tolerance', () => {
    expect(failureAction(new HttpStatusError(400, '', false), policy)).toBe('dlq');
    expect(failureAction(new HttpStatusError(503, '', true), policy)).toBe('drop');
    expect(failureAction(new HttpNetworkError('ECONNRESET', 'reset'), policy)).toBe('drop');
    expect(failureAction(new HttpStatusError(400, '', false), defaultStatusPolicy)).toBe('fail');
  });
});

describe('Retry-After in checkResponse', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const thrown = (status: number, headers: Record<string, string>): HttpStatusError => {
    try {
      checkResponse({ status, headers, body: '' }, defaultStatusPolicy, now);
    } catch (error) {
      return error as HttpStatusError;
    }
    throw new Error('expected a failure');
  };

  it('reads seconds on a 429 and an HTTP date on a 503', () => {
    expect(thrown(429, { 'retry-after': '2' }).retryAfterMs).toBe(2000);
    expect(thrown(503, { 'Retry-After': 'Thu, 01 Jan 2026 00:00:05 GMT' }).retryAfterMs).toBe(5000);
  });

  it('ignores it on other statuses', () => {
    expect(thrown(500, { 'retry-after': '2' }).retryAfterMs).toBeUndefined();
  });
});

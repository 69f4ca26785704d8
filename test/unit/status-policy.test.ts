import { describe, expect, it } from '@jest/globals';
import { HttpStatusError } from '../../src/errors.js';
import { checkResponse, classifyStatus, defaultStatusPolicy, type StatusVerdict } from '../../src/sink/status-policy.js';

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

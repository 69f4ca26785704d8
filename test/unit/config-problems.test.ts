/** Every problem of a connector config with its key (validate command and API), where parsing stops at the first. */
import { describe, expect, it } from '@jest/globals';
import { configProblems } from '../../src/connector/config-problems.js';

describe('configProblems', () => {
  it('lists every problem, each under its key', () => {
    const problems = configProblems({ name: 'a b', topics: 't', 'http.url': 'nope', 'http.timeout': 'x', bogus: 1, 'http.authorization.type': 'static', 'kafka.group.id': 'g' }, {});
    expect(Object.fromEntries(problems.map((p) => [p.key, p.message]))).toEqual({
      bogus: expect.stringContaining('unknown key'),
      'http.url': expect.stringContaining('must be an absolute http:// or https:// URL'),
      'http.timeout': expect.stringContaining('must be a whole number'),
      name: expect.stringContaining('may only contain'),
      'kafka.group.id': expect.stringContaining('is managed by the sink'),
      'http.headers.authorization': 'is required when http.authorization.type is static',
    });
  });

  it('lists every missing required key, and nothing for the seed connector', () => {
    expect(configProblems({}, {}).map((p) => p.key)).toEqual(['name', 'http.url', 'http.authorization.type', 'topics']);
    const seed = { name: 'iot_measurements_sink', 'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector', topics: 'iot_measurements', 'http.url': '${env:SERVER_URL}', 'http.authorization.type': 'none' };
    expect(configProblems(seed, { SERVER_URL: 'https://example.com/' })).toEqual([]);
    expect(configProblems(seed, {})).toEqual([{ key: 'http.url', message: expect.stringContaining('${env:SERVER_URL} is not set') }]);
    expect(configProblems('text', {})).toEqual([{ key: undefined, message: expect.stringContaining('JSON object') }]);
  });
});

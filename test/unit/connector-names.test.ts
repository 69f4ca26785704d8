/** Connector names stay one path segment of /connectors/{name} (regression: `..`, `.` and a 100,000-character name were accepted, then unreachable). */
import { describe, expect, it } from '@jest/globals';
import { CONNECTOR_NAME_MAX_LENGTH, connectorNameProblem } from '../../src/connector/pipeline-config.js';
import { connectorSettings } from '../../src/connector/connector-config.js';

describe('connector names', () => {
  it.each([
    ['..', /may not be "\.\."/],
    ['.', /may not be "\."/],
    ['x'.repeat(CONNECTOR_NAME_MAX_LENGTH + 1), /is 250 characters long; a connector name has at most 249/],
    ['a/b', /no "\/"/],
    ['a\u0000b', /control characters/],
    ['a\nb', /control characters/],
    ['a b', /spaces/],
  ])('refuses %j', (name, problem) => {
    expect(connectorNameProblem(name)).toMatch(problem);
    expect(() => connectorSettings({ name, topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none' }, {})).toThrow(problem);
  });

  it.each(['...', 'a.b', 'sink_1-eu', 'x'.repeat(CONNECTOR_NAME_MAX_LENGTH)])('accepts %j', (name) => {
    expect(connectorNameProblem(name)).toBeUndefined();
  });
});

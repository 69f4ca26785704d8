/** `http.concurrency`: a number, or `adaptive` (an AIMD limiter per pipeline, bounded by `http.concurrency.max`). */
import { describe, expect, it } from '@jest/globals';
import { parseConnectorConfig } from '../../src/connector/connector-config.js';
import { ConfigError } from '../../src/common/errors.js';
import { AdaptiveConcurrency } from '../../src/deliver/adaptive-concurrency.js';

const minimal = { name: 'iot_sink', topics: 'iot_measurements', 'http.url': 'http://sink.test/ingest', 'http.authorization.type': 'none' };

describe('http.concurrency', () => {
  it('takes a number, also written as a string, and sizes the keep-alive pool to it', () => {
    const config = parseConnectorConfig({ ...minimal, 'http.concurrency': '12' }, {});
    expect(config.post.concurrency).toBe(12);
    expect(config.http.maxSockets).toBe(12);
  });

  it('takes `adaptive` in any case: a limiter starting at 1, pool sized to http.concurrency.max', () => {
    const config = parseConnectorConfig({ ...minimal, 'http.concurrency': 'Adaptive', 'http.concurrency.max': 40 }, {});
    expect(config.post.concurrency).toBeInstanceOf(AdaptiveConcurrency);
    expect((config.post.concurrency as AdaptiveConcurrency).limit).toBe(1);
    expect(config.http.maxSockets).toBe(40);
  });

  it('gives each parsed config its own limiter', () => {
    const a = parseConnectorConfig({ ...minimal, 'http.concurrency': 'adaptive' }, {});
    const b = parseConnectorConfig({ ...minimal, 'http.concurrency': 'adaptive' }, {});
    expect(a.post.concurrency).not.toBe(b.post.concurrency);
  });

  it.each([['fast'], [0], ['2000']])('refuses %p naming both forms', (value) => {
    expect(() => parseConnectorConfig({ ...minimal, 'http.concurrency': value }, {})).toThrow(ConfigError);
    expect(() => parseConnectorConfig({ ...minimal, 'http.concurrency': value }, {})).toThrow(/http\.concurrency: must be a whole number from 1 to 1024 or adaptive/);
  });
});

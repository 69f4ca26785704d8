/**
 * What the connector parser hands the registry client for the seed's four keys per converter. On the wire Basic auth
 * joins user and password again, so where the user:password split falls shows only here (registry-config.test.ts
 * runs the same keys against a registry).
 */
import { describe, expect, it, jest } from '@jest/globals';
import type { RegistryClientOptions } from '../../src/decode/registry-client.js';

const given: RegistryClientOptions[] = [];
jest.unstable_mockModule('../../src/decode/registry-client.js', () => ({
  createRegistryClient: (options: RegistryClientOptions) => {
    given.push(options);
    return { cached: () => undefined, load: () => Promise.reject(new Error('not fetched in this test')), close: () => undefined };
  },
}));
const { parseConnectorConfig } = await import('../../src/connector/connector-config.js');

const seedKeys = (part: 'key' | 'value'): Record<string, string> => ({
  [`${part}.converter`]: 'io.confluent.connect.avro.AvroConverter',
  [`${part}.converter.schema.registry.url`]: `https://registry-${part}.example.com:8081`,
  [`${part}.converter.basic.auth.credentials.source`]: 'USER_INFO',
  [`${part}.converter.schema.registry.basic.auth.user.info`]: 'USER:PASS:WITH:COLONS',
});

describe('registry options from the seed\'s keys', () => {
  it('are the URL, the user before the first colon, the rest as password and no CA (Node\'s default CAs), for key and value', () => {
    parseConnectorConfig({ name: 'iot_sink', topics: 'iot', 'http.url': 'http://sink.test/ingest', 'http.authorization.type': 'none', ...seedKeys('key'), ...seedKeys('value') }, {});

    expect(given.map((o) => ({ url: o.url, username: o.username, password: o.password?.reveal(), ca: o.ca, credentialsKey: o.credentialsKey }))).toEqual(
      (['key', 'value'] as const).map((part) => ({
        url: `https://registry-${part}.example.com:8081`,
        username: 'USER',
        password: 'PASS:WITH:COLONS',
        ca: undefined,
        credentialsKey: `${part}.converter.schema.registry.basic.auth.user.info`,
      })),
    );
    expect(String(given[0]!.password)).toBe('[redacted]');
  });
});

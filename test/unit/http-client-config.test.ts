/** `http.client`: which transport delivers the requests; the default is the one the transport bench found cheapest. */
import { describe, expect, it } from '@jest/globals';
import { parseConnectorConfig } from '../../src/connector/connector-config.js';
import { ConfigError } from '../../src/common/errors.js';

const minimal = { name: 'iot_sink', topics: 'iot_measurements', 'http.url': 'http://sink.test/ingest', 'http.authorization.type': 'none' };

describe('http.client', () => {
  it('defaults to undici', () => {
    expect(parseConnectorConfig(minimal, {}).http.client).toBe('undici');
  });

  it.each([['node'], ['undici'], ['got']])('takes %s', (client) => {
    expect(parseConnectorConfig({ ...minimal, 'http.client': client }, {}).http.client).toBe(client);
  });

  it('refuses an unknown client, naming the key and the choices', () => {
    const parse = () => parseConnectorConfig({ ...minimal, 'http.client': 'axios' }, {});
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/^http\.client: must be one of undici, node, got/);
  });
});

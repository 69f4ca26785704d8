/** One redaction for every place a connector config is shown: the debug log (config.redacted) and the worker's REST answers. */
import { describe, expect, it } from '@jest/globals';
import { parseConnectorConfig } from '../../src/connector/connector-config.js';
import { keepRedactedSecrets, redactedConfig } from '../../src/worker/connect-shapes.js';

const connector = {
  name: 'sr',
  'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector',
  topics: 'iot',
  'kafka.bootstrap.servers': '127.0.0.1:9092',
  'http.url': 'https://sink-user:sink-pw@sink.test/ingest?x=1',
  'http.authorization.type': 'none',
  'value.converter': 'io.confluent.connect.avro.AvroConverter',
  'value.converter.schema.registry.url': 'https://sr-user:sr:p@ss%2Fword@registry.test:8081/base', // @ and : in the password; / encoded, as a URL needs
  'key.converter.schema.registry.url': 'http://registry.test:8081',
};

describe('URL credentials in a shown config (regression: the registry password was shown in clear)', () => {
  it('masks the password of every URL-valued setting in the logged config, and only that', () => {
    const { redacted } = parseConnectorConfig(connector, {});

    expect(redacted['value.converter.schema.registry.url']).toBe('https://sr-user:[redacted]@registry.test:8081/base');
    expect(redacted['http.url']).toBe('https://sink-user:[redacted]@sink.test/ingest?x=1');
    expect(redacted['key.converter.schema.registry.url']).toBe('http://registry.test:8081');
    expect(JSON.stringify(redacted)).not.toMatch(/sink-pw|p@ss|word/);
    // An API key passed as the user name alone is a secret too.
    const tokenOnly = parseConnectorConfig({ ...connector, 'http.url': 'https://AKIA-api-key@sink.test/ingest' }, {}).redacted;
    expect(tokenOnly['http.url']).toBe('https://[redacted]@sink.test/ingest');
  });

  it('masks it in the worker\'s REST shapes too, and a PUT of what GET showed keeps the stored URL', () => {
    const shown = redactedConfig(connector);

    expect(shown['value.converter.schema.registry.url']).toBe('https://sr-user:[redacted]@registry.test:8081/base');
    expect(shown['http.url']).toBe('https://sink-user:[redacted]@sink.test/ingest?x=1');
    expect(keepRedactedSecrets({ ...shown, topics: 'iot2' }, connector)).toEqual({ ...connector, topics: 'iot2' });
    // A new URL, or a new password, is taken as sent.
    const changed = { ...shown, 'value.converter.schema.registry.url': 'https://sr-user:[redacted]@other.test' };
    expect(keepRedactedSecrets(changed, connector)['value.converter.schema.registry.url']).toBe('https://sr-user:[redacted]@other.test');
    expect(keepRedactedSecrets({ 'http.url': 'https://u:new@sink.test' }, connector)).toEqual({ 'http.url': 'https://u:new@sink.test' });
  });
});

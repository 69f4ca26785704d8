/** Kafka Connect config-provider references in connector values: `${env:NAME}` and `${file:path:key}`. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConnectorConfig } from '../../src/connector/connector-config.js';
import { parseProperties, resolveReferences } from '../../src/common/config/providers.js';

const dir = mkdtempSync(join(tmpdir(), 'providers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function propertiesFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const base = { name: 'iot_sink', topics: 'iot_measurements', 'http.authorization.type': 'none' };

describe('config references', () => {
  it('resolve ${env:NAME}, alone or inside a value', () => {
    const config = parseConnectorConfig(
      { ...base, 'http.url': 'http://${env:SINK_HOST}:${env:SINK_PORT}/ingest', 'batch.max.size': '${env:BATCH}' },
      { SINK_HOST: 'sink.test', SINK_PORT: '8080', BATCH: '42' },
    );

    expect(config.request.url).toBe('http://sink.test:8080/ingest');
    expect(config.batch.maxSize).toBe(42);
  });

  it('resolve ${file:path:key} from a Java properties file', async () => {
    const path = propertiesFile(
      'sink.properties',
      ['# the sink', '! also a comment', '', 'url = http://sink.test/ingest?a=b', 'auth: Bearer from:file', 'other=x'].join('\n'),
    );

    const config = parseConnectorConfig(
      { ...base, 'http.url': `\${file:${path}:url}`, 'http.authorization.type': 'static', 'http.headers.authorization': `\${file:${path}:auth}` },
      {},
    );

    expect(config.request.url).toBe('http://sink.test/ingest?a=b');
    expect(await config.post.authorizer.headers()).toEqual({ Authorization: 'Bearer from:file' });
  });

  it('take the key after the last colon, so the file path may contain colons', () => {
    const path = propertiesFile('team:eu.properties', 'team=iot-eu\n');

    expect(resolveReferences('http.headers.additional', `X-Team:\${file:${path}:team}`, {})).toBe('X-Team:iot-eu');
  });

  it('leave values without references as they are', () => {
    expect(resolveReferences('batch.prefix', '{"records": [', {})).toBe('{"records": [');
    expect(resolveReferences('batch.prefix', '$HOME {env:X}', { X: 'no' })).toBe('$HOME {env:X}');
  });

  it('resolve every reference of a value, from both providers', () => {
    const path = propertiesFile('team.properties', 'team=iot\n');

    expect(resolveReferences('http.headers.additional', `X-Env:\${env:ENV},X-Team:\${file:${path}:team}`, { ENV: 'prod' })).toBe('X-Env:prod,X-Team:iot');
  });
});

describe('unknown config providers', () => {
  it('are an error naming the key, never left in the value as text', () => {
    expect(() => resolveReferences('http.headers.authorization', 'Bearer ${vault:secret/data/sink:token}', {})).toThrow(
      'http.headers.authorization: ${vault:...} uses an unknown config provider; supported: ${env:NAME}, ${file:/path:key}',
    );
  });
});

describe('parseProperties', () => {
  it('reads key=value and key: value lines, skipping comments and blank lines', () => {
    const properties = parseProperties('# comment\n#d=commented out\n!e=commented out\n\na=1\nb : two words \r\nc=x=y\n');

    expect(Object.fromEntries(properties)).toEqual({ a: '1', b: 'two words', c: 'x=y' });
  });

  it('keeps the last of repeated keys', () => {
    expect(parseProperties('a=1\na=2\n').get('a')).toBe('2');
  });
});

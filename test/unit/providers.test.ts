/** Kafka Connect config-provider references in connector values: `${env:NAME}` and `${file:path:key}`. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConnectorConfig } from '../../src/connector/connector-config.js';
import { NO_PROVIDERS, parseProperties, referenceMask, referenceProblems, resolveReferences, TRUSTED_PROVIDERS } from '../../src/common/config/providers.js';
import { workerOptions } from '../../src/worker/worker-config.js';

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

describe('a provider policy (the worker\'s config.providers, for configs sent to its API)', () => {
  /** An environment that records every variable looked up. */
  function watchedEnv(values: Record<string, string>): { env: NodeJS.ProcessEnv; read: string[] } {
    const read: string[] = [];
    const env = new Proxy(values, { get: (target, name) => (read.push(String(name)), target[String(name)]) }) as NodeJS.ProcessEnv;
    return { env, read };
  }

  it('by default allows no provider: refuses each reference naming key and provider, reading nothing', () => {
    const { env, read } = watchedEnv({ SOME_VAR: 'leaked' });
    const value = 'X-Leak:${env:SOME_VAR},X-Os:${file:/etc/os-release:ID}';

    expect(() => resolveReferences('http.headers.additional', value, env, NO_PROVIDERS)).toThrow(
      /^http\.headers\.additional: \$\{env:\.\.\.\} uses the config provider env, which this worker does not allow .*; \$\{file:\.\.\.\} uses the config provider file, which/,
    );
    expect(read).toEqual([]);
    expect(referenceProblems(value, NO_PROVIDERS)).toHaveLength(2);
  });

  it('names the worker setting that would allow it', () => {
    const policy = workerOptions({}).providers;

    expect(referenceProblems('${env:X}', policy)).toEqual([expect.stringContaining('(set by WORKER_CONFIG_PROVIDERS, Connect\'s config.providers)')]);
  });

  it('resolves an environment variable whose whole name matches the allow-list pattern, and refuses others unread', () => {
    const policy = workerOptions({ WORKER_CONFIG_PROVIDERS: 'env', WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN: 'SINK_.*' }).providers;
    const { env, read } = watchedEnv({ SINK_TOKEN: 'abc', SECRET: 'no', XSINK_A: 'no' });

    expect(resolveReferences('http.headers.authorization', 'Bearer ${env:SINK_TOKEN}', env, policy)).toBe('Bearer abc');
    expect(() => resolveReferences('http.headers.authorization', '${env:SECRET}', env, policy)).toThrow(/may not read SECRET: the name does not match/);
    expect(() => resolveReferences('http.headers.authorization', '${env:XSINK_A}', env, policy)).toThrow(/may not read XSINK_A/);
    expect(() => resolveReferences('http.url', '${file:/etc/os-release:ID}', env, policy)).toThrow(/config provider file, which this worker does not allow/);
    expect(read).toEqual(['SINK_TOKEN']);
  });

  it('reads a file under an allowed path, and refuses one outside, a relative one and one with ..', () => {
    const allowed = join(dir, 'allowed');
    mkdirSync(allowed, { recursive: true });
    const inside = join(allowed, 'sink.properties');
    writeFileSync(inside, 'token=from-file\n');
    const outside = propertiesFile('outside.properties', 'token=outside\n');
    const policy = workerOptions({ WORKER_CONFIG_PROVIDERS: 'file,env', WORKER_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: `/nonexistent, ${allowed}` }).providers;

    expect(resolveReferences('k', `\${file:${inside}:token}`, {}, policy)).toBe('from-file');
    expect(() => resolveReferences('k', `\${file:${outside}:token}`, {}, policy)).toThrow(`k: \${file:${outside}:token}: the config provider file may not read ${outside}: it is outside the allowed paths /nonexistent, ${allowed}`);
    expect(() => resolveReferences('k', `\${file:${allowed}/../outside.properties:token}`, {}, policy)).toThrow(/may not contain "\.\."/);
    expect(() => resolveReferences('k', `\${file:${allowed}-other/x.properties:token}`, {}, policy)).toThrow(/outside the allowed paths/);
    expect(() => resolveReferences('k', '${file:sink.properties:token}', {}, policy)).toThrow(/the path must be absolute/);
  });

  it('refuses a link inside an allowed path that leads out of it, before reading', () => {
    const allowed = join(dir, 'linked');
    mkdirSync(allowed, { recursive: true });
    const target = propertiesFile('target.properties', 'token=outside\n');
    symlinkSync(target, join(allowed, 'link.properties'));
    const policy = workerOptions({ WORKER_CONFIG_PROVIDERS: 'file', WORKER_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: allowed }).providers;

    expect(() => resolveReferences('k', `\${file:${allowed}/link.properties:token}`, {}, policy)).toThrow(/links outside the allowed paths/);
  });

  it('is trusted (everything) by default, as for the operator\'s own files', () => {
    expect(resolveReferences('k', '${env:A}', { A: 'a' })).toBe('a');
    expect(resolveReferences('k', '${env:A}', { A: 'a' }, TRUSTED_PROVIDERS)).toBe('a');
  });

  it('refuses worker settings it cannot apply, naming them', () => {
    expect(() => workerOptions({ WORKER_CONFIG_PROVIDERS: 'env,vault' })).toThrow(/^WORKER_CONFIG_PROVIDERS: unknown config provider vault/);
    expect(() => workerOptions({ WORKER_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: 'secrets' })).toThrow(/^WORKER_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: secrets is not an absolute path/);
    expect(() => workerOptions({ WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN: '(' })).toThrow(/^WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN: is not a regular expression/);
  });

  it('takes Kafka Connect\'s worker key names too', () => {
    const policy = workerOptions({}, {}, { 'config.providers': 'env', 'config.providers.env.param.allowlist.pattern': 'A' }).providers;

    expect(resolveReferences('k', '${env:A}', { A: 'a' }, policy)).toBe('a');
    expect(referenceProblems('${env:B}', policy)).toHaveLength(1);
  });
});

describe('referenceMask', () => {
  it('puts each reference back where a text quotes what it resolved to, whole, trimmed or JSON-escaped, in one pass', () => {
    const path = join(dir, 'mask.properties');
    writeFileSync(path, 'token=file-token-77\n');
    const env = { SINK_A: 'secret-a-77', SINK_Q: ' say "hi"\n', SINK_SHORT: 'env', SINK_NAME: 'SINK' };
    const config = { a: 'Bearer ${env:SINK_A}', q: '${env:SINK_Q}', f: `\${file:${path}:token}`, s: '${env:SINK_SHORT}', n: '${env:SINK_NAME}', plain: 'secret-a-77-not-a-reference' };
    const mask = referenceMask(config, env);
    expect(mask('header Bearer secret-a-77 refused')).toBe('header Bearer ${env:SINK_A} refused');
    expect(mask('value " say \\"hi\\"\\n" and say "hi"')).toBe('value "${env:SINK_Q}" and ${env:SINK_Q}');
    expect(mask('file-token-77')).toBe(`\${file:${path}:token}`);
    // short values only where they stand alone; an inserted reference is never rewritten again
    expect(mask('env and environment; SINK')).toBe('${env:SINK_SHORT} and environment; ${env:SINK_NAME}');
    expect(mask('nothing here')).toBe('nothing here');
  });

  it('resolves only what the policy allows: a refused reference resolved to nothing', () => {
    expect(referenceMask({ a: '${env:SECRET}' }, { SECRET: 'top-secret' }, NO_PROVIDERS)('top-secret')).toBe('top-secret');
  });
});

/**
 * The worker allows `${env:SINK_*}` and `${file:...}` under one directory, as the README recommends. An API client
 * (or anyone reading the status) puts such references where a value is checked, hoping the error quotes what they
 * resolved to: 400 bodies, validate answers, the status trace and the status page must name the key and the
 * reference, never the resolved value. Real broker, worker on 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { captureLog, eventually, freshTopic } from '../support/harness.js';
import { call, closeAfterEach, startTestWorker, stateOf } from '../support/worker-client.js';
import type { Worker } from '../../src/worker/worker.js';
import { workerOptions } from '../../src/worker/worker-config.js';

const PATH_SECRET = 'path-secret-91c4';
const PROTOCOL_SECRET = 'PROTOCOL_SECRET_91c4';
const FILE_SECRET = 'FILE_SECRET_91c4';
const TOKEN_SECRET = 'TOKEN_SECRET_5e77';

describe('errors about values that came from references', () => {
  let worker: Worker | undefined;
  closeAfterEach(() => [worker], () => (worker = undefined));

  it('name the key and the reference in 400s, validate, the status trace and the status page, never the resolved value', async () => {
    const topic = await freshTopic('error_texts', 1);
    const dir = mkdtempSync(join(tmpdir(), 'error-texts-'));
    const allowed = join(dir, 'secrets');
    mkdirSync(allowed);
    writeFileSync(join(allowed, 'kafka.properties'), `protocol=${FILE_SECRET}\n`);
    const providers = workerOptions({
      WORKER_CONFIG_PROVIDERS: 'env,file',
      WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN: 'SINK_.*',
      WORKER_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: allowed,
    }).providers;
    const captured = captureLog();
    worker = await startTestWorker({ providers }, { SINK_CA: join(allowed, `${PATH_SECRET}.pem`), SINK_PROTOCOL: PROTOCOL_SECRET }, captured);
    const connector = (name: string, extra: Record<string, unknown>): Record<string, unknown> => ({
      name, 'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector', topics: topic, 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none', ...extra,
    });
    const seen: string[] = [];

    // A checked value: the answer quotes the reference.
    const bad = connector(`ca_${topic}`, { 'http.ssl.ca.location': '${env:SINK_CA}' });
    const created = await call(worker.url, 'POST', '/connectors', bad);
    expect(created.status).toBe(400);
    expect((created.body as { message: string }).message).toContain('http.ssl.ca.location: may not read ${env:SINK_CA}: no such file inside the allowed paths');
    const validated = await call(worker.url, 'PUT', '/connector-plugins/HttpSinkConnector/config/validate', bad);
    const info = (validated.body as { configs: { value: { name: string; errors: string[] } }[] }).configs.find((c) => c.value.name === 'http.ssl.ca.location');
    expect(info?.value.errors).toEqual([expect.stringContaining('may not read ${env:SINK_CA}')]);
    seen.push(created.text, validated.text);

    // Values librdkafka checks when the connector starts: the status trace and the status page quote the reference.
    for (const [name, reference] of [[`env_${topic}`, '${env:SINK_PROTOCOL}'], [`file_${topic}`, `\${file:${allowed}/kafka.properties:protocol}`]] as const) {
      expect((await call(worker.url, 'POST', '/connectors', connector(name, { 'kafka.security.protocol': reference }))).status).toBe(201);
      await eventually(async () => (await stateOf(worker!.url, name)) === 'FAILED', 30_000, `${name} FAILED`);
      const status = await call(worker.url, 'GET', `/connectors/${name}/status`);
      expect((status.body as { tasks: { trace: string }[] }).tasks[0]!.trace).toContain(`Invalid value "${reference}" for configuration property "security.protocol"`);
      const page = await call(worker.url, 'GET', '/ui/state');
      const view = (page.body as { connectors: { name: string; trace?: string; lastError?: { message: string } }[] }).connectors.find((c) => c.name === name);
      expect(view?.trace).toContain(reference);
      expect(view?.lastError?.message).toContain(reference);
      seen.push(status.text, page.text, (await call(worker.url, 'GET', `/connectors/${name}/tasks/0/status`)).text);
    }

    const everything = seen.join('\n') + captured.lines.join('');
    for (const secret of [PATH_SECRET, PROTOCOL_SECRET, FILE_SECRET]) expect(everything).not.toContain(secret);
  });

  it('never quote a resolved value, even when a value is longer than a regular expression can hold', async () => {
    const providers = workerOptions({ WORKER_CONFIG_PROVIDERS: 'env', WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN: 'SINK_.*' }).providers;
    worker = await startTestWorker({ providers }, { SINK_TOKEN: TOKEN_SECRET });
    // 70,000 characters after the reference: a mask built as one regular expression of the resolved values was too
    // large for V8, and its SyntaxError quoted them all.
    const long = {
      name: 'long_value', 'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector', topics: 'long_value', 'http.url': 'http://127.0.0.1:9/',
      'http.authorization.type': 'none', 'http.headers.additional': `X-Token: \${env:SINK_TOKEN}${'-'.repeat(70_000)}`, 'no.such.key': '1',
    };
    const created = await call(worker.url, 'POST', '/connectors', long);
    const validated = await call(worker.url, 'PUT', '/connector-plugins/HttpSinkConnector/config/validate', long);
    expect(created.text + validated.text).not.toContain(TOKEN_SECRET);
    expect(created.status).toBe(400);
    expect((created.body as { message: string }).message).toContain('no.such.key: unknown key');
    expect(validated.status).toBe(200);
  });
});

/**
 * The worker owner decides which config providers a connector sent to the REST API may use (Kafka Connect's
 * `config.providers`, KIP-993 `allowed.paths`, KIP-887 `allowlist.pattern`; default none), and Connect's admin API:
 * `/admin/loggers` and `GET /`'s Kafka cluster id. Real broker, real receivers, worker on 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { Worker } from '../../src/worker/worker.js';
import { workerOptions } from '../../src/worker/worker-config.js';
import { bootstrap, captureLog, eventually, freshTopic } from '../support/harness.js';
import { call, closeAfterEach, startTestWorker, stateOf, tempStateDir } from '../support/worker-client.js';

const SECRET = 'worker-env-secret-7f3a';
const LEAKING = 'X-Leak:${env:SOME_VAR},X-Os:${file:/etc/os-release:ID}';

function connector(name: string, topic: string, url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, 'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector', topics: topic, 'http.url': url, 'http.authorization.type': 'none', ...extra };
}

const records = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ key: String(from + i), value: `{"n":${from + i}}` }));

/** Every header value and body the receiver got, as one text to search. */
function everythingReceived(receiver: Receiver): string {
  return receiver.requests.map((r) => `${JSON.stringify(r.headers)}\n${r.body.toString()}`).join('\n');
}

describe('config providers on a worker', () => {
  let worker: Worker | undefined;
  let receiver: Receiver | undefined;
  closeAfterEach(() => [worker, receiver], () => (worker = receiver = undefined));

  it('by default refuses ${env:...} and ${file:...} in configs sent to the API, per key, and sends nothing of them', async () => {
    const topic = await freshTopic('worker_providers_off', 1);
    receiver = await startReceiver();
    const captured = captureLog();
    worker = await startTestWorker({ providers: workerOptions({}).providers }, { SOME_VAR: SECRET }, captured);
    const name = `leak_${topic}`;

    for (const [method, path] of [['POST', '/connectors'], ['PUT', `/connectors/${name}/config`]] as const) {
      const refused = await call(worker.url, method, path, connector(name, topic, receiver.url, { 'http.headers.additional': LEAKING }));
      expect(refused.status).toBe(400);
      const message = (refused.body as { message: string }).message;
      expect(message).toContain('http.headers.additional: ${env:...} uses the config provider env, which this worker does not allow');
      expect(message).toContain('${file:...} uses the config provider file, which this worker does not allow');
      expect(message).toContain('WORKER_CONFIG_PROVIDERS');
      expect(refused.text).not.toContain(SECRET);
    }
    expect((await call(worker.url, 'GET', '/connectors')).body).toEqual([]);

    const validated = await call(worker.url, 'PUT', '/connector-plugins/HttpSinkConnector/config/validate', connector(name, topic, receiver.url, { 'http.headers.additional': LEAKING }));
    expect(validated.status).toBe(200);
    const headerInfo = (validated.body as { configs: { value: { name: string; errors: string[] } }[] }).configs.find((c) => c.value.name === 'http.headers.additional');
    expect(headerInfo?.value.errors).toEqual([expect.stringMatching(/uses the config provider env, which this worker does not allow.*uses the config provider file/)]);
    expect(validated.text).not.toContain(SECRET);

    // A connector without references runs; a PUT that would add them is refused and it goes on with its own config.
    expect((await call(worker.url, 'POST', '/connectors', connector(name, topic, receiver.url))).status).toBe(201);
    await produce(bootstrap(), topic, records(1, 2));
    await receiver.waitForAccepted(2, 30_000);
    expect((await call(worker.url, 'PUT', `/connectors/${name}/config`, connector(name, topic, receiver.url, { 'http.headers.additional': LEAKING }))).status).toBe(400);
    await produce(bootstrap(), topic, records(3, 2));
    await receiver.waitForAccepted(4, 30_000);

    const osId = /^ID=(.*)$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1]?.replaceAll('"', '');
    expect(receiver.requests.every((r) => r.headers['x-leak'] === undefined && r.headers['x-os'] === undefined)).toBe(true);
    expect(everythingReceived(receiver)).not.toContain(SECRET);
    if (osId) expect(receiver.requests.some((r) => Object.values(r.headers).includes(osId))).toBe(false);
    expect(captured.lines.join('')).not.toContain(SECRET);
  });

  it('resolves what the worker allows: env variables matching the pattern, files under the allowed paths; refuses the rest', async () => {
    const topic = await freshTopic('worker_providers_on', 1);
    const dir = mkdtempSync(join(tmpdir(), 'worker-providers-'));
    const allowed = join(dir, 'secrets');
    mkdirSync(allowed);
    writeFileSync(join(allowed, 'sink.properties'), 'team=iot-eu\n');
    writeFileSync(join(dir, 'outside.properties'), 'team=outside\n');
    receiver = await startReceiver();
    const providers = workerOptions({
      WORKER_CONFIG_PROVIDERS: 'env,file',
      WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN: 'SINK_.*',
      WORKER_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: allowed,
    }).providers;
    worker = await startTestWorker({ providers }, { SINK_TOKEN: 'token-from-env', SOME_VAR: SECRET });
    const name = `allowed_${topic}`;
    const headers = `X-Token:\${env:SINK_TOKEN},X-Team:\${file:${allowed}/sink.properties:team}`;

    const created = await call(worker.url, 'POST', '/connectors', connector(name, topic, receiver.url, { 'http.headers.additional': headers }));
    expect(created.status).toBe(201);
    expect(created.text).not.toContain('token-from-env'); // the API shows the config as written (this key redacted), never resolved
    await produce(bootstrap(), topic, records(1, 1));
    await receiver.waitForAccepted(1, 30_000);
    expect(receiver.accepted[0]!.headers).toMatchObject({ 'x-token': 'token-from-env', 'x-team': 'iot-eu' });

    const refusedPut = async (value: string): Promise<string> => {
      const answer = await call(worker!.url, 'PUT', `/connectors/${name}/config`, connector(name, topic, receiver!.url, { 'http.headers.additional': value }));
      expect(answer.status).toBe(400);
      return (answer.body as { message: string }).message;
    };
    expect(await refusedPut('X-Leak:${env:SOME_VAR}')).toMatch(/http\.headers\.additional: \$\{env:SOME_VAR\}: the config provider env may not read SOME_VAR/);
    expect(await refusedPut(`X-Team:\${file:${dir}/outside.properties:team}`)).toContain('is outside the allowed paths');
    expect(await refusedPut(`X-Team:\${file:${allowed}/../outside.properties:team}`)).toContain('may not contain ".."');
    expect(await refusedPut('X-Os:${file:/etc/os-release:ID}')).toContain('is outside the allowed paths');

    await produce(bootstrap(), topic, records(2, 1));
    await receiver.waitForAccepted(2, 30_000);
    expect(receiver.accepted[1]!.headers).toMatchObject({ 'x-token': 'token-from-env', 'x-team': 'iot-eu' });
    expect(everythingReceived(receiver)).not.toContain(SECRET);
    expect(everythingReceived(receiver)).not.toContain('outside');
  });

  it('applies the same policy to connectors kept in the state file: one it refuses FAILS at start, unresolved', async () => {
    const topic = await freshTopic('worker_providers_state', 1);
    receiver = await startReceiver();
    const stateDir = tempStateDir();
    const name = `kept_${topic}`;
    // Kept from the API under a laxer policy (or written by hand): the worker now allows no provider.
    const kept = connector(name, topic, receiver.url, { 'http.headers.additional': 'X-Leak:${env:SOME_VAR}' });
    writeFileSync(join(stateDir, 'connectors.json'), JSON.stringify({ version: 1, connectors: { [name]: { config: kept, paused: false } } }), { mode: 0o600 });
    const captured = captureLog();
    worker = await startTestWorker({ stateDir, providers: workerOptions({}).providers }, { SOME_VAR: SECRET }, captured);

    await eventually(async () => (await stateOf(worker!.url, name)) === 'FAILED', 20_000, 'FAILED');
    const status = await call(worker.url, 'GET', `/connectors/${name}/status`);
    expect((status.body as { tasks: { trace: string }[] }).tasks[0]!.trace).toContain('http.headers.additional: ${env:...} uses the config provider env, which this worker does not allow');
    expect(captured.lines.join('')).toContain('uses references this worker does not allow');
    await produce(bootstrap(), topic, records(1, 1));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receiver.requests).toHaveLength(0);
    expect(status.text + captured.lines.join('')).not.toContain(SECRET);
  });
});

describe("Connect's admin API on a worker", () => {
  let worker: Worker | undefined;
  let receiver: Receiver | undefined;
  closeAfterEach(() => [worker, receiver], () => (worker = receiver = undefined));

  it('reports the Kafka cluster id on GET /', async () => {
    worker = await startTestWorker();

    const root = await call(worker.url, 'GET', '/');
    expect(root.status).toBe(200);
    expect((root.body as { kafka_cluster_id: string }).kafka_cluster_id).toMatch(/^[A-Za-z0-9_-]{22}$/); // a Kafka cluster id: 16 bytes, base64url
    expect((await call(worker.url, 'GET', '/')).body).toEqual(root.body);
  });

  it("turns one connector's DEBUG logging on at run time through PUT /admin/loggers, leaving the other's at INFO", async () => {
    const topics = [await freshTopic('worker_loggers_a', 1), await freshTopic('worker_loggers_b', 1)];
    receiver = await startReceiver();
    const captured = captureLog('info');
    worker = await startTestWorker({}, {}, captured);
    const [a, b] = topics.map((t) => `log_${t}`) as [string, string];
    for (const [name, topic] of [[a, topics[0]!], [b, topics[1]!]] as const) expect((await call(worker.url, 'POST', '/connectors', connector(name, topic, receiver.url))).status).toBe(201);
    await eventually(async () => (await stateOf(worker!.url, a)) === 'RUNNING' && (await stateOf(worker!.url, b)) === 'RUNNING', 30_000, 'RUNNING');

    expect(await call(worker.url, 'GET', '/admin/loggers')).toMatchObject({ status: 200, body: { root: { level: 'INFO' }, [`connector.${a}`]: { level: 'INFO' } } });
    expect(await call(worker.url, 'PUT', `/admin/loggers/connector.${a}`, { level: 'DEBUG' })).toMatchObject({ status: 200, body: [`connector.${a}`] });
    // A restart logs the connector's config at debug level (startPipeline), for both connectors.
    for (const name of [a, b]) expect((await call(worker.url, 'POST', `/connectors/${name}/restart`)).status).toBe(204);
    const debugOf = (name: string) => captured.lines.map((l) => JSON.parse(l) as { level: string; connector?: string }).filter((l) => l.level === 'debug' && l.connector === name);
    await eventually(() => debugOf(a).length > 0, 30_000, `a debug line of ${a}`);
    await eventually(async () => (await stateOf(worker!.url, b)) === 'RUNNING', 30_000, 'b RUNNING again');
    expect(debugOf(b)).toEqual([]);
    expect((await call(worker.url, 'GET', `/admin/loggers/connector.${a}`)).body).toMatchObject({ level: 'DEBUG', last_modified: expect.any(Number) });
    expect((await call(worker.url, 'PUT', '/admin/loggers/root?scope=cluster', { level: 'WARN' })).status).toBe(204);
    expect((await call(worker.url, 'GET', `/admin/loggers/connector.${a}`)).body).toMatchObject({ level: 'WARN' });
  });
});

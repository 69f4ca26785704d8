/** Worker mode's REST API (Kafka Connect's paths and shapes) against the real broker and a local receiver. */
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { Worker } from '../../src/worker/worker.js';
import { request } from 'node:http';
import { bootstrap, captureLog, committed, eventually, freshTopic } from '../support/harness.js';
import { call, closeAfterEach, countingStarts, startTestWorker, stateOf, tempStateDir } from '../support/worker-client.js';

/** The seed's connector file, pointed at a fresh topic. */
function seedConnector(name: string, topic: string): Record<string, unknown> {
  return {
    name,
    'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector',
    topics: topic,
    'http.url': '${env:SERVER_URL}',
    'http.authorization.type': 'none',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
  };
}

/** Waits until `/metrics` has a line matching `line`. */
async function waitForMetric(url: string, line: RegExp): Promise<void> {
  await eventually(async () => line.test((await call(url, 'GET', '/metrics')).text), 20_000, String(line));
}

/** Waits until the connector's consumer sees `lag` records behind the end of partition 0 (librdkafka statistics). */
async function lagIs(url: string, name: string, topic: string, lag: number): Promise<void> {
  await waitForMetric(url, new RegExp(`kafka_http_sink_consumer_lag\\{connector="${name}",task="0",topic="${topic}",partition="0"\\} ${lag}\n`));
}

const measurements = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ key: String(from + i), value: `{"iot_id":${from + i}, "metric":"Temperature", "measurement":${13 + from + i}}` }));

/** A request with exactly these headers (fetch sets Host and Content-Type itself). */
function raw(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, timeout: 20_000 }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.end(body);
  });
}

describe('worker REST API', () => {
  let worker: Worker | undefined;
  let receiver: Receiver | undefined;
  closeAfterEach(() => [worker, receiver], () => (worker = receiver = undefined));

  /** A worker whose pipelines are counted, a receiver, and the seed connector on a fresh topic, created. */
  async function createCounted(prefix: string): Promise<{ worker: Worker; receiver: Receiver; counted: ReturnType<typeof countingStarts>; topic: string; name: string }> {
    const topic = await freshTopic(`worker_${prefix}`, 1);
    receiver = await startReceiver();
    const counted = countingStarts();
    worker = await startTestWorker({}, { SERVER_URL: receiver.url }, captureLog(), counted.start);
    const name = `${prefix}_${topic}`;
    expect((await call(worker.url, 'POST', '/connectors', seedConnector(name, topic))).status).toBe(201);
    return { worker, receiver, counted, topic, name };
  }

  it('creates the seed connector, delivers, pauses, resumes, reports offsets and metrics, deletes', async () => {
    const topic = await freshTopic('worker', 1);
    receiver = await startReceiver();
    const counted = countingStarts();
    worker = await startTestWorker({}, { SERVER_URL: receiver.url }, captureLog(), counted.start);
    const name = `seed_${topic}`;

    const created = await call(worker.url, 'POST', '/connectors', seedConnector(name, topic)); // the seed's flat JSON as is
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, type: 'sink', tasks: [{ connector: name, task: 0 }], config: { 'http.url': '${env:SERVER_URL}', topics: topic } });
    await eventually(async () => (await stateOf(worker!.url, name)) === 'RUNNING', 30_000, 'RUNNING');
    expect(await call(worker.url, 'GET', '/connectors')).toMatchObject({ status: 200, body: [name] });

    await produce(bootstrap(), topic, measurements(1, 3));
    await receiver.waitForAccepted(3, 30_000);
    await eventually(async () => JSON.stringify((await call(worker!.url, 'GET', `/connectors/${name}/offsets`)).body).includes('"kafka_offset":3'), 15_000, 'offset 3');

    expect((await call(worker.url, 'PUT', `/connectors/${name}/pause`)).status).toBe(202);
    expect(await stateOf(worker.url, name)).toBe('PAUSED');
    await produce(bootstrap(), topic, measurements(4, 2));
    await lagIs(worker.url, name, topic, 2); // the paused connector's consumer knows the two records are there
    expect(receiver.accepted).toHaveLength(3); // paused: nothing delivered
    expect((await call(worker.url, 'GET', `/connectors/${name}/offsets`)).body).toEqual({
      offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 3 } }],
    });

    expect((await call(worker.url, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    expect(await stateOf(worker.url, name)).toBe('RUNNING');
    await receiver.waitForAccepted(5, 30_000);
    expect(receiver.accepted.map((r) => r.body.toString())).toEqual(measurements(1, 5).map((m) => m.value));
    await eventually(async () => JSON.stringify((await call(worker!.url, 'GET', `/connectors/${name}/offsets`)).body).includes('"kafka_offset":5'), 15_000, 'offset 5');

    const metrics = (await call(worker.url, 'GET', '/metrics')).text;
    expect(metrics).toContain(`kafka_http_sink_records_read_total{connector="${name}",task="0"} 5`);
    expect(metrics).toContain(`kafka_http_sink_records_delivered_total{connector="${name}",task="0"} 5`);
    expect(metrics).toContain(`kafka_http_sink_http_requests_total{connector="${name}",task="0",status_class="2xx"} 5`);
    expect(metrics).toContain(`kafka_http_sink_http_request_duration_seconds_count{connector="${name}",task="0"} 5`);
    expect(metrics).toMatch(new RegExp(`kafka_http_sink_offset_commits_total\\{connector="${name}",task="0"\\} [1-9]`));
    await eventually(
      async () => (await call(worker!.url, 'GET', '/metrics')).text.includes(`kafka_http_sink_consumer_lag{connector="${name}",task="0",topic="${topic}",partition="0"} 0`),
      15_000,
      'consumer lag 0 in the metrics',
    );

    const expanded = await call(worker.url, 'GET', '/connectors?expand=status&expand=info');
    expect(expanded.body).toMatchObject({ [name]: { status: { connector: { state: 'RUNNING' } }, info: { name, type: 'sink' } } });
    expect((await call(worker.url, 'GET', `/connectors/${name}/tasks`)).body).toMatchObject([{ id: { connector: name, task: 0 } }]);

    expect((await call(worker.url, 'DELETE', `/connectors/${name}`)).status).toBe(204);
    expect(await call(worker.url, 'GET', `/connectors/${name}/status`)).toEqual({
      status: 404,
      body: { error_code: 404, message: `Connector ${name} not found` },
      text: expect.any(String),
    });
    expect((await call(worker.url, 'GET', '/connectors')).body).toEqual([]);
    expect(counted.live.get(name)).toBe(0); // deleted: its pipeline stopped before the 204
    expect((await call(worker.url, 'GET', '/metrics')).text).not.toContain(`connector="${name}"`); // and its series are gone

    // Created again in the same group, it resumes from the offset the deleted one committed: record 6 once, no repeats.
    await produce(bootstrap(), topic, measurements(6, 1));
    expect((await call(worker.url, 'POST', '/connectors', seedConnector(name, topic))).status).toBe(201);
    await receiver.waitForAccepted(6, 30_000);
    await eventually(async () => (await committed(name, topic, 1))[0] === 6, 15_000, 'offset 6 committed');
    expect(receiver.accepted.map((r) => r.body.toString())).toEqual(measurements(1, 6).map((m) => m.value));
    expect(counted.most.get(name)).toBe(1);
  });

  it('restarts a RUNNING connector from its committed offsets, answering 204 or 202 as Connect does', async () => {
    const { worker, receiver, counted, topic, name } = await createCounted('restart');
    await produce(bootstrap(), topic, measurements(1, 2));
    await receiver.waitForAccepted(2, 30_000);
    await eventually(async () => (await committed(name, topic, 1))[0] === 2, 15_000, 'offset 2 committed');

    expect(await call(worker.url, 'POST', `/connectors/${name}/restart?includeTasks=false&onlyFailed=false`)).toMatchObject({ status: 204, text: '' });
    await eventually(async () => counted.starts.get(name) === 2 && (await stateOf(worker.url, name)) === 'RUNNING', 30_000, 'RUNNING after the restart');
    await produce(bootstrap(), topic, measurements(3, 1));
    await receiver.waitForAccepted(3, 30_000);
    expect(receiver.accepted.map((r) => r.body.toString())).toEqual(measurements(1, 3).map((m) => m.value)); // nothing sent twice

    const withTasks = await call(worker.url, 'POST', `/connectors/${name}/restart?includeTasks=true`);
    expect(withTasks).toMatchObject({ status: 202, body: { name, connector: { state: 'RESTARTING' }, tasks: [{ id: 0, state: 'RESTARTING' }] } });
    await eventually(async () => counted.starts.get(name) === 3 && (await stateOf(worker.url, name)) === 'RUNNING', 30_000, 'RUNNING after the second restart');
    expect(counted.most.get(name)).toBe(1);
  });

  it('never runs a connector twice when restarts, config changes and a delete race, and stops it for good', async () => {
    const { worker: racing, counted, topic, name } = await createCounted('race');
    await eventually(async () => (await stateOf(racing.url, name)) === 'RUNNING', 30_000, 'RUNNING');

    const changed = (timeout: number) => ({ ...seedConnector(name, topic), 'http.timeout': String(timeout) });
    const answers = await Promise.all([
      call(racing.url, 'PUT', `/connectors/${name}/config`, changed(10)),
      call(racing.url, 'PUT', `/connectors/${name}/config`, changed(11)),
      call(racing.url, 'POST', `/connectors/${name}/restart`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 204]);
    expect((await call(racing.url, 'POST', `/connectors/${name}/restart`)).status).toBe(204); // still draining when the delete comes
    expect((await call(racing.url, 'DELETE', `/connectors/${name}`)).status).toBe(204);
    expect(counted.live.get(name)).toBe(0);
    await racing.close();
    worker = undefined;
    expect(counted.live.get(name)).toBe(0);
    expect(counted.most.get(name)).toBe(1);
  });

  it('drains in-flight requests and commits their offsets when a connector is deleted', async () => {
    const topic = await freshTopic('worker_drain', 1);
    // the endpoint answers once the test saw the records in flight (at most 30 s), then late: a fixed delay could end
    // before the metric was read on a loaded machine (then nothing is in flight any more)
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const held = (): Promise<void> => Promise.race([released, new Promise<void>((resolve) => setTimeout(resolve, 30_000).unref())]);
    receiver = await startReceiver({ respond: async () => (await held(), { status: 200, delayMs: 1000 }) });
    worker = await startTestWorker({}, { SERVER_URL: receiver.url });
    const name = `drain_${topic}`;
    expect((await call(worker.url, 'POST', '/connectors', { ...seedConnector(name, topic), 'http.concurrency': 4 })).status).toBe(201);
    await produce(bootstrap(), topic, measurements(1, 4));
    await eventually(() => receiver!.requests.length >= 1, 30_000, 'a request in flight');
    expect(receiver.accepted).toHaveLength(0);
    await waitForMetric(worker.url, new RegExp(`kafka_http_sink_records_in_flight\\{connector="${name}",task="0"\\} [1-4]\n`)); // read, not yet committed

    release(); // the requests now end a second after: the delete below meets them in flight
    expect((await call(worker.url, 'DELETE', `/connectors/${name}`)).status).toBe(204);
    expect(receiver.accepted.length).toBeGreaterThanOrEqual(1);
    expect(receiver.accepted).toHaveLength(receiver.requests.length); // every request in flight finished
    const delivered = receiver.accepted.map((r) => (JSON.parse(r.body.toString()) as { iot_id: number }).iot_id);
    const [offset] = await committed(name, topic, 1);
    expect(offset).toBeGreaterThanOrEqual(Math.max(...delivered)); // record n is offset n-1: the commit covers it
  });

  it('shows FAILED with the trace when the endpoint refuses a record, and restart delivers it', async () => {
    const topic = await freshTopic('worker_fail', 1);
    receiver = await startReceiver({ respond: () => ({ status: 400, body: 'no such device' }) });
    worker = await startTestWorker({}, { SERVER_URL: receiver.url });
    const name = `fail_${topic}`;
    expect((await call(worker.url, 'POST', '/connectors', { name, config: seedConnector(name, topic) })).status).toBe(201);
    await produce(bootstrap(), topic, measurements(1, 1));
    await eventually(async () => (await stateOf(worker!.url, name)) === 'FAILED', 30_000, 'FAILED');
    const status = (await call(worker.url, 'GET', `/connectors/${name}/status`)).body as { tasks: { state: string; trace: string }[] };
    expect(status.tasks[0]!.trace).toContain('HTTP 400: no such device');
    expect((await call(worker.url, 'GET', '/ready')).status).toBe(503);

    receiver.respondWith(() => ({ status: 200 }));
    expect((await call(worker.url, 'POST', `/connectors/${name}/restart`)).status).toBe(204);
    await eventually(async () => (await stateOf(worker!.url, name)) === 'RUNNING', 30_000, 'RUNNING after restart');
    await receiver.waitForAccepted(1, 30_000);
    expect(receiver.accepted[0]!.body.toString()).toBe(measurements(1, 1)[0]!.value);
    expect((await call(worker.url, 'GET', '/ready')).status).toBe(200);
    // The status page still tells what went wrong before the restart.
    const ui = (await call(worker.url, 'GET', '/ui/state')).body as { connectors: { name: string; trace?: string; lastError?: { message: string } }[] };
    const card = ui.connectors.find((c) => c.name === name)!;
    expect(card.trace).toBeUndefined();
    expect(card.lastError?.message).toContain('HTTP 400: no such device');
  });

  it('answers validate with per-key errors, refuses an invalid or duplicate connector, 404s in Connect\'s shape', async () => {
    worker = await startTestWorker();
    const plugin = 'io.aiven.kafka.connect.http.HttpSinkConnector';
    expect((await call(worker.url, 'GET', '/connector-plugins')).body).toEqual([plugin, 'io.confluent.connect.http.HttpSinkConnector'].map((name) => ({ class: name, type: 'sink', version: expect.any(String) })));
    const bad = { 'connector.class': plugin, name: 'bad', topics: 't', 'http.url': 'not a url', 'http.timeout': 'soon', 'http.authorization.type': 'none', 'http.urll': 'x' };
    const validated = await call(worker.url, 'PUT', `/connector-plugins/${plugin}/config/validate`, bad);
    expect(validated.status).toBe(200);
    const infos = validated.body as { name: string; error_count: number; configs: { definition: { name: string }; value: { name: string; errors: string[] } }[] };
    expect(infos.name).toBe(plugin);
    expect(infos.error_count).toBe(3);
    const errorsOf = (key: string) => infos.configs.find((c) => c.value.name === key)?.value.errors;
    expect(errorsOf('http.url')).toEqual([expect.stringContaining('must be an absolute http:// or https:// URL')]);
    expect(errorsOf('http.timeout')).toEqual([expect.stringContaining('must be a whole number')]);
    expect(errorsOf('http.urll')).toEqual([expect.stringContaining('unknown key (did you mean http.url?)')]);
    expect(errorsOf('topics')).toEqual([]);
    expect((await call(worker.url, 'PUT', '/connector-plugins/HttpSinkConnector/config/validate', { ...bad, 'http.url': 'http://127.0.0.1/', 'http.timeout': 5, 'http.urll': undefined })).body).toMatchObject({ error_count: 0 });

    const refused = await call(worker.url, 'POST', '/connectors', { name: 'bad', config: bad });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error_code: 400, message: expect.stringMatching(/contains the following 3 error\(s\):\nhttp\.urll: unknown key/) });

    for (const [method, path] of [['GET', '/connectors/nope'], ['GET', '/connectors/nope/config'], ['PUT', '/connectors/nope/pause'], ['POST', '/connectors/nope/restart'], ['DELETE', '/connectors/nope']]) {
      expect(await call(worker.url, method!, path!)).toMatchObject({ status: 404, body: { error_code: 404, message: 'Connector nope not found' } });
    }
    expect(await call(worker.url, 'GET', '/nowhere')).toMatchObject({ status: 404, body: { error_code: 404 } });
    expect(await call(worker.url, 'DELETE', '/connectors')).toMatchObject({ status: 405, body: { error_code: 405 } });
    expect((await call(worker.url, 'GET', '/')).body).toMatchObject({ version: expect.any(String) });

    const topic = await freshTopic('worker_dup', 1);
    const good = { ...seedConnector('dup', topic), 'http.url': 'http://127.0.0.1:9/' };
    expect((await call(worker.url, 'POST', '/connectors', good)).status).toBe(201);
    expect(await call(worker.url, 'POST', '/connectors', good)).toMatchObject({ status: 409, body: { error_code: 409, message: 'Connector dup already exists' } });
  });

  it('redacts secrets in every response and keeps them when a GET config is PUT back', async () => {
    const topic = await freshTopic('worker_secret', 1);
    receiver = await startReceiver();
    worker = await startTestWorker();
    const name = `secret_${topic}`;
    const config = { ...seedConnector(name, topic), 'http.url': receiver.url, 'http.authorization.type': 'static', 'http.headers.authorization': 'Bearer s3cr3t-value' };
    const responses = [await call(worker.url, 'POST', '/connectors', { name, config })];
    await eventually(async () => (await stateOf(worker!.url, name)) === 'RUNNING', 30_000, 'RUNNING');
    for (const path of [`/connectors/${name}`, `/connectors/${name}/config`, `/connectors/${name}/tasks`, `/connectors/${name}/status`, '/connectors?expand=info&expand=status', '/ui/state', '/metrics']) {
      responses.push(await call(worker.url, 'GET', path));
    }
    for (const response of responses) expect(response.text).not.toContain('s3cr3t');
    const shown = (await call(worker.url, 'GET', `/connectors/${name}/config`)).body as Record<string, string>;
    expect(shown['http.headers.authorization']).toBe('[redacted]');

    const put = await call(worker.url, 'PUT', `/connectors/${name}/config`, { ...shown, 'http.timeout': '10' });
    expect(put.status).toBe(200);
    expect(put.text).not.toContain('s3cr3t');
    await eventually(async () => (await stateOf(worker!.url, name)) === 'RUNNING', 30_000, 'RUNNING after the config change');
    await produce(bootstrap(), topic, measurements(1, 1));
    await receiver.waitForAccepted(1, 30_000);
    expect(receiver.accepted[0]!.headers.authorization).toBe('Bearer s3cr3t-value');

    // Credentials in a URL-valued key: the password is redacted, and kept when the shown URL is PUT back.
    const inUrl = `url_${topic}`;
    const withUser = { ...seedConnector(inUrl, topic), 'http.url': receiver.url.replace('http://', 'http://ingest:s3cr3t-url@') };
    const urlResponses = [await call(worker.url, 'POST', '/connectors', withUser)];
    urlResponses.push(await call(worker.url, 'GET', `/connectors/${inUrl}/config`), await call(worker.url, 'GET', '/connectors?expand=info'));
    for (const response of urlResponses) expect(response.text).not.toContain('s3cr3t-url');
    const shownUrl = (urlResponses[1]!.body as Record<string, string>)['http.url'];
    expect(shownUrl).toBe(receiver.url.replace('http://', 'http://ingest:[redacted]@'));
    expect((await call(worker.url, 'PUT', `/connectors/${inUrl}/config`, { ...(urlResponses[1]!.body as object), 'http.timeout': '10' })).text).not.toContain('s3cr3t-url');
    expect(worker.connectors.get(inUrl).config['http.url']).toBe(withUser['http.url']); // the PUT kept the password
    await eventually(() => receiver!.accepted.length >= 2, 30_000, 'record 1 through the connector with URL credentials');
    expect(receiver.accepted[1]!.headers.authorization).toBe(`Basic ${Buffer.from('ingest:s3cr3t-url').toString('base64')}`);
  });

  it('redacts an OAuth2 client secret in validate, a FAILED trace, the status page and the logs', async () => {
    const topic = await freshTopic('worker_oauth', 1);
    // The token endpoint refuses the client and echoes the form it got, client_secret included, as some do.
    const tokens = await startReceiver({ respond: (request) => ({ status: 401, body: `invalid_client for ${request.body.toString()}` }) });
    receiver = await startReceiver();
    const captured = captureLog('debug');
    worker = await startTestWorker({}, {}, captured);
    const name = `oauth_${topic}`;
    const config = {
      ...seedConnector(name, topic),
      'http.url': receiver.url,
      'http.authorization.type': 'oauth2',
      'oauth2.access.token.url': tokens.url,
      'oauth2.client.id': 'sink-client',
      'oauth2.client.secret': 'cl13nt-s3cr3t',
      'oauth2.client.authorization.mode': 'URL',
    };
    try {
      const responses = [await call(worker.url, 'PUT', '/connector-plugins/io.aiven.kafka.connect.http.HttpSinkConnector/config/validate', config)];
      expect(responses[0]).toMatchObject({ status: 200, body: { error_count: 0 } });
      responses.push(await call(worker.url, 'POST', '/connectors', { name, config }));
      await produce(bootstrap(), topic, measurements(1, 1));
      await eventually(async () => (await stateOf(worker!.url, name)) === 'FAILED', 30_000, 'FAILED on the refused token');
      expect(tokens.requests.map((r) => r.body.toString()).join()).toContain('cl13nt-s3cr3t'); // it was sent, and echoed
      for (const path of [`/connectors/${name}/status`, `/connectors/${name}/config`, `/connectors/${name}/tasks`, '/connectors?expand=info&expand=status', '/ui/state', '/metrics']) {
        responses.push(await call(worker.url, 'GET', path));
      }
      const status = responses.find((r) => r.text.includes('"trace"'));
      expect(status?.text).toContain('401'); // the trace is there, without the secret
      expect(JSON.stringify((responses.at(-2)!.body as { connectors: { trace?: string }[] }).connectors)).toContain('401');
      for (const response of responses) expect(response.text).not.toContain('cl13nt-s3cr3t');
      await worker.close();
      worker = undefined;
      expect(captured.lines.join('')).toContain(name);
      expect(captured.lines.join('')).not.toContain('cl13nt-s3cr3t');
    } finally {
      await tokens.close();
    }
  });

  it('keeps API-created connectors and their paused state across a worker restart', async () => {
    const topic = await freshTopic('worker_persist', 1);
    receiver = await startReceiver();
    const stateDir = tempStateDir();
    worker = await startTestWorker({ stateDir }, { SERVER_URL: receiver.url });
    const name = `persist_${topic}`;
    expect((await call(worker.url, 'POST', '/connectors', { name, config: seedConnector(name, topic) })).status).toBe(201);
    expect((await call(worker.url, 'PUT', `/connectors/${name}/pause`)).status).toBe(202);
    await worker.close();
    expect(statSync(join(stateDir, 'connectors.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(stateDir, 'connectors.json'), 'utf8'))).toMatchObject({ connectors: { [name]: { paused: true } } });

    worker = await startTestWorker({ stateDir }, { SERVER_URL: receiver.url });
    expect((await call(worker.url, 'GET', '/connectors')).body).toEqual([name]);
    await eventually(async () => (await stateOf(worker!.url, name)) === 'PAUSED', 30_000, 'PAUSED after the restart');
    await produce(bootstrap(), topic, measurements(1, 2));
    // Paused since it started, its consumer never fetched, so it has no lag to show. A sentinel connector in another
    // group on the same worker delivering both records proves they were there to be read meanwhile.
    const sentinel = await startReceiver();
    try {
      expect((await call(worker.url, 'POST', '/connectors', { ...seedConnector(`sentinel_${topic}`, topic), 'http.url': sentinel.url })).status).toBe(201);
      await sentinel.waitForAccepted(2, 30_000);
    } finally {
      await sentinel.close();
    }
    expect(receiver.accepted).toHaveLength(0);
    expect((await call(worker.url, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await receiver.waitForAccepted(2, 30_000);
  });

  it('counts retries, failures and dead-lettered records in the metrics', async () => {
    const topic = await freshTopic('worker_metrics', 1);
    const dlq = await freshTopic('worker_metrics_dlq', 1);
    // The first attempt of record 1 gets a 503 (retried), record 2 always a 400 (dead-lettered), the rest succeed.
    receiver = await startReceiver({ respond: (request, index) => (index === 0 ? { status: 503 } : request.body.toString().includes('"iot_id":2') ? { status: 400 } : { status: 200 }) });
    worker = await startTestWorker({}, { SERVER_URL: receiver.url });
    const name = `metrics_${topic}`;
    const config = { ...seedConnector(name, topic), 'retry.backoff.ms': 10, 'http.concurrency': 1, 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': dlq };
    expect((await call(worker.url, 'POST', '/connectors', { name, config })).status).toBe(201);
    await produce(bootstrap(), topic, measurements(1, 3));
    const line = (metric: string, value: number, labels = '') => `kafka_http_sink_${metric}{connector="${name}",task="0"${labels}} ${value}`;
    const expected = [
      line('records_read_total', 3),
      line('records_delivered_total', 2),
      line('records_retried_total', 1),
      line('records_failed_total', 1),
      line('records_dead_lettered_total', 1),
      line('http_requests_total', 1, ',status_class="4xx"'),
      line('http_requests_total', 1, ',status_class="5xx"'),
      line('http_requests_total', 2, ',status_class="2xx"'),
    ];
    await eventually(async () => {
      const text = (await call(worker!.url, 'GET', '/metrics')).text;
      return expected.every((l) => text.includes(l));
    }, 30_000, `metrics ${expected.join(', ')}`);
    // The status page says what happened to the dead-lettered record, though the connector kept running.
    const ui = (await call(worker.url, 'GET', '/ui/state')).body as { connectors: { name: string; state: string; lastError?: { message: string } }[] };
    const card = ui.connectors.find((c) => c.name === name)!;
    expect(card.state).toBe('RUNNING');
    expect(card.lastError?.message).toMatch(/^1 record\(s\) dead-lettered: delivery failed for topic \S+ partition 0 offset 1 after 1 attempt\(s\): HTTP 400/);
  });

  it('refuses what another web site could make a browser send: non-JSON bodies, foreign Origin or Host', async () => {
    worker = await startTestWorker();
    const connector = { name: 'csrf', config: seedConnector('csrf', 'csrf_topic') };
    const asText = await fetch(`${worker.url}/connectors`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(connector) });
    expect(asText.status).toBe(415);
    expect(await asText.json()).toEqual({ error_code: 415, message: expect.stringContaining('application/json') });
    const untyped = await raw(worker.url, 'POST', '/connectors', {}, JSON.stringify(connector));
    expect(untyped.status).toBe(415);
    const foreign = await call(worker.url, 'POST', '/connectors', connector, { origin: 'https://evil.example' });
    expect(foreign).toMatchObject({ status: 403, body: { error_code: 403, message: expect.stringContaining('evil.example') } });
    expect((await call(worker.url, 'POST', `/connectors/csrf/restart`, undefined, { origin: 'null' })).status).toBe(403);
    const rebound = await raw(worker.url, 'GET', '/connectors', { host: `evil.example:${new URL(worker.url).port}` });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.text)).toMatchObject({ error_code: 403 });
    expect((await raw(worker.url, 'GET', '/connectors', { host: `localhost:${new URL(worker.url).port}` })).status).toBe(200);
    expect((await call(worker.url, 'GET', '/connectors', undefined, { origin: worker.url })).status).toBe(200); // the status page's own
    expect((await call(worker.url, 'GET', '/connectors')).body).toEqual([]); // nothing was created
  });

  it('asks for credentials when an access token is set', async () => {
    worker = await startTestWorker({ auth: { token: new (await import('../../src/common/config/secret.js')).Secret('t0ken') } });
    expect(await call(worker.url, 'GET', '/connectors')).toMatchObject({ status: 401, body: { error_code: 401 } });
    expect((await call(worker.url, 'GET', '/connectors', undefined, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect(await call(worker.url, 'GET', '/connectors', undefined, { authorization: 'Bearer t0ken' })).toMatchObject({ status: 200, body: [] });
    expect((await call(worker.url, 'GET', '/health')).status).toBe(200);
  });
});

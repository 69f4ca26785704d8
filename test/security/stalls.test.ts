/**
 * The attacker makes connectors hang or fork: a connector whose start never ends (its dead-letter producer talks to
 * a broker that answers nothing after ApiVersions) turns `/health` unhealthy in Connect's shape once it passed
 * WORKER_STUCK_TIMEOUT_MS, and SIGTERM still stops the worker within that bound; connectors asking `tasks.max=1024`
 * get no more task processes than WORKER_TASKS_MAX, together.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { type FakeBroker, startFakeBroker } from '../support/fake-kafka-broker.js';
import { bootstrap, captureLog, eventually, freshTopic } from '../support/harness.js';
import { runNode } from '../support/spawn-node.js';
import { call, closeAfterEach, startTestWorker } from '../support/worker-client.js';
import type { Worker } from '../../src/worker/worker.js';
import { workerOptions } from '../../src/worker/worker-config.js';

const STUCK_MS = 2000;

function connector(name: string, topic: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, 'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector', topics: topic, 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none', ...extra };
}

describe('a worker the attacker tries to stall', () => {
  let worker: Worker | undefined;
  let broker: FakeBroker | undefined;
  closeAfterEach(() => [worker, broker], () => (worker = broker = undefined));

  it('says unhealthy while a connector is stuck starting, and stops on SIGTERM within the bound', async () => {
    const topic = await freshTopic('sec_stuck', 1);
    broker = await startFakeBroker();
    const silent = broker.address;
    let signalledAt = 0;
    const seen: { before?: unknown; stuck?: { status: number; body: unknown } } = {};
    const run = await runNode(
      ['bin/kafka-http-sink.mjs', 'worker', '--port', '0', '--no-pipelines'],
      { WORKER_STATE_DIR: mkdtempSync(join(tmpdir(), 'worker-stuck-')), KAFKA_BOOTSTRAP_SERVERS: bootstrap(), WORKER_STUCK_TIMEOUT_MS: String(STUCK_MS) },
      async (child, stdout) => {
        await eventually(() => /listening on (\S+)/.test(stdout()), 30_000, 'the worker to listen');
        const url = /listening on (\S+)/.exec(stdout())![1]!;
        seen.before = (await call(url, 'GET', '/health')).body;
        const stuck = connector(`stuck_${topic}`, topic, { 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': `${topic}_dlq`, 'producer.override.bootstrap.servers': silent });
        expect((await call(url, 'POST', '/connectors', stuck)).status).toBe(201);
        await eventually(async () => (await call(url, 'GET', '/health')).status !== 200, STUCK_MS + 8000, '/health to turn unhealthy');
        const answer = await call(url, 'GET', '/health');
        seen.stuck = { status: answer.status, body: answer.body };
        signalledAt = Date.now();
        child.kill('SIGTERM');
      },
    );
    const stoppedAfter = Date.now() - signalledAt;

    expect(seen.before).toEqual({ status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' });
    expect(seen.stuck).toEqual({
      status: 500,
      body: { status: 'unhealthy', message: expect.stringMatching(/^Worker was unable to handle this request and may be unable to handle other requests\. 1 connector\(s\) stuck starting or stopping/) },
    });
    expect(JSON.stringify(seen.stuck)).not.toContain('stuck_'); // probes are open: no connector names
    // The stuck start would hold the worker for the producer's 30 s connect (and its exit for as long again); the
    // bound lets it go after 2 s, and the blocked native thread cannot hold the exit more than 1 s beyond.
    expect(run.stdout + run.stderr).toMatch(/connectors still busy after 2000 ms are abandoned \(WORKER_STUCK_TIMEOUT_MS\) connectors=\["stuck_/);
    expect(stoppedAfter).toBeLessThan(STUCK_MS + 6000);
  });

  it('starts no more task processes than WORKER_TASKS_MAX for all connectors together, and says so', async () => {
    const topic = await freshTopic('sec_fork', 4);
    const captured = captureLog();
    worker = await startTestWorker({ tasksMax: 2, tasksMaxPerConnector: 3 }, {}, captured);
    for (const name of [`fork_a_${topic}`, `fork_b_${topic}`]) {
      expect((await call(worker.url, 'POST', '/connectors', connector(name, topic, { 'tasks.max': 1024 }))).status).toBe(201);
      await eventually(async () => ((await call(worker!.url, 'GET', `/connectors/${name}/status`)).body as { connector: { state: string } }).connector.state === 'RUNNING', 60_000, `${name} to run`);
    }
    const tasks = async (name: string): Promise<number> => ((await call(worker!.url, 'GET', `/connectors/${name}/tasks`)).body as unknown[]).length;
    expect([await tasks(`fork_a_${topic}`), await tasks(`fork_b_${topic}`)]).toEqual([2, 1]);
    expect(captured.lines.join('')).toContain('tasks.max=1024: running 1 task inside the worker, as the worker runs at most 2 task processes for all its connectors together (WORKER_TASKS_MAX)');
    // The status page says it too, for each connector that runs fewer tasks than its per-connector cap.
    const page = (await call(worker.url, 'GET', '/ui/state')).body as { connectors: { name: string; notice?: string }[] };
    expect(page.connectors.map((c) => [c.name, c.notice])).toEqual([
      [`fork_a_${topic}`, expect.stringContaining('tasks.max=1024: running 2 task processes')],
      [`fork_b_${topic}`, expect.stringContaining('tasks.max=1024: running 1 task inside the worker')],
    ]);
  });

  it('answers a config of 40,000 keys (a 1 MB body) at once with a 400, and /health meanwhile', async () => {
    worker = await startTestWorker();
    const url = worker.url;
    // Each round of the validation re-reads the whole config: thousands of keys held the event loop for seconds.
    const many = connector('many_keys', 'sec_many', Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`transforms.t${i}`, 'x'])));
    const started = Date.now();
    const answers = [
      call(url, 'POST', '/connectors', many).then((r) => ({ ...r, after: Date.now() - started })),
      call(url, 'PUT', '/connector-plugins/HttpSinkConnector/config/validate', many).then((r) => ({ ...r, after: Date.now() - started })),
    ];
    await new Promise((resolve) => setTimeout(resolve, 300));
    const probed = Date.now();
    const health = await call(url, 'GET', '/health');
    const healthAfter = Date.now() - probed;
    const [create, validate] = await Promise.all(answers);

    expect(health.status).toBe(200);
    expect(healthAfter).toBeLessThan(3000);
    expect(create!.status).toBe(400);
    expect((create!.body as { message: string }).message).toContain('the config holds 40005 keys; a connector config may hold at most 1000');
    expect(JSON.stringify(validate!.body)).toContain('the config holds 40005 keys; a connector config may hold at most 1000');
    expect(Math.max(create!.after, validate!.after)).toBeLessThan(5000);
  });

  it('reads a ${file:...} file named a hundred times once, and refuses thousands of references at once', async () => {
    const allowed = mkdtempSync(join(tmpdir(), 'sec-refs-'));
    // A properties file the worker owner allowed, of some size (a few hundred kB, like a CA bundle beside it).
    writeFileSync(join(allowed, 'big.properties'), `pw=${'p'.repeat(12)}\n${Array.from({ length: 2000 }, (_, i) => `k${i}=${'v'.repeat(80)}`).join('\n')}`);
    const providers = workerOptions({ WORKER_CONFIG_PROVIDERS: 'file', WORKER_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: allowed }).providers;
    worker = await startTestWorker({ providers });
    const reference = `\${file:${allowed}/big.properties:pw}`;
    // 100 references and 880 unknown keys: each round of the validation read the file 100 times (31 s per request).
    const many = connector('many_refs', 'sec_refs', {
      ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`kafka.x${i}`, reference])),
      ...Object.fromEntries(Array.from({ length: 880 }, (_, i) => [`no.such.key${i}`, '1'])),
    });
    const started = Date.now();
    const answer = call(worker.url, 'POST', '/connectors', many).then((r) => ({ ...r, after: Date.now() - started }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const probed = Date.now();
    const health = await call(worker.url, 'GET', '/health');
    const healthAfter = Date.now() - probed;
    const created = await answer;
    expect(health.status).toBe(200);
    expect(healthAfter).toBeLessThan(8000);
    expect(created.status).toBe(400);
    expect((created.body as { message: string }).message).toContain('no.such.key0: unknown key');
    expect(created.after).toBeLessThan(10_000);

    const thousands = await call(worker.url, 'POST', '/connectors', connector('thousands', 'sec_refs', { 'http.headers.additional': `X-A: ${reference.repeat(20_000)}` }));
    expect(thousands.status).toBe(400);
    expect((thousands.body as { message: string }).message).toContain('the config holds 20000 ${...} references; a connector config may hold at most 100');
  });

  it('drops half-sent requests: at most 256 connections at once, and none kept past 10 s without its headers', async () => {
    worker = await startTestWorker();
    const { port } = new URL(worker.url);
    const closed: number[] = [];
    const sockets: Socket[] = [];
    const started = Date.now();
    for (let i = 0; i < 300; i++) {
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('error', () => undefined);
      socket.resume(); // read the server's answer (a 408), so that its close is seen
      socket.on('close', () => closed.push(Date.now() - started));
      socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // never the blank line that ends the headers
      sockets.push(socket);
    }
    try {
      // Past the bound of connections, the extra ones are closed at once.
      await eventually(() => closed.length >= 300 - 256, 5000, 'the connections past 256 to be closed');
      // The others once their headers are 10 s late (Node's default keeps them 60 s).
      await eventually(() => closed.length === 300, 16_000, 'every half-sent request to be dropped');
      expect((await call(worker.url, 'GET', '/health')).status).toBe(200);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});

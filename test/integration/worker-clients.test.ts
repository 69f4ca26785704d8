/**
 * The worker file configures its connectors' Kafka clients, as in Kafka Connect: with `bootstrap.servers` naming the
 * test broker (not on the default port) and `KAFKA_BOOTSTRAP_SERVERS` pointing at a closed loopback port, records
 * arrive, for a standalone worker (task processes included) and a cluster of two workers; its override policy refuses
 * what a connector may not set, with a 400 naming the key and the policy.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { produce, readTopic } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { startWorker, type Worker } from '../../src/worker/worker.js';
import { workerOptions } from '../../src/worker/worker-config.js';
import { baseConnector, bootstrap, captureLog, eventually, freshTopic } from '../support/harness.js';
import { call, closeAfterEach, tempStateDir } from '../support/worker-client.js';
import { clusterKeys, clusterReady } from '../support/worker-cluster.js';

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A worker as `kafka-http-sink worker <file>` starts one: its settings from the file's keys and its environment. */
async function fileWorker(file: Record<string, string>, env: Record<string, string>): Promise<Worker> {
  const settings = { WORKER_CONFIG_PROVIDERS: 'env', WORKER_CONFIG_PROVIDERS_ENV_ALLOWLIST_PATTERN: 'SERVER_URL', ...env };
  const options = workerOptions(settings, { port: 0, stateDir: tempStateDir(), pipelinesDir: undefined, tasksMaxPerConnector: 2 }, file);
  return startWorker(options, { env, log: captureLog().log });
}

let workers: Worker[] = [];
let receiver: Receiver | undefined;
closeAfterEach(() => [...workers, receiver], () => ((workers = []), (receiver = undefined)));

describe('the worker file configures its connectors\' Kafka clients', () => {
  it('standalone: records arrive through the file\'s broker (two task processes and the dead-letter producer), and Principal refuses other overrides', async () => {
    expect(bootstrap()).not.toMatch(/:9092$/);
    receiver = await startReceiver();
    const env = { KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${await closedPort()}`, SERVER_URL: receiver.url };
    const file = { 'bootstrap.servers': bootstrap(), 'consumer.fetch.max.wait.ms': '50', 'producer.linger.ms': '5', 'connector.client.config.override.policy': 'Principal' };
    const worker = await fileWorker(file, env);
    workers.push(worker);
    const topic = await freshTopic('worker_clients', 2);
    const name = `clients_${topic}`;
    const config = {
      ...baseConnector(name, topic, '${env:SERVER_URL}'),
      'tasks.max': '2',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': `${topic}_dlq`,
      'consumer.override.security.protocol': 'PLAINTEXT', // a principal key: allowed
    };

    const refused = await call(worker.url, 'POST', '/connectors', { name, config: { ...config, 'consumer.override.fetch.max.wait.ms': '10' } });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('consumer.override.fetch.max.wait.ms');
    expect(refused.text).toContain('connector.client.config.override.policy=Principal');

    expect((await call(worker.url, 'POST', '/connectors', { name, config })).status).toBe(201);
    await produce(bootstrap(), topic, [
      ...Array.from({ length: 20 }, (_, i) => ({ key: String(i), value: `{"n":${i}}`, partition: i % 2 })),
      { key: 'bad', value: 'not json', partition: 0 },
    ]);
    await receiver.waitForAccepted(20, 60_000);
    const bodies = receiver.accepted.map((r) => r.body.toString()).join('\n');
    for (let i = 0; i < 20; i++) expect(bodies).toContain(`"n":${i}}`);
    const dead = await readTopic(bootstrap(), `${topic}_dlq`, 1);
    expect(dead.map((r) => r.value?.toString())).toEqual(['not json']);
  });

  it('a cluster of two workers (group.id): records arrive through the file\'s broker', async () => {
    const id = randomBytes(4).toString('hex');
    receiver = await startReceiver();
    const env = { KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${await closedPort()}`, SERVER_URL: receiver.url };
    const file = clusterKeys(id, { 'consumer.fetch.max.wait.ms': '50' });
    workers.push(await fileWorker(file, env), await fileWorker(file, env));
    await clusterReady(workers);
    const topic = await freshTopic('worker_clients_cluster', 2);
    const name = `clients_${id}`;
    const config = { ...baseConnector(name, topic, '${env:SERVER_URL}'), 'tasks.max': '2' };
    expect((await call(workers[0]!.url, 'POST', '/connectors', { name, config })).status).toBe(201);
    await eventually(async () => (await call(workers[1]!.url, 'GET', `/connectors/${name}`)).status === 200, 10_000, 'worker 2 has the connector');

    await produce(bootstrap(), topic, Array.from({ length: 20 }, (_, i) => ({ key: String(i), value: `v${i}`, partition: i % 2 })));
    await receiver.waitForAccepted(20, 60_000);
    const bodies = receiver.accepted.map((r) => r.body.toString()).join('\n');
    for (let i = 0; i < 20; i++) expect(bodies).toContain(`v${i}`);
  });
});

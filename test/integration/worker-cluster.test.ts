/**
 * Cluster mode: workers sharing a `group.id` keep connectors in a config topic and task states in a status topic
 * on the real broker; any worker answers for every connector, and a restart of all of them keeps everything.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from '@jest/globals';
import rdkafka from 'node-rdkafka';
import { createTopic, produce, readTopic } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { Worker } from '../../src/worker/worker.js';
import { clusterOptions } from '../../src/worker/cluster/cluster-config.js';
import { TopicTail } from '../../src/worker/cluster/topic-tail.js';
import { providerPolicy } from '../../src/worker/worker-config.js';
import { bootstrap, type CapturedLog, captureLog, eventually, freshTopic } from '../support/harness.js';
import { call, startTestWorker } from '../support/worker-client.js';
import { clusterKeys, clusterReady } from '../support/worker-cluster.js';

/** The seed's connector file as is, pointed at a fresh topic under a fresh name. */
function seedConnector(name: string, topic: string): Record<string, unknown> {
  const seed = JSON.parse(readFileSync('pipelines/iot_measurements_sink.json', 'utf8')) as Record<string, unknown>;
  return { ...seed, name, topics: topic };
}

/** Worker-file keys of one cluster (fresh topics unless given), with the shortest session the broker allows so the test runs fast. */
function keysOf(id: string, configTopic = `connect-configs-${id}`): Record<string, string> {
  return clusterKeys(id, { 'config.storage.topic': configTopic, 'rebalance.timeout.ms': '10000', 'task.slots': '8' });
}

interface Status {
  connector: { state: string };
  tasks: { id: number; state: string; worker_id: string }[];
}

/** How long a loaded machine may take for the workers' group to (re)balance: joins, a leave, a restart of all workers. */
const GROUP_SETTLED_MS = 30_000;

/**
 * A write once a leader takes it: the answers that say the cluster is rebalancing (409 "no leader is known", 503
 * "cannot reach" the worker that led before) are retried, as they ask; any other answer is returned.
 */
async function whenLed(url: string, method: string, path: string, body?: unknown): Promise<Awaited<ReturnType<typeof call>>> {
  let answer: Awaited<ReturnType<typeof call>> | undefined;
  const rebalancing = (a: Awaited<ReturnType<typeof call>>): boolean => (a.status === 409 && a.text.includes('rebalancing')) || (a.status === 503 && a.text.includes('Cannot reach'));
  await eventually(async () => !rebalancing((answer = await call(url, method, path, body))), GROUP_SETTLED_MS, `${method} ${path} taken by a leader`);
  return answer!;
}

async function statusOf(url: string, name: string): Promise<Status | undefined> {
  const answer = await call(url, 'GET', `/connectors/${name}/status`);
  return answer.status === 200 ? (answer.body as Status) : undefined;
}

describe('worker cluster', () => {
  const workers: Worker[] = [];
  const logs = new Map<Worker, CapturedLog>();
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await closeAll();
    await receiver?.close();
    receiver = undefined;
  });

  /** Closes every worker; a close slower than 5 s prints that worker's warnings, so a hang names its step. */
  async function closeAll(): Promise<void> {
    await Promise.all(
      workers.splice(0).map(async (w) => {
        const started = Date.now();
        await w.close();
        const took = Date.now() - started;
        if (took > 5000) process.stderr.write(`worker ${w.url} took ${took} ms to close:\n${logs.get(w)!.lines.slice(-30).join('')}\n`);
      }),
    );
  }

  async function startClusterWorker(keys: Record<string, string>, env: Record<string, string> = { SERVER_URL: receiver!.url }): Promise<Worker> {
    const captured = captureLog();
    const worker = await startTestWorker({ cluster: clusterOptions(keys), providers: providerPolicy('env', null, '[A-Z_]+') }, env, captured);
    workers.push(worker);
    logs.set(worker, captured);
    return worker;
  }

  it('shares a connector created on one worker: seen, delivered, paused and deleted through another', async () => {
    const id = randomBytes(4).toString('hex');
    receiver = await startReceiver();
    const topic = await freshTopic('cluster', 2);
    const [w1, w2] = [await startClusterWorker(keysOf(id)), await startClusterWorker(keysOf(id))];
    await clusterReady([w1, w2], GROUP_SETTLED_MS);
    const name = `iot_${id}`;

    expect((await call(w1!.url, 'POST', '/connectors', seedConnector(name, topic))).status).toBe(201);
    await eventually(async () => ((await call(w2!.url, 'GET', '/connectors')).body as string[]).includes(name), 10_000, 'worker 2 lists the connector');
    // tasks.max defaults to 1: one task, RUNNING on exactly one worker, and both workers say so
    for (const w of [w1!, w2!]) {
      await eventually(async () => (await statusOf(w.url, name))?.tasks.map((t) => t.state).join() === 'RUNNING', 15_000, `RUNNING on ${w.url}`);
    }
    expect((await statusOf(w1!.url, name))?.tasks[0]?.worker_id).toBe((await statusOf(w2!.url, name))?.tasks[0]?.worker_id);
    // metrics: each worker shows the cluster's view of the connector's tasks, whichever worker runs it
    for (const w of [w1!, w2!]) {
      expect((await call(w.url, 'GET', '/metrics')).text).toContain(`kafka_http_sink_cluster_tasks{connector="${name}",state="RUNNING"} 1`);
      const page = (await call(w.url, 'GET', '/ui/state')).body as { connectors: { name: string; cluster?: { state: string }[] }[] };
      expect(page.connectors.find((c) => c.name === name)?.cluster?.map((t) => t.state)).toEqual(['RUNNING']);
    }

    await produce(bootstrap(), topic, Array.from({ length: 20 }, (_, i) => ({ key: String(i), value: `{"iot_id":${i}}`, partition: i % 2 })));
    await receiver.waitForAccepted(20, 30_000);
    const bodies = receiver.accepted.map((r) => r.body.toString());
    for (let i = 0; i < 20; i++) expect(bodies.some((b) => b.includes(`"iot_id":${i}}`))).toBe(true);

    expect((await call(w2!.url, 'PUT', `/connectors/${name}/pause`)).status).toBe(202);
    await eventually(async () => (await statusOf(w1!.url, name))?.connector.state === 'PAUSED', 10_000, 'PAUSED seen on worker 1');
    await eventually(async () => (await statusOf(w1!.url, name))?.tasks[0]?.state === 'PAUSED', 10_000, 'task PAUSED seen on worker 1');

    // The config topic holds the config as written: the reference, never the receiver's address it resolves to.
    const records = await readTopic(bootstrap(), `connect-configs-${id}`, 3);
    const text = records.map((r) => `${r.key?.toString()}=${r.value?.toString()}`).join('\n');
    expect(text).toContain(`connector-${name}=`);
    expect(text).toContain('${env:SERVER_URL}');
    expect(text).toContain(`target-state-${name}={"state":"PAUSED"}`);
    expect(text).not.toContain(receiver.url);

    expect((await call(w2!.url, 'DELETE', `/connectors/${name}`)).status).toBe(204);
    await eventually(async () => (await call(w1!.url, 'GET', `/connectors/${name}`)).status === 404, 10_000, 'deleted on worker 1');
    expect((await call(w2!.url, 'GET', '/connectors')).body).toEqual([]);
  });

  it('answers a POST 201 only once the config topic holds it: a plain consumer sees it at once, worker 2 within the session timeout', async () => {
    const id = randomBytes(4).toString('hex');
    receiver = await startReceiver();
    const topic = await freshTopic('cluster_durable', 1);
    const keys = keysOf(id);
    const [w1, w2] = [await startClusterWorker(keys), await startClusterWorker(keys)];
    await clusterReady([w1, w2], GROUP_SETTLED_MS);
    const name = `durable_${id}`;

    expect((await call(w1!.url, 'POST', '/connectors', seedConnector(name, topic))).status).toBe(201);
    // right after the answer: both records committed (the high watermark counts only fully replicated records), each
    // in its own transaction, so followed by its commit marker (docs/cluster.md: fenced config writes) ...
    expect(await highWatermark(bootstrap(), keys['config.storage.topic']!)).toBe(4);
    // ... and read back by worker 1 (its GET needs no wait), and a plain consumer reads them
    expect((await call(w1!.url, 'GET', `/connectors/${name}`)).status).toBe(200);
    const records = await readTopic(bootstrap(), keys['config.storage.topic']!, 2);
    expect(records.map((r) => r.key?.toString())).toEqual([`connector-${name}`, `target-state-${name}`]);
    expect(JSON.parse(records[0]!.value!.toString())).toMatchObject({ name, topics: topic });
    await eventually(async () => (await call(w2!.url, 'GET', `/connectors/${name}`)).status === 200, Number(keys['session.timeout.ms']), 'worker 2 answers GET for the connector');
  });

  it('refuses a config topic with 3 partitions, naming it', async () => {
    const id = randomBytes(4).toString('hex');
    receiver = await startReceiver();
    const wide = `connect-configs-wide-${id}`;
    await createTopic(bootstrap(), wide, 3);
    await expect(startClusterWorker(keysOf(id, wide))).rejects.toThrow(new RegExp(`config\\.storage\\.topic: topic ${wide} has 3 partitions`));
  });

  it('keeps every connector and its paused state across a restart of all workers', async () => {
    const id = randomBytes(4).toString('hex');
    receiver = await startReceiver();
    const topic = await freshTopic('cluster_restart', 1);
    const [w1, w2] = [await startClusterWorker(keysOf(id)), await startClusterWorker(keysOf(id))];
    await clusterReady([w1, w2], GROUP_SETTLED_MS);
    expect((await call(w1!.url, 'POST', '/connectors', seedConnector(`running_${id}`, topic))).status).toBe(201);
    expect(await call(w2!.url, 'POST', '/connectors', seedConnector(`paused_${id}`, topic))).toMatchObject({ status: 201 });
    await eventually(async () => ((await call(w1!.url, 'GET', '/connectors')).body as string[]).length === 2, 10_000, 'both connectors on worker 1');
    expect((await call(w1!.url, 'PUT', `/connectors/paused_${id}/pause`)).status).toBe(202);
    await eventually(async () => (await statusOf(w2!.url, `paused_${id}`))?.connector.state === 'PAUSED', 10_000, 'paused on worker 2');
    await closeAll();

    const [w3, w4] = [await startClusterWorker(keysOf(id)), await startClusterWorker(keysOf(id))];
    for (const w of [w3!, w4!]) {
      expect((await call(w.url, 'GET', '/connectors')).body).toEqual([`paused_${id}`, `running_${id}`]);
      // two new workers join one after the other: the tasks may start, then move, before the group settles
      await eventually(async () => (await statusOf(w.url, `running_${id}`))?.tasks.map((t) => t.state).join() === 'RUNNING', GROUP_SETTLED_MS, `running_ RUNNING on ${w.url}`);
      await eventually(async () => (await statusOf(w.url, `paused_${id}`))?.tasks.map((t) => t.state).join() === 'PAUSED', GROUP_SETTLED_MS, `paused_ PAUSED on ${w.url}`);
    }
  });

  // review of issue 15, HIGH 1: a worker that cannot resolve a config's reference used to drop it, then its next
  // REST save wrote tombstones for it, deleting the connector from the whole cluster. Saves are the leader's now:
  // the connector is created while a worker that resolves it leads, then one that cannot becomes the leader.
  it('keeps a connector the leader cannot resolve when it saves another one', async () => {
    const id = randomBytes(4).toString('hex');
    receiver = await startReceiver();
    const topic = await freshTopic('cluster_env', 1);
    const w1 = await startClusterWorker(keysOf(id));
    await clusterReady([w1], GROUP_SETTLED_MS);
    const shared = `shared_${id}`;
    expect((await call(w1.url, 'POST', '/connectors', seedConnector(shared, topic))).status).toBe(201);
    const w2 = await startClusterWorker(keysOf(id), {}); // no SERVER_URL here
    await eventually(async () => ((await call(w2.url, 'GET', '/connectors')).body as string[]).includes(shared), 10_000, 'worker 2 lists the connector it cannot resolve');
    await w1.close(); // worker 2 alone: it leads
    workers.splice(workers.indexOf(w1), 1);
    const local = { ...seedConnector(`local_${id}`, topic), 'http.url': receiver.url };
    // worker 2 leads once the group rebalanced after worker 1 left (until then it answers "rebalancing, retry")
    expect(await whenLed(w2.url, 'POST', '/connectors', local)).toMatchObject({ status: 201 });
    expect((await whenLed(w2.url, 'PUT', `/connectors/local_${id}/pause`)).status).toBe(202);
    await eventually(async () => (await statusOf(w2.url, `local_${id}`))?.connector.state === 'PAUSED', 10_000, 'paused seen on worker 2');
    expect((await call(w2.url, 'GET', '/connectors')).body).toEqual([`local_${id}`, shared]);
    const records = await readTopic(bootstrap(), `connect-configs-${id}`, 5);
    expect(records.filter((r) => r.value === null || r.value === undefined).map((r) => r.key?.toString())).toEqual([]);
  });

  // issue 24: two workers that took the same new name at once both answered 201 (the last write won)
  it('gives one 201 and one 409 to two creates of one name sent at once to two workers', async () => {
    const id = randomBytes(4).toString('hex');
    receiver = await startReceiver();
    const topic = await freshTopic('cluster_race', 1);
    const [w1, w2] = [await startClusterWorker(keysOf(id)), await startClusterWorker(keysOf(id))];
    await clusterReady([w1, w2], GROUP_SETTLED_MS); // else both could answer 409 "no leader is known" while the group rebalances
    for (const round of [1, 2, 3]) {
      const name = `race_${round}_${id}`;
      const answers = await Promise.all([w1, w2].map((w, i) => call(w.url, 'POST', '/connectors', { ...seedConnector(name, topic), 'batch.max.size': String(10 + i) })));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      expect(answers.find((a) => a.status === 409)?.body).toMatchObject({ message: `Connector ${name} already exists` });
      // the 201's config is the one every worker holds
      const winner = answers.findIndex((a) => a.status === 201);
      for (const w of [w1, w2]) {
        await eventually(async () => (await call(w.url, 'GET', `/connectors/${name}/config`)).status === 200, 10_000, `${name} on ${w.url}`);
        expect(((await call(w.url, 'GET', `/connectors/${name}/config`)).body as Record<string, string>)['batch.max.size']).toBe(String(10 + winner));
      }
    }
  });

  // issue 24: /ready answered 503 forever on a worker that did not run every connector
  it('answers /ready 200 on every worker once each started the tasks of its own slots', async () => {
    const id = randomBytes(4).toString('hex');
    receiver = await startReceiver();
    const topic = await freshTopic('cluster_ready', 1);
    const [w1, w2] = [await startClusterWorker(keysOf(id)), await startClusterWorker(keysOf(id))];
    await clusterReady([w1, w2], GROUP_SETTLED_MS); // a leader is known
    expect((await call(w1.url, 'POST', '/connectors', seedConnector(`one_task_${id}`, topic))).status).toBe(201); // tasks.max=1: one worker runs it
    // the slot's owner starts the task; until then the other worker may still be ready without having read the config
    const runsIt = async (): Promise<boolean[]> => Promise.all([w1, w2].map(async (w) => (await call(w.url, 'GET', '/connectors')).status === 200 && w.connectors.get(`one_task_${id}`)?.state === 'RUNNING'));
    await eventually(async () => (await runsIt()).some(Boolean), 15_000, 'one worker runs the task');
    for (const w of [w1, w2]) await eventually(async () => (await call(w.url, 'GET', '/ready')).status === 200, 15_000, `${w.url} ready`);
    expect((await runsIt()).filter(Boolean)).toHaveLength(1);
  });

  // issue 24: a status reader whose consume failed said nothing, and its worker saw its peers as dead
  it('logs a consume error of an internal topic\'s reader, once, naming the topic', async () => {
    const topic = await freshTopic('tail_errors', 1);
    const { log, lines } = captureLog();
    const tail = new TopicTail({ 'bootstrap.servers': bootstrap() }, topic, log, () => undefined);
    await tail.start(1);
    // the reader's consumer goes away under it: every poll from now on fails
    const consumer = (tail as unknown as { consumer: rdkafka.KafkaConsumer }).consumer;
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
    await eventually(() => lines.some((l) => l.includes('cannot read an internal topic')), 5000, 'the consume error logged');
    await new Promise((resolve) => setTimeout(resolve, 500)); // several more failed polls
    const logged = lines.filter((l) => l.includes('cannot read an internal topic'));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({ level: 'warn', topic });
    await tail.close();
  });
});

/** The high watermark of partition 0 of `topic`, asked of the broker with a plain consumer (no group joined). */
async function highWatermark(bootstrapServers: string, topic: string): Promise<number> {
  const consumer = new rdkafka.KafkaConsumer({ 'bootstrap.servers': bootstrapServers, 'group.id': `watermark-${Date.now()}` }, {});
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(err) : resolve())));
  try {
    return await new Promise<number>((resolve, reject) => consumer.queryWatermarkOffsets(topic, 0, 10_000, (err, offsets) => (err ? reject(err) : resolve(offsets.highOffset))));
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

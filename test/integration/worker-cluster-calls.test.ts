/**
 * Cluster mode, every worker answers every call: the Connect 3.9 writes made on a follower go through the leader,
 * and the calls about a task made on the worker that does not run it act where it runs (task and connector
 * restarts, tasks, topics, loggers with scope=cluster).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { clusterOptions } from '../../src/worker/cluster/cluster-config.js';
import { FORWARDED_HEADER } from '../../src/worker/cluster/forward.js';
import { providerPolicy } from '../../src/worker/worker-config.js';
import type { Worker } from '../../src/worker/worker.js';
import { baseConnector, bootstrap, captureLog, committed, eventually, freshTopic } from '../support/harness.js';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { call, countingStarts, startTestWorker } from '../support/worker-client.js';
import { clusterKeys, clusterReady } from '../support/worker-cluster.js';

interface Status {
  connector: { state: string };
  tasks: { id: number; state: string; worker_id: string }[];
}

describe('worker cluster: calls on any worker', () => {
  const workers: Worker[] = [];
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await receiver?.close();
    receiver = undefined;
  });

  it('takes every write on a follower, and acts on a task from the worker that does not run it', async () => {
    const id = randomBytes(4).toString('hex');
    receiver = await startReceiver();
    const keys = clusterKeys(id, { 'heartbeat.interval.ms': '300', 'task.slots': '8' });
    const counters = [countingStarts(), countingStarts()];
    for (const counter of counters) {
      workers.push(await startTestWorker({ cluster: clusterOptions(keys), providers: providerPolicy('env', null, '[A-Z_]+') }, {}, captureLog(), counter.start));
    }
    // who leads, once both workers joined (slot 0 may move as the second one joins)
    await clusterReady(workers, 30_000);
    // asked of the workers themselves: the status topic's leader record may still name the worker that led before
    // the second one joined. A write already forwarded is taken only by the leader (404 here: no such connector);
    // another worker answers 409 "not the leader"
    const leads = async (w: Worker): Promise<boolean> => (await call(w.url, 'PUT', `/connectors/probe_${id}/pause`, undefined, { [FORWARDED_HEADER]: '1' })).status === 404;
    let leading: boolean[] = [];
    await eventually(async () => (leading = await Promise.all(workers.map(leads))).filter(Boolean).length === 1, 30_000, 'one worker leading');
    const follower = workers[leading.indexOf(false)]!;
    const other = workers[leading.indexOf(true)]!;

    // 1. the Connect 3.9 writes, each made on the follower
    const topic = await freshTopic('cluster_calls', 1);
    const name = `calls_${id}`;
    const config = baseConnector(name, topic, receiver.url);
    expect((await call(follower.url, 'POST', '/connectors', { name, config, initial_state: 'PAUSED' })).status).toBe(201);
    for (const w of workers) await eventually(async () => ((await call(w.url, 'GET', `/connectors/${name}/status`)).body as Status | undefined)?.connector.state === 'PAUSED', 15_000, `PAUSED on ${w.url}`);
    const patched = await call(follower.url, 'PATCH', `/connectors/${name}/config`, { 'errors.tolerance': 'all', 'key.converter': null });
    expect(patched.status).toBe(200);
    // the leader applied the change before it answered
    expect((await call(other.url, 'GET', `/connectors/${name}/config`)).body).toMatchObject({ 'errors.tolerance': 'all' });
    expect((await call(other.url, 'GET', `/connectors/${name}/config`)).body).not.toHaveProperty('key.converter');
    expect((await call(follower.url, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await produce(bootstrap(), topic, Array.from({ length: 4 }, (_, i) => ({ value: `v${i}` })));
    await receiver.waitForAccepted(4, 30_000);
    await eventually(async () => (await committed(name, topic, 1))[0] === 4, 15_000, 'offset 4 committed');

    // 2. the task runs on one worker (A); every call below is made on the other (B)
    let status: Status | undefined;
    await eventually(async () => {
      status = (await call(follower.url, 'GET', `/connectors/${name}/status`)).body as Status;
      return status.tasks[0]?.state === 'RUNNING';
    }, 15_000, 'task 0 RUNNING');
    const a = workers.find((w) => w.url.endsWith(`//${status!.tasks[0]!.worker_id}`))!;
    const b = workers.find((w) => w !== a)!;
    const startsOnA = counters[workers.indexOf(a)]!.starts;
    const before = startsOnA.get(name) ?? 0;
    expect(before).toBeGreaterThan(0);

    expect((await call(b.url, 'GET', `/connectors/${name}/tasks`)).body).toMatchObject([{ id: { connector: name, task: 0 } }]);
    expect((await call(b.url, 'GET', `/connectors/${name}`)).body).toMatchObject({ tasks: [{ connector: name, task: 0 }] });
    expect(Object.keys((await call(b.url, 'GET', `/connectors/${name}/tasks-config`)).body as object)).toEqual([`${name}-0`]);
    expect((await call(b.url, 'GET', `/connectors/${name}/topics`)).body).toEqual({ [name]: { topics: [topic] } });
    // a connector with a task in every slot: both workers run some of its tasks, and each lists all of them
    const wide = `wide_${id}`;
    expect((await call(a.url, 'POST', '/connectors', { name: wide, config: { ...baseConnector(wide, topic, receiver.url), 'tasks.max': '8' }, initial_state: 'PAUSED' })).status).toBe(201);
    await eventually(async () => ((await call(b.url, 'GET', `/connectors/${wide}/status`)).body as Status).tasks.filter((t) => t.state === 'PAUSED').length === 8, 20_000, 'eight tasks PAUSED');
    for (const w of workers) expect(((await call(w.url, 'GET', `/connectors/${wide}/tasks`)).body as { id: { task: number } }[]).map((t) => t.id.task)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(((await call(b.url, 'GET', `/connectors/${wide}/status`)).body as Status).tasks.map((t) => t.worker_id)).size).toBe(2);
    expect((await call(b.url, 'DELETE', `/connectors/${wide}`)).status).toBe(204);

    expect((await call(b.url, 'PUT', `/connectors/${name}/topics/reset`)).status).toBe(202);
    expect((await call(a.url, 'GET', `/connectors/${name}/topics`)).body).toEqual({ [name]: { topics: [] } }); // reset on A too

    expect((await call(b.url, 'POST', `/connectors/${name}/tasks/0/restart`)).status).toBe(204);
    await eventually(() => (startsOnA.get(name) ?? 0) === before + 1, 15_000, 'task 0 restarted on worker A');
    expect((await call(b.url, 'POST', `/connectors/${name}/restart`)).status).toBe(204);
    await eventually(() => (startsOnA.get(name) ?? 0) === before + 2, 15_000, 'the connector restarted on worker A');

    const logger = `org.apache.kafka.connect.runtime.WorkerSinkTask`;
    expect((await call(b.url, 'PUT', `/admin/loggers/${logger}?scope=cluster`, { level: 'DEBUG' })).status).toBe(204);
    expect((await call(a.url, 'GET', `/admin/loggers/${logger}`)).body).toMatchObject({ level: 'DEBUG' });

    // stop and the group's offsets, on the follower
    expect((await call(follower.url, 'PUT', `/connectors/${name}/stop`)).status).toBe(204);
    for (const w of workers) await eventually(async () => ((await call(w.url, 'GET', `/connectors/${name}/status`)).body as Status).connector.state === 'STOPPED', 15_000, `STOPPED on ${w.url}`);
    await eventually(async () => (await call(follower.url, 'PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 1 } }] })).status === 200, 20_000, 'offsets altered on the follower');
    expect((await committed(name, topic, 1))[0]).toBe(1);
    const reset = await call(follower.url, 'DELETE', `/connectors/${name}/offsets`);
    expect(reset).toMatchObject({ status: 200, body: { message: 'The offsets for this connector have been reset successfully' } });
    expect((await committed(name, topic, 1))[0]).toBe(0); // back to where the connector starts (auto.offset.reset=earliest)
  });
});

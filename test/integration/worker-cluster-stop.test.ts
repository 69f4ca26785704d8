/**
 * Cluster mode: a connector stopped through one worker (KIP-875) is STOPPED on every worker, through the config topic's
 * target-state record; its offsets are altered through another worker, and resuming it delivers from there.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { clusterOptions } from '../../src/worker/cluster/cluster-config.js';
import { providerPolicy } from '../../src/worker/worker-config.js';
import type { Worker } from '../../src/worker/worker.js';
import { bootstrap, captureLog, committed, eventually, freshTopic } from '../support/harness.js';
import { produce, readTopic } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { call, startTestWorker } from '../support/worker-client.js';
import { clusterKeys, clusterReady } from '../support/worker-cluster.js';

describe('worker cluster: stop and offsets', () => {
  const workers: Worker[] = [];
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await receiver?.close();
    receiver = undefined;
  });

  it('stops through worker 1, shows STOPPED on worker 2, alters offsets through worker 2, and resumes from there', async () => {
    const id = randomBytes(4).toString('hex');
    receiver = await startReceiver();
    const keys = clusterKeys(id);
    for (let i = 0; i < 2; i++) workers.push(await startTestWorker({ cluster: clusterOptions(keys), providers: providerPolicy('env', null, '[A-Z_]+') }, {}, captureLog()));
    const [w1, w2] = workers as [Worker, Worker];
    await clusterReady(workers);
    const topic = await freshTopic('cluster_stop', 1);
    const name = `stop_${topic}`;
    const config = { 'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector', topics: topic, 'http.url': receiver.url, 'http.authorization.type': 'none', 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' };
    expect((await call(w1.url, 'POST', '/connectors', { name, config })).status).toBe(201);
    await produce(bootstrap(), topic, Array.from({ length: 4 }, (_, i) => ({ value: `v${i}` })));
    await receiver.waitForAccepted(4, 30_000);
    await eventually(async () => (await committed(name, topic, 1))[0] === 4, 15_000, 'offset 4 committed');

    expect((await call(w1.url, 'PUT', `/connectors/${name}/stop`)).status).toBe(204);
    await eventually(async () => (await call(w2.url, 'GET', `/connectors/${name}/status`)).text.includes('"STOPPED"'), 15_000, 'STOPPED on worker 2');
    const records = await readTopic(bootstrap(), `connect-configs-${id}`, 3);
    expect(records.map((r) => `${r.key}=${r.value}`)).toContain(`target-state-${name}={"state":"PAUSED","state.v2":"STOPPED"}`);
    // the task that ran on either worker has left the group once both show STOPPED; a 409 meanwhile is retried
    await eventually(async () => (await call(w2.url, 'PATCH', `/connectors/${name}/offsets`, { to_earliest: true })).status === 200, 20_000, 'offsets altered through worker 2');
    expect((await committed(name, topic, 1))[0]).toBe(0);
    expect((await call(w2.url, 'GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [{ partition: { kafka_partition: 0, kafka_topic: topic }, offset: { kafka_offset: 0 } }] });

    expect((await call(w2.url, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await receiver.waitForAccepted(8, 30_000);
    expect(receiver.accepted.slice(4).map((r) => r.body.toString())).toEqual(receiver.accepted.slice(0, 4).map((r) => r.body.toString()));
  });
});

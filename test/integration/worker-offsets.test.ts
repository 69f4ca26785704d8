/**
 * Kafka Connect 3.9's offsets management on the worker (KIP-875 stop, alter, reset; KIP-980 initial state) and our
 * replay from a time, against the real broker: what the receiver gets again, and what the consumer group holds.
 */
import { describe, expect, it } from '@jest/globals';
import { offsetsCommand } from '../../src/cli/offsets-command.js';
import type { Worker } from '../../src/worker/worker.js';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { bootstrap, captureLog, committed, eventually, freshTopic } from '../support/harness.js';
import { call, closeAfterEach, startTestWorker, tempStateDir } from '../support/worker-client.js';

function connector(name: string, topic: string, url: string): Record<string, unknown> {
  return {
    'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector',
    topics: topic,
    'http.url': url,
    'http.authorization.type': 'none',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    name,
  };
}

const records = (tag: string, count: number) => Array.from({ length: count }, (_, i) => ({ value: `${tag}-${i}` }));
const bodies = (receiver: Receiver) => receiver.accepted.map((r) => r.body.toString());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const offsetsOf = (topic: string, offset: number) => ({ offsets: [{ partition: { kafka_partition: 0, kafka_topic: topic }, offset: { kafka_offset: offset } }] });
const NOT_STOPPED = (name: string) =>
  `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`;

describe('worker offsets management', () => {
  let worker: Worker | undefined;
  let receiver: Receiver | undefined;
  closeAfterEach(() => [worker, receiver], () => (worker = receiver = undefined));

  async function running(prefix: string, stateDir = tempStateDir()): Promise<{ worker: Worker; receiver: Receiver; topic: string; name: string }> {
    const topic = await freshTopic(`offsets_${prefix}`, 1);
    receiver = await startReceiver();
    worker = await startTestWorker({ stateDir }, {}, captureLog());
    const name = `${prefix}_${topic}`;
    expect((await call(worker.url, 'POST', '/connectors', { name, config: connector(name, topic, receiver.url) })).status).toBe(201);
    return { worker, receiver, topic, name };
  }

  it('stop, then alter to a time: the records from that time are delivered again, exactly those', async () => {
    const { worker, receiver, topic, name } = await running('time');
    await produce(bootstrap(), topic, records('before', 5));
    await receiver.waitForAccepted(5, 30_000);
    await sleep(100);
    const from = new Date();
    await sleep(100);
    await produce(bootstrap(), topic, records('after', 3));
    await receiver.waitForAccepted(8, 30_000);
    await eventually(async () => (await committed(name, topic, 1))[0] === 8, 15_000, 'offset 8 committed');

    expect(await call(worker.url, 'PATCH', `/connectors/${name}/offsets`, { to_datetime: from.toISOString() })).toMatchObject({ status: 400, body: { error_code: 400, message: NOT_STOPPED(name) } });
    expect((await call(worker.url, 'PUT', `/connectors/${name}/stop`)).status).toBe(204);
    expect((await call(worker.url, 'GET', `/connectors/${name}/status`)).body).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
    expect((await call(worker.url, 'GET', `/connectors/${name}`)).body).toMatchObject({ tasks: [], config: { topics: topic } });
    expect((await call(worker.url, 'GET', `/connectors/${name}/offsets`)).body).toEqual(offsetsOf(topic, 8));

    const dryRun = await call(worker.url, 'PATCH', `/connectors/${name}/offsets?dry_run=true`, { to_datetime: from.toISOString() });
    expect(dryRun).toMatchObject({ status: 200, body: offsetsOf(topic, 5) });
    expect((await committed(name, topic, 1))[0]).toBe(8); // a dry run commits nothing
    const altered = await call(worker.url, 'PATCH', `/connectors/${name}/offsets`, { to_datetime: from.toISOString() });
    expect(altered).toMatchObject({ status: 200, body: { message: 'The offsets for this connector have been altered successfully', ...offsetsOf(topic, 5) } });
    expect((await call(worker.url, 'GET', `/connectors/${name}/offsets`)).body).toEqual(offsetsOf(topic, 5));

    expect((await call(worker.url, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await receiver.waitForAccepted(11, 30_000);
    await sleep(500); // nothing more comes
    expect(bodies(receiver).slice(8)).toEqual(bodies(receiver).slice(5, 8));
    expect(bodies(receiver)).toHaveLength(11);
    expect(bodies(receiver).slice(8).every((b) => b.includes('after'))).toBe(true);
  });

  it('stop, reset, resume: everything is delivered again from the start; Connect\'s answers to alter and reset', async () => {
    const { worker, receiver, topic, name } = await running('reset');
    await produce(bootstrap(), topic, records('r', 4));
    await receiver.waitForAccepted(4, 30_000);
    expect(await call(worker.url, 'DELETE', `/connectors/${name}/offsets`)).toMatchObject({ status: 400, body: { message: NOT_STOPPED(name) } });
    expect(await call(worker.url, 'DELETE', '/connectors/nope/offsets')).toMatchObject({ status: 404, body: { message: 'Connector nope not found' } });
    expect(await call(worker.url, 'PATCH', `/connectors/${name}/offsets`, { offsets: [] })).toMatchObject({ status: 400, body: { message: 'Partitions / offsets need to be provided for an alter offsets request' } });
    expect((await call(worker.url, 'PUT', `/connectors/${name}/stop`)).status).toBe(204);
    expect(await call(worker.url, 'PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition: { kafka_topic: topic }, offset: { kafka_offset: 1 } }] })).toMatchObject({
      status: 400,
      body: { message: "The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'" },
    });
    const explicit = await call(worker.url, 'PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: '3' } }] });
    expect(explicit).toEqual(expect.objectContaining({ status: 200, body: { message: 'The offsets for this connector have been altered successfully' } }));
    expect((await committed(name, topic, 1))[0]).toBe(3);

    expect(await call(worker.url, 'DELETE', `/connectors/${name}/offsets`)).toMatchObject({ status: 200, body: { message: 'The offsets for this connector have been reset successfully' } });
    expect((await committed(name, topic, 1))[0]).toBe(0); // where the connector starts with nothing committed (auto.offset.reset=earliest)
    expect((await call(worker.url, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await receiver.waitForAccepted(8, 30_000);
    expect(bodies(receiver).slice(4)).toEqual(bodies(receiver).slice(0, 4));
  });

  it('a connector created PAUSED delivers nothing until resumed; one created STOPPED runs no task', async () => {
    const topic = await freshTopic('offsets_initial', 1);
    receiver = await startReceiver();
    worker = await startTestWorker({}, {}, captureLog());
    const name = `paused_${topic}`;
    const created = await call(worker.url, 'POST', '/connectors', { name, config: connector(name, topic, receiver.url), initial_state: 'PAUSED' });
    expect(created.status).toBe(201);
    await produce(bootstrap(), topic, records('p', 3));
    await eventually(async () => (await call(worker!.url, 'GET', `/connectors/${name}/status`)).text.includes('"PAUSED"'), 15_000, 'PAUSED');
    await sleep(1500);
    expect(receiver.requests).toHaveLength(0);
    expect((await call(worker.url, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await receiver.waitForAccepted(3, 30_000);

    const stopped = `stopped_${topic}`;
    expect((await call(worker.url, 'POST', '/connectors', { name: stopped, config: connector(stopped, topic, receiver.url), initial_state: 'STOPPED' })).status).toBe(201);
    expect((await call(worker.url, 'GET', `/connectors/${stopped}/status`)).body).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
    expect(await call(worker.url, 'POST', '/connectors', { name: 'bad', config: connector('bad', topic, receiver.url), initial_state: 'SLEEPING' })).toMatchObject({ status: 400 });
  });

  it('after a worker restart a stopped connector stays STOPPED and its offsets read back as the group holds them', async () => {
    const stateDir = tempStateDir();
    const first = await running('restart', stateDir);
    await produce(bootstrap(), first.topic, records('k', 3));
    await first.receiver.waitForAccepted(3, 30_000);
    expect((await call(first.worker.url, 'PUT', `/connectors/${first.name}/stop`)).status).toBe(204);
    await first.worker.close();
    worker = await startTestWorker({ stateDir }, {}, captureLog());
    expect((await call(worker.url, 'GET', `/connectors/${first.name}/status`)).body).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
    const held = (await committed(first.name, first.topic, 1))[0]!;
    expect(held).toBe(3);
    expect((await call(worker.url, 'GET', `/connectors/${first.name}/offsets`)).body).toEqual(offsetsOf(first.topic, held));
  });

  it('kafka-http-sink offsets: a dry run prints the plan and commits nothing; --execute commits it; refused while the connector runs', async () => {
    const { worker, receiver, topic, name } = await running('cli');
    await produce(bootstrap(), topic, records('c', 4));
    await receiver.waitForAccepted(4, 30_000);
    await eventually(async () => (await committed(name, topic, 1))[0] === 4, 15_000, 'offset 4 committed');
    const env = { KAFKA_BOOTSTRAP_SERVERS: bootstrap() };
    const out: string[] = [];
    const print = (text: string) => void out.push(text);

    expect(await offsetsCommand([name, '--shift-by', '-3', '--execute'], env, print)).toBe(1); // the connector's task is a member
    expect((await committed(name, topic, 1))[0]).toBe(4);
    expect((await call(worker.url, 'PUT', `/connectors/${name}/stop`)).status).toBe(204);

    expect(await offsetsCommand([name, '--shift-by', '-3', '--dry-run'], env, print)).toBe(0);
    expect(out.join('\n')).toMatch(new RegExp(`connect-${name}\\s+${topic}\\s+0\\s+4\\s+1`));
    expect((await committed(name, topic, 1))[0]).toBe(4);
    expect(await offsetsCommand([name, '--shift-by', '-3', '--execute'], env, print)).toBe(0);
    expect((await committed(name, topic, 1))[0]).toBe(1);
    expect(await offsetsCommand([name, '--to-latest', '--execute'], env, print)).toBe(0);
    expect((await committed(name, topic, 1))[0]).toBe(4);
    expect((await call(worker.url, 'GET', `/connectors/${name}/offsets`)).body).toEqual(offsetsOf(topic, 4));
  });
});

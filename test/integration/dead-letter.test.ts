/** Dead-letter queue: failed records (batch mode too) written with context headers; offsets only after the broker acked. */
import { afterEach, describe, expect, it } from '@jest/globals';
import rdkafka from 'node-rdkafka';
import { produce, readTopic } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { DeadLetterError } from '../../src/common/errors.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { baseConnector, bootstrap, captureLog, committed, committedIs, eventually, freshTopic, runConnector } from '../support/harness.js';

describe('dead-letter queue', () => {
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    await receiver?.close();
  });

  it('writes every record of a failed batch with its own key, value, headers and the context headers, then commits', async () => {
    const topic = await freshTopic('dlq_batch', 1);
    const dlq = await freshTopic('dlq_batch_dead', 1);
    const records = Array.from({ length: 9 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, headers: [{ trace: `t${i}` }] }));
    await produce(bootstrap(), topic, records);
    // the batch holding v3 is refused for good; the others are delivered
    receiver = await startReceiver({ respond: (r) => (r.body.toString().includes('v3') ? { status: 400, body: `bad record ${'x'.repeat(3000)}` } : { status: 200 }) });
    const name = `dlq_batch_${topic}`;
    running = await runConnector({
      ...baseConnector(name, topic, receiver.url),
      'batching.enabled': true,
      'batch.max.size': 3,
      'batch.linger.ms': 20,
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.context.headers.enable': true,
    });

    await eventually(() => committedIs(name, topic, 9), 30_000, 'all nine committed');
    const dead = await readTopic(bootstrap(), dlq, 3);
    expect(dead.map((d) => [d.key?.toString(), d.value?.toString(), d.headers.trace])).toEqual([
      ['k3', 'v3', 't3'],
      ['k4', 'v4', 't4'],
      ['k5', 'v5', 't5'],
    ]);
    expect(dead[1]!.headers).toMatchObject({
      '__connect.errors.topic': topic,
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '4',
      '__connect.errors.connector.name': name,
      '__connect.errors.stage': 'TASK_PUT',
      '__connect.errors.exception.class.name': 'HttpStatusError',
      '__connect.errors.http.status': '400',
    });
    expect(dead[1]!.headers['__connect.errors.http.response.body']).toMatch(/^bad record x+\.\.\.$/);
    expect(dead[1]!.headers['__connect.errors.http.response.body']!.length).toBeLessThan(1100);
    expect(receiver.accepted.flatMap((r) => r.body.toString().trimEnd().split('\n'))).toEqual(['v0', 'v1', 'v2', 'v6', 'v7', 'v8']);
  });

  it('sends records whose retries ran out, undecodable records and refused nulls to the same topic', async () => {
    const topic = await freshTopic('dlq_mixed', 1);
    const dlq = await freshTopic('dlq_mixed_dead', 1);
    await produce(bootstrap(), topic, [{ value: '{"n":0}' }, { value: '{broken' }, { value: null }, { value: '{"n":3}' }]);
    receiver = await startReceiver({ respond: (r) => (r.body.toString().includes('3') ? { status: 503 } : { status: 200 }) });
    const name = `dlq_mixed_${topic}`;
    const { log, lines } = captureLog();
    running = await runConnector(
      {
        ...baseConnector(name, topic, receiver.url),
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': false,
        'max.retries': 1,
        'retry.backoff.ms': 10,
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.context.headers.enable': true,
        'errors.log.enable': true,
        'errors.log.include.messages': true,
      },
      { log },
    );

    await eventually(() => committedIs(name, topic, 4), 30_000, 'all four committed');
    const dead = await readTopic(bootstrap(), dlq, 3);
    expect(dead.map((d) => [d.headers['__connect.errors.offset'], d.headers['__connect.errors.stage'], d.headers['__connect.errors.exception.class.name']])).toEqual([
      ['1', 'VALUE_CONVERTER', 'DecodeError'],
      ['2', 'TASK_PUT', 'NullValueError'],
      ['3', 'TASK_PUT', 'HttpStatusError'],
    ]);
    expect(dead[0]!.value?.toString()).toBe('{broken');
    expect(dead[1]!.value).toBeNull();
    expect(receiver.accepted.map((r) => r.body.toString())).toEqual(['{"n":0}']);
    expect(lines.some((l) => l.includes('record failed') && l.includes('"value":"{broken"'))).toBe(true);
  });

  it('stops without committing the failed records when the dead-letter producer cannot write', async () => {
    const topic = await freshTopic('dlq_broken', 1);
    await produce(bootstrap(), topic, ['ok-0', 'bad', 'ok-2'].map((value) => ({ value })));
    receiver = await startReceiver({ respond: (r) => (r.body.toString() === 'bad' ? { status: 400 } : { status: 200 }) });
    const name = `dlq_broken_${topic}`;
    running = await runConnector({
      ...baseConnector(name, topic, receiver.url),
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'no such topic!', // an illegal topic name: the broker refuses every write
    });

    const error = await running.done.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DeadLetterError);
    expect((error as Error).message).toContain(`cannot write topic ${topic} partition 0 offset 1 to dead-letter topic no such topic!`);
    expect(await committed(name, topic, 1)).toEqual([1]);
  });

  it('skips a failed record with a warning under errors.tolerance=all without a topic', async () => {
    const topic = await freshTopic('tolerate', 1);
    await produce(bootstrap(), topic, ['a', 'b'].map((value) => ({ value })));
    receiver = await startReceiver({ respond: (r) => (r.body.toString() === 'a' ? { status: 500 } : { status: 200 }) });
    const name = `tolerate_${topic}`;
    running = await runConnector({ ...baseConnector(name, topic, receiver.url), 'errors.tolerance': 'all', 'max.retries': 0 });

    await eventually(() => committedIs(name, topic, 2), 30_000, 'both committed');
    expect(receiver.accepted.map((r) => r.body.toString())).toEqual(['b']);
  });

  it('creates the dead-letter topic at start when errors.deadletterqueue.topic.replication.factor is set, and names the key when it cannot', async () => {
    const topic = await freshTopic('dlq_create', 1);
    const dlq = `${topic}_dead`;
    receiver = await startReceiver();
    running = await runConnector({ ...baseConnector(`dlq_create_${topic}`, topic, receiver.url), 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': dlq, 'errors.deadletterqueue.topic.replication.factor': 1 });
    expect(await topicNames()).toContain(dlq); // no record failed: only the start created it
    const refused = runConnector({ ...baseConnector(`dlq_create3_${topic}`, topic, receiver.url), 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': `${dlq}3`, 'errors.deadletterqueue.topic.replication.factor': 3 });
    await expect(refused).rejects.toThrow(/cannot create the dead-letter topic .*replication.factor=3/); // one broker
  });
});

/** Every topic the broker has (asked for all, so that asking creates none). */
async function topicNames(): Promise<string[]> {
  const producer = new rdkafka.Producer({ 'bootstrap.servers': bootstrap() });
  await new Promise<void>((resolve, reject) => producer.connect({ timeout: 30_000 }, (err) => (err ? reject(err) : resolve())));
  try {
    const metadata = await new Promise<rdkafka.Metadata>((resolve, reject) => producer.getMetadata({ allTopics: true, timeout: 10_000 }, (err, data) => (err ? reject(err) : resolve(data))));
    return metadata.topics.map((t) => t.name);
  } finally {
    await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
  }
}

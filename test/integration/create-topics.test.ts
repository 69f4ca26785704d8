/**
 * The one topic-creation helper the dead-letter topic, the reporting topics and the cluster's internal topics share:
 * missing topics are created as asked, an existing one is left as it is, a refusal comes back worded by the caller.
 */
import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { KafkaError } from '../../src/common/errors.js';
import { createTopics } from '../../src/source/create-topics.js';
import { partitionCount } from '../../src/worker/cluster/topics.js';
import { bootstrap } from '../support/harness.js';

const client = (): Record<string, string> => ({ 'bootstrap.servers': bootstrap() });
const refused = (topic: { name: string }, err: { message: string }): Error => new KafkaError(`cannot create ${topic.name}: ${err.message}`, false, err);

describe('createTopics', () => {
  it('creates the missing topics with their partitions and leaves an existing one as it is', async () => {
    const name = `created_${randomBytes(4).toString('hex')}`;
    await createTopics(client(), [{ name: `${name}_a`, partitions: 3, replicationFactor: 1 }, { name: `${name}_b`, partitions: 1, replicationFactor: -1, config: { 'cleanup.policy': 'compact' } }], refused);
    expect(await partitionCount(client(), `${name}_a`)).toBe(3);
    expect(await partitionCount(client(), `${name}_b`)).toBe(1);
    await createTopics(client(), [{ name: `${name}_a`, partitions: 5, replicationFactor: 1 }], refused); // exists: no error, unchanged
    expect(await partitionCount(client(), `${name}_a`)).toBe(3);
  }, 60_000);

  it('rejects with the caller\'s error for a topic the broker refuses, after creating the ones before it', async () => {
    const name = `refused_${randomBytes(4).toString('hex')}`;
    const creating = createTopics(client(), [{ name: `${name}_ok`, partitions: 1, replicationFactor: 1 }, { name: `${name}_3`, partitions: 1, replicationFactor: 3 }], refused);
    await expect(creating).rejects.toThrow(new RegExp(`^cannot create ${name}_3: .+`)); // one broker: no 3 replicas
    expect(await partitionCount(client(), `${name}_ok`)).toBe(1);
  }, 60_000);
});

/** Cluster mode's pure parts: which task slots hold a connector's tasks, and the worker-file keys. */
import { describe, expect, it } from '@jest/globals';
import { slotOf, tasksInSlots, tasksMaxOf } from '../../src/worker/cluster/assignment.js';
import { clusterOptions } from '../../src/worker/cluster/cluster-config.js';

describe('task slots', () => {
  it('puts a connector\'s tasks in consecutive slots, the same on every worker', () => {
    const first = slotOf('iot', 0, 32);
    expect([1, 2].map((t) => slotOf('iot', t, 32))).toEqual([(first + 1) % 32, (first + 2) % 32]);
    expect(slotOf('iot', 0, 32)).toBe(first);
  });

  it('runs each task on exactly one of the workers that share the slots between them', () => {
    const slots = 8;
    const owners = [new Set([0, 3, 6]), new Set([1, 4, 7]), new Set([2, 5])];
    for (const name of ['a', 'b', 'connector-with-dashes', 'x'.repeat(200)]) {
      const held = owners.flatMap((owned) => tasksInSlots(name, 5, owned, slots));
      expect(held.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
    }
  });

  it('runs at most one task of a connector per slot: tasks.max is a maximum', () => {
    const all = new Set(Array.from({ length: 4 }, (_, i) => i));
    expect(tasksInSlots('iot', 10, all, 4)).toEqual([0, 1, 2, 3]);
    expect(tasksInSlots('iot', 1, new Set(), 4)).toEqual([]);
  });

  it('reads tasks.max, defaulting to 1', () => {
    expect(tasksMaxOf({})).toBe(1);
    expect(tasksMaxOf({ 'tasks.max': '3' })).toBe(3);
    expect(tasksMaxOf({ 'tasks.max': 'x' })).toBe(1);
  });
});

describe('clusterOptions', () => {
  const keys = { 'group.id': 'g', 'bootstrap.servers': 'k:9092', 'config.storage.topic': 'c', 'status.storage.topic': 's' };

  it('is standalone without group.id', () => {
    expect(clusterOptions({ 'bootstrap.servers': 'k:9092' })).toBeUndefined();
  });

  it('reads Connect distributed keys', () => {
    const options = clusterOptions({ ...keys, 'config.storage.replication.factor': '1', 'rest.advertised.host.name': 'w1', 'rest.advertised.port': '9000' });
    expect(options).toMatchObject({ groupId: 'g', configTopic: 'c', statusTopic: 's', configReplicationFactor: 1, statusReplicationFactor: 3, advertisedUrl: { host: 'w1', port: 9000 } });
    expect(options).toMatchObject({ slotsTopic: 'c-task-slots', slots: 32, sessionTimeoutMs: 10_000, heartbeatIntervalMs: 3000, rebalanceTimeoutMs: 60_000 });
  });

  it('names the missing or bad key', () => {
    expect(() => clusterOptions({ ...keys, 'config.storage.topic': '' })).toThrow(/config\.storage\.topic: is required with group\.id/);
    expect(() => clusterOptions({ ...keys, 'status.storage.replication.factor': '-1' })).toThrow(/status\.storage\.replication\.factor: must be a positive integer/);
    expect(() => clusterOptions({ ...keys, 'heartbeat.interval.ms': '5000', 'session.timeout.ms': '6000' })).toThrow(/heartbeat\.interval\.ms: must be at most a third of session\.timeout\.ms/);
    expect(() => clusterOptions({ ...keys, 'rebalance.timeout.ms': '5000' })).toThrow(/rebalance\.timeout\.ms: must be at least session\.timeout\.ms/);
  });
});

/** Cluster mode's pure parts: which workers run a connector (rendezvous hashing) and the worker-file keys. */
import { describe, expect, it } from '@jest/globals';
import { assignedWorkers, tasksMaxOf } from '../../src/worker/cluster/assignment.js';
import { clusterOptions } from '../../src/worker/cluster/cluster-config.js';

const workers = ['10.0.0.1:8083', '10.0.0.2:8083', '10.0.0.3:8083', '10.0.0.4:8083'];

describe('assignedWorkers', () => {
  it('gives every worker the same answer whatever order it lists the live workers in', () => {
    const one = assignedWorkers('iot', workers, 2);
    expect(one).toHaveLength(2);
    expect(assignedWorkers('iot', [...workers].reverse(), 2)).toEqual(one);
  });

  it('caps the workers at tasks.max and at the live workers', () => {
    expect(assignedWorkers('iot', workers, 1)).toHaveLength(1);
    expect(assignedWorkers('iot', workers.slice(0, 2), 5)).toHaveLength(2);
  });

  it('moves a connector only when a worker running it dies, to the next in its ranking', () => {
    const names = Array.from({ length: 200 }, (_, i) => `connector-${i}`);
    let moved = 0;
    for (const name of names) {
      const before = assignedWorkers(name, workers, 1)[0]!;
      const after = assignedWorkers(name, workers.filter((w) => w !== workers[1]), 1)[0]!;
      if (before !== workers[1]) expect(after).toBe(before);
      else {
        moved += 1;
        expect(after).toBe(assignedWorkers(name, workers, 2)[1]);
      }
    }
    // spread: each of the 4 workers holds some of the 200 connectors
    expect(moved).toBeGreaterThan(20);
    expect(moved).toBeLessThan(100);
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
  });

  it('names the missing or bad key', () => {
    expect(() => clusterOptions({ ...keys, 'config.storage.topic': '' })).toThrow(/config\.storage\.topic: is required with group\.id/);
    expect(() => clusterOptions({ ...keys, 'status.storage.replication.factor': '-1' })).toThrow(/status\.storage\.replication\.factor: must be a positive integer/);
  });
});

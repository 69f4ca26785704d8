/**
 * `tasks.max=3` on the command line: three task processes share the connector's consumer group; one is killed
 * mid-flow and restarted; SIGTERM drains every task. Every record arrives, in order per partition, and the committed
 * offsets cover every record.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { baseConnector, bootstrap, committed, eventually, freshTopic } from '../support/harness.js';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { runNode } from '../support/spawn-node.js';

const PARTITIONS = 6;
const PER_PARTITION = 200;

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** `p<partition>-<n>` values, n counting from `from` within each partition. */
function records(from: number, count: number): { key: string; value: string; partition: number }[] {
  return Array.from({ length: PARTITIONS * count }, (_, i) => {
    const partition = i % PARTITIONS;
    const n = from + Math.floor(i / PARTITIONS);
    return { key: `k${partition}`, value: `p${partition}-${n}`, partition };
  });
}

describe('tasks.max on the command line', () => {
  it('runs three tasks, restarts a killed one, drains all on SIGTERM; nothing lost, order per partition kept', async () => {
    const topic = await freshTopic('tasks', PARTITIONS);
    const name = `tasks_${topic}`;
    receiver = await startReceiver();
    const file = join(mkdtempSync(join(tmpdir(), 'tasks-')), 'tasks.json');
    writeFileSync(file, JSON.stringify({ ...baseConnector(name, topic, receiver.url), 'tasks.max': '3', 'http.concurrency': 4, ordering: 'partition', 'kafka.session.timeout.ms': '6000' }));
    await produce(bootstrap(), topic, records(0, PER_PARTITION));

    const run = await runNode(['bin/kafka-http-sink.mjs', 'run', file], { KAFKA_BOOTSTRAP_SERVERS: bootstrap(), LOG_FORMAT: 'json' }, async (child) => {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const taskPids = (): number[] => [...stderr.matchAll(/"message":"task started".*?"pid":(\d+)/g)].map((m) => Number(m[1]));
      await eventually(() => taskPids().length === 3, 30_000, 'three tasks started');
      await receiver!.waitForAccepted(PARTITIONS * PER_PARTITION, 30_000);

      process.kill(taskPids()[1]!, 'SIGKILL'); // task 1 dies without draining
      await produce(bootstrap(), topic, records(PER_PARTITION, PER_PARTITION));
      await eventually(() => taskPids().length === 4, 30_000, 'task 1 restarted');
      await eventually(() => new Set(receiver!.accepted.map((r) => r.body.toString())).size === 2 * PARTITIONS * PER_PARTITION, 40_000, 'every record delivered');
      await eventually(async () => (await committed(name, topic, PARTITIONS)).every((offset) => offset === 2 * PER_PARTITION), 30_000, 'offsets committed');
      child.kill('SIGTERM');
    }, 180_000); // three task processes started, one killed and restarted after a session timeout: over 60 s on a loaded machine

    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr.slice(-3000) }).toEqual({ code: 0, stderr: '' });
    const bodies = receiver.accepted.map((r) => r.body.toString());
    expect(new Set(bodies).size).toBe(2 * PARTITIONS * PER_PARTITION);
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const firstArrivals = [...new Set(bodies.filter((b) => b.startsWith(`p${partition}-`)))].map((b) => Number(b.split('-')[1]));
      expect(firstArrivals).toEqual(Array.from({ length: 2 * PER_PARTITION }, (_, n) => n));
    }
    expect(await committed(name, topic, PARTITIONS)).toEqual(Array(PARTITIONS).fill(2 * PER_PARTITION));
  }, 240_000);

  it('a bad connector file exits 2 before any task starts', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tasks-')), 'bad.json');
    writeFileSync(file, JSON.stringify({ ...baseConnector('bad_tasks', 'nowhere', 'http://127.0.0.1:1/'), 'tasks.max': '3', 'http.timeout': 'soon' }));
    const run = await runNode(['bin/kafka-http-sink.mjs', 'run', file], { KAFKA_BOOTSTRAP_SERVERS: bootstrap() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('http.timeout');
    expect(run.stderr).not.toContain('task started');
  });
});

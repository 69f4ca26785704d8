/** The broker restarts under the sink; three sink processes share a group while one dies and another joins. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createTopic } from '../../src/devtools/kafka-tools.js';
import { freePort, startLocalBroker } from '../../src/devtools/local-broker.js';
import { definePipeline } from '../../src/pipeline/definePipeline.js';
import { startPipeline } from '../../src/pipeline/startPipeline.js';
import { bootstrap, captureLog, eventually, freshTopic } from '../support/harness.js';
import { connectorFile, FULL, produceIds, report, sleep, spawnSink, startIdReceiver, verdict } from './support/fault-kit.js';

describe('faults: the cluster changes under the sink', () => {
  it('broker restart mid-flow: the sink reconnects by itself and loses nothing', async () => {
    const startedAt = Date.now();
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'restart-broker-'));
    let broker = await startLocalBroker({ port, dataDir });
    const topic = 'restart_flow';
    const count = FULL ? 30_000 : 6_000;
    await createTopic(broker.bootstrap, topic, 3);
    const produced = await produceIds(broker.bootstrap, topic, count, 3);
    const sink = await startIdReceiver(() => ({ status: 200, delayMs: 5 }));
    const { log, lines } = captureLog();
    const running = await startPipeline(
      definePipeline({
        connector: {
          name: 'restart_flow',
          topics: topic,
          'http.url': sink.receiver.url,
          'http.authorization.type': 'none',
          'batching.enabled': true,
          'batch.max.size': 20,
          'max.in.flight.records': 500,
        },
      }),
      { env: { KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap }, log },
    );
    try {
      await eventually(() => sink.uniqueCount() >= count / 10, 60_000, 'the first records');
      await broker.stop();
      const deliveredWhileDown = sink.uniqueCount();
      await sleep(3000);
      broker = await startLocalBroker({ port, dataDir });
      await eventually(() => sink.uniqueCount() === count, 120_000, 'every id after the broker came back');
      await running.stop();
      const v = verdict(produced, sink.ids);
      report('broker-restart', v, startedAt, `deliveredBeforeStop=${deliveredWhileDown}`);
      expect(deliveredWhileDown).toBeLessThan(count);
      expect(v.lost).toBe(0);
      expect(v.outOfOrder).toBe(0);
      expect(lines.some((l) => l.includes('pipeline stopped"') || l.includes('"level":"error"'))).toBe(false);
    } finally {
      await running.stop();
      await sink.receiver.close();
      await broker.stop();
    }
  });

  // This scenario found librdkafka rewinding a partition that had no committed offset to its start after a
  // pause/resume: the re-delivered offsets used to stall that partition's watermark (see PartitionTracker.track).
  it('scale-out: three sink processes over 6 partitions, one killed, a new one joins: lost = 0', async () => {
    const startedAt = Date.now();
    const count = FULL ? 60_000 : 12_000;
    const topic = await freshTopic('scaleout', 6);
    const produced = await produceIds(bootstrap(), topic, count, 6);
    const sink = await startIdReceiver(() => ({ status: 200, delayMs: 15 }));
    const file = connectorFile({
      name: `scaleout_${topic}`,
      topics: topic,
      'http.url': sink.receiver.url,
      'http.authorization.type': 'none',
      'batching.enabled': true,
      'batch.max.size': 20,
      'max.in.flight.records': 600,
      'offset.flush.interval.ms': 200,
      'kafka.session.timeout.ms': 6000,
      'kafka.heartbeat.interval.ms': 1000,
    });
    const env = { KAFKA_BOOTSTRAP_SERVERS: bootstrap() };
    const members = [spawnSink(file, env), spawnSink(file, env), spawnSink(file, env)];
    await eventually(() => sink.uniqueCount() >= count / 6, 60_000, 'the group delivering').catch(async (error: unknown) => {
      for (const m of members) m.child.kill('SIGKILL');
      const outputs = await Promise.all(members.map((m) => m.exited));
      throw new Error(`${(error as Error).message}; members said:\n${outputs.map((o) => o.stderr.split('\n').slice(-5).join('\n')).join('\n---\n')}`);
    });
    members[0]!.child.kill('SIGKILL');
    await members[0]!.exited;
    await sleep(1000);
    members.push(spawnSink(file, env));
    await eventually(() => sink.uniqueCount() === count, 180_000, 'every id accepted');
    for (const member of members.slice(1)) member.child.kill('SIGTERM');
    const exits = await Promise.all(members.slice(1).map((m) => m.exited));
    await sink.receiver.close();

    const v = verdict(produced, sink.ids);
    report('scale-out', v, startedAt, 'members=3+1 kills=1');
    expect(v.lost).toBe(0);
    expect(v.outOfOrder).toBe(0);
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
    expect(v.duplicates).toBeLessThanOrEqual(2 * 600 * 3);
  }, 300_000);
});

/** The broker restarts under the sink; three sink processes share a group while one dies and another joins. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createTopic } from '../support/kafka-tools.js';
import { freePort, startLocalBroker } from '../../src/cli/local-broker.js';
import { definePipeline } from '../../src/connector/definePipeline.js';
import { startPipeline } from '../../src/connector/startPipeline.js';
import { bootstrap, captureLog, eventually, freshTopic } from '../support/harness.js';
import { connectorFile, expectDelivered, FULL, occurrences, produceIds, sleep, spawnSink, startIdReceiver, verdict, waitForDelivery } from './support/fault-kit.js';

/**
 * What one member can re-send after losing partitions (killed, or revoked in a rebalance: the new owner re-reads
 * from the committed offsets while the old one still delivers what it had read): the records it read and had not
 * committed. It pauses once they reach max.in.flight.records, but only after the poll that crossed the bound, which
 * returns up to min(1000, bound) more: < 2 x max.in.flight.records.
 */
const window = (maxInFlight: number): number => 2 * maxInFlight;

const MAX_IN_FLIGHT_RESTART = 500;
const MAX_IN_FLIGHT_SCALE_OUT = 600;

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
          'max.in.flight.records': MAX_IN_FLIGHT_RESTART,
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
      const committed = { name: 'restart_flow', topic, partitions: 3, count, bootstrap: broker.bootstrap };
      await waitForDelivery(sink, count, committed, 120_000);
      const revocations = lines.filter((l) => l.includes('partitions revoked')).length;
      await running.stop();
      // Re-reading from the committed offsets takes a rejoin (a revocation); allow one window even without.
      await expectDelivered(verdict(produced, sink.ids), {
        scenario: 'broker-restart',
        startedAt,
        maxDuplicates: window(MAX_IN_FLIGHT_RESTART) * Math.max(1, revocations),
        committed,
        extra: `deliveredBeforeStop=${deliveredWhileDown} revocations=${revocations}`,
      });
      expect(deliveredWhileDown).toBeLessThan(count);
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
      'max.in.flight.records': MAX_IN_FLIGHT_SCALE_OUT,
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
    const committed = { name: `scaleout_${topic}`, topic, partitions: 6, count };
    await waitForDelivery(sink, count, committed, 180_000);
    // Every partition moves at each rebalance (eager protocol): count the revocations before the stop.
    const revocations = members.reduce((n, m) => n + occurrences(m.output(), 'partitions revoked'), 0);
    for (const member of members.slice(1)) member.child.kill('SIGTERM');
    const exits = await Promise.all(members.slice(1).map((m) => m.exited));
    await sink.receiver.close();

    // The killed member's window, plus one member's window per revocation before the stop.
    await expectDelivered(verdict(produced, sink.ids), {
      scenario: 'scale-out',
      startedAt,
      maxDuplicates: window(MAX_IN_FLIGHT_SCALE_OUT) * (1 + revocations),
      committed,
      extra: `members=3+1 kills=1 revocations=${revocations}`,
    });
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
  }, 300_000);

  it('scale-out with tasks.max=3: a run of three tasks, one task killed and restarted, a second run of three joins: lost = 0', async () => {
    const startedAt = Date.now();
    const count = FULL ? 60_000 : 12_000;
    const topic = await freshTopic('scaleout3', 6);
    const produced = await produceIds(bootstrap(), topic, count, 6);
    const sink = await startIdReceiver(() => ({ status: 200, delayMs: 15 }));
    const name = `scaleout3_${topic}`;
    const file = connectorFile({
      name,
      topics: topic,
      'http.url': sink.receiver.url,
      'http.authorization.type': 'none',
      'tasks.max': 3,
      'batching.enabled': true,
      'batch.max.size': 20,
      'max.in.flight.records': MAX_IN_FLIGHT_SCALE_OUT,
      'offset.flush.interval.ms': 200,
      'kafka.session.timeout.ms': 6000,
      'kafka.heartbeat.interval.ms': 1000,
    });
    const env = { KAFKA_BOOTSTRAP_SERVERS: bootstrap(), LOG_FORMAT: 'json' };
    const first = spawnSink(file, env);
    await eventually(() => sink.uniqueCount() >= count / 6, 60_000, 'the three tasks delivering');
    const taskPid = Number(/"message":"task started".*?"pid":(\d+)/.exec(first.output())?.[1]);
    process.kill(taskPid, 'SIGKILL'); // one task dies; run restarts it after its backoff
    await sleep(1000);
    const second = spawnSink(file, env); // three more tasks join the group: six members over six partitions
    const committed = { name, topic, partitions: 6, count };
    await waitForDelivery(sink, count, committed, 180_000);
    const revocations = [first, second].reduce((n, m) => n + occurrences(m.output(), 'partitions revoked'), 0);
    for (const run of [first, second]) run.child.kill('SIGTERM');
    const exits = await Promise.all([first.exited, second.exited]);
    await sink.receiver.close();

    await expectDelivered(verdict(produced, sink.ids), {
      scenario: 'scale-out tasks.max=3',
      startedAt,
      maxDuplicates: window(MAX_IN_FLIGHT_SCALE_OUT) * (1 + revocations),
      committed,
      extra: `runs=2x3 kills=1 revocations=${revocations}`,
    });
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
    expect(occurrences(first.output(), 'task died')).toBe(1);
  }, 300_000);
});

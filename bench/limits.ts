/**
 * The two rates the sink cannot beat: the broker's consume rate (a consume-only loop over the source's consumer, no HTTP) and
 * the receiver's request rate under a load generator (autocannon, 127.0.0.1 only) at the sink's concurrency and body size.
 */
import rdkafka from 'node-rdkafka';
import autocannon from 'autocannon';
import { createConsumer } from '../src/source/consumer.js';
import { DEFAULT_POLL_MAX_RECORDS } from '../src/source/consumer-defaults.js';
import type { KafkaSourceOptions } from '../src/source/kafka-config.js';
import { KafkaConsume } from '../src/source/kafka-consume.js';
import { PollRecords } from '../src/source/poll-records.js';
import { FlowControl } from '../src/source/flow-control.js';
import { ackRecords } from '../src/records/record.js';
import { createLogger } from '../src/common/log.js';

export interface ConsumeLimit {
  readonly records: number;
  readonly seconds: number;
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
  /** CPU of this (the bench's) process per 1,000 records read, librdkafka's threads included: the floor under the sink's. */
  readonly cpuMsPer1000?: number;
  /** The source's consume path that read them (src/source/kafka-consume.ts). */
  readonly consumePath?: 'lean' | 'standard';
}

export interface ConsumeSettings {
  /** librdkafka properties over the source's defaults (consumer-defaults.ts), as `kafka.*` would give them. */
  readonly properties?: Readonly<Record<string, string | number>>;
  /** Records per consume call; the source's default unless given. */
  readonly pollMaxRecords?: number;
}

/**
 * Reads `count` records of `topic` with a fresh group through the consumer the source builds (createConsumer: its
 * defaults, manual commits, a rebalance callback) and its consume path (kafka-consume.ts: lean or standard) with the
 * source's poll size, as fast as node-rdkafka allows; the records are acked at once, nothing else happens to them. Timed from the first record to the last.
 */
export async function measureConsumeRate(bootstrap: string, topic: string, count: number, timeoutMs: number, settings: ConsumeSettings = {}): Promise<ConsumeLimit> {
  const options: KafkaSourceOptions = {
    rdkafka: { 'bootstrap.servers': bootstrap, ...settings.properties },
    producer: {},
    groupId: `bench-raw-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
    topics: [topic],
    maxInFlightRecords: Number.MAX_SAFE_INTEGER,
    commitIntervalMs: 1000,
  };
  const consumer = createConsumer(options, (err, assignment) => {
    if (err.code === rdkafka.CODES.ERRORS.ERR__ASSIGN_PARTITIONS) consumer.assign(assignment);
    else consumer.unassign();
  });
  const pollSize = settings.pollMaxRecords ?? DEFAULT_POLL_MAX_RECORDS;
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(err) : resolve())));
  consumer.subscribe([topic]);
  // The source's own reading: its consume path (lean or standard) and records as the pipeline gets them, acked at once.
  const quiet = createLogger({ level: 'warn' });
  const reader = new KafkaConsume(consumer, new PollRecords(new FlowControl(Number.MAX_SAFE_INTEGER), () => {}, quiet), quiet);
  const deadline = Date.now() + timeoutMs;
  let read = 0;
  let bytes = 0;
  let first = 0;
  let cpuAtFirst: NodeJS.CpuUsage | undefined;
  // Taken when the last record arrived: leaving the group afterwards is not reading.
  let last = 0;
  let cpu: NodeJS.CpuUsage = { user: 0, system: 0 };
  try {
    await new Promise<void>((resolve, reject) => {
      const poll = (): void => {
        if (Date.now() > deadline) return reject(new Error(`raw consume: ${read} of ${count} records after ${timeoutMs} ms`));
        reader.poll(pollSize, 100, (err, records) => {
          if (err && err.code !== rdkafka.CODES.ERRORS.ERR__TIMED_OUT) return reject(err);
          if (records.length > 0 && first === 0) {
            first = Date.now();
            cpuAtFirst = process.cpuUsage();
          }
          for (const r of records) bytes += r.value?.length ?? 0;
          read += records.length;
          ackRecords(records);
          if (read >= count) {
            last = Date.now();
            cpu = process.cpuUsage(cpuAtFirst);
            resolve();
          } else setImmediate(poll);
        });
      };
      poll();
    });
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
  const seconds = Math.max(0.001, (last - first) / 1000);
  const cpuMsPer1000 = ((cpu.user + cpu.system) / 1000 / Math.max(1, read)) * 1000;
  return { records: read, seconds, recordsPerSecond: read / seconds, mbPerSecond: bytes / 1e6 / seconds, cpuMsPer1000, consumePath: reader.path };
}

export interface RequestLimit {
  readonly connections: number;
  readonly bodyBytes: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly mbPerSecond: number;
  readonly errors: number;
  readonly non2xx: number;
}

/** autocannon against the receiver: `connections` keep-alive connections, one request each at a time, bounded by time and count. */
export async function measureRequestRate(url: string, body: Buffer, connections: number, seconds: number): Promise<RequestLimit> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error('the load generator only targets 127.0.0.1');
  const result = await autocannon({
    url,
    method: 'POST',
    body,
    headers: { 'content-type': 'text/plain' },
    connections,
    pipelining: 1,
    duration: seconds,
    // Bounded in time and in count: whichever comes first ends the run.
    maxOverallRequests: seconds * 100_000,
    timeout: 10,
  });
  const total = result.requests.total;
  return {
    connections,
    bodyBytes: body.length,
    seconds: result.duration,
    requestsPerSecond: total / result.duration,
    mbPerSecond: (total * body.length) / 1e6 / result.duration,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

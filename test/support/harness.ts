/** What integration tests share: the broker address, unique topics, and running a connector against a receiver. */
import { randomBytes } from 'node:crypto';
import { committedOffsets, createTopic } from './kafka-tools.js';
import { createLogger, type Logger } from '../../src/common/log.js';
import { definePipeline, type BuildPipeline } from '../../src/connector/definePipeline.js';
import { type RunningPipeline, startPipeline } from '../../src/connector/startPipeline.js';
import { Writable } from 'node:stream';
import winston from 'winston';

export function bootstrap(): string {
  const address = process.env.KAFKA_TEST_BOOTSTRAP;
  if (!address) throw new Error('KAFKA_TEST_BOOTSTRAP is not set: run integration tests through jest (global setup starts the broker)');
  return address;
}

/** A fresh topic (and connector name) per test, so tests never see each other's records or offsets. */
export async function freshTopic(prefix: string, partitions: number): Promise<string> {
  const topic = `${prefix}_${randomBytes(4).toString('hex')}`;
  await createTopic(bootstrap(), topic, partitions);
  return topic;
}

export interface CapturedLog {
  readonly log: Logger;
  readonly lines: string[];
}

/** A logger whose JSON lines are kept in memory, so tests can check what was printed. */
export function captureLog(level = 'info'): CapturedLog {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger({ level, format: 'json', transports: [new winston.transports.Stream({ stream })] }), lines };
}

export async function runConnector(
  connector: Record<string, unknown>,
  options: { build?: BuildPipeline; log?: Logger; env?: Record<string, string> } = {},
): Promise<RunningPipeline> {
  return startPipeline(definePipeline({ connector, build: options.build }), {
    env: { KAFKA_BOOTSTRAP_SERVERS: bootstrap(), ...options.env },
    log: options.log ?? captureLog().log,
  });
}

export async function committed(name: string, topic: string, partitions: number): Promise<number[]> {
  const offsets = await committedOffsets(bootstrap(), `connect-${name}`, topic, partitions);
  return Array.from({ length: partitions }, (_, p) => offsets.get(p) ?? -1001);
}

/** Whether partition 0's committed offset is `offset`; false while the group coordinator is not ready yet. */
export function committedIs(name: string, topic: string, offset: number): Promise<boolean> {
  return committed(name, topic, 1).then(
    ([at]) => at === offset,
    () => false,
  );
}

/** Polls `check` every 50 ms until it holds; fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function baseConnector(name: string, topic: string, url: string): Record<string, unknown> {
  return {
    name,
    'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector',
    topics: topic,
    'http.url': url,
    'http.authorization.type': 'none',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
  };
}

/**
 * `npm run bench:pipeline`: the sink's own CPU per 1,000 records, without a broker. Polls of records shaped as
 * node-rdkafka hands them over (a fresh Buffer per value, a fresh topic string per message) go through the
 * source's record conversion and offset tracking (PollRecords, as the source runs it), then the standard connector chain (decode, batch, toRequest,
 * post over the real transport) to the bench receiver in its own process, and every record is acknowledged.
 * librdkafka's share is what `npm run bench` measures as the raw consume rate; this is the rest, steadier than a
 * run against a broker on a busy machine, so it can compare two versions of the hot path.
 */
import { parseArgs } from 'node:util';
import type { Message } from 'node-rdkafka';
import { Observable } from 'rxjs';
import { buildSinkConfig, connectorSettings } from '../src/connector/connector-config.js';
import { connectorPipeline } from '../src/connector/definePipeline.js';
import { createHttpService } from '../src/deliver/http-service.js';
import { createLogger } from '../src/common/log.js';
import { createDeadLetters } from '../src/outcomes/dead-letters.js';
import { FlowControl } from '../src/source/flow-control.js';
import { PollRecords } from '../src/source/poll-records.js';
import type { KafkaRecord } from '../src/records/record.js';
import { startBenchReceiver } from './children.js';
import { measurement } from './data.js';
import { say } from './progress.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '300000' },
    rounds: { type: 'string', default: '3' },
    'record-size': { type: 'string', default: '120' },
    partitions: { type: 'string', default: '6' },
    converter: { type: 'string', default: 'string' },
    /** Appended to the receiver's URL, e.g. `--path '/t/${topic}'` for a templated URL. */
    path: { type: 'string', default: '' },
    smoke: { type: 'boolean', default: false },
  },
});
const records = values.smoke ? 5000 : Number(values.records);
const rounds = values.smoke ? 1 : Number(values.rounds);
const size = Number(values['record-size']);
const partitions = Number(values.partitions);
const POLL = 1000;
const IN_FLIGHT = 20_000;
const CONVERTERS: Record<string, string> = {
  string: 'org.apache.kafka.connect.storage.StringConverter',
  json: 'org.apache.kafka.connect.json.JsonConverter',
  bytes: 'org.apache.kafka.connect.converters.ByteArrayConverter',
};

/** One poll as node-rdkafka builds it: its own Buffer per value and topic string per message. */
function poll(topic: string, first: number, count: number, offsets: number[]): Message[] {
  const messages: Message[] = [];
  for (let i = 0; i < count; i++) {
    const seq = first + i;
    const partition = Math.floor((i * partitions) / count);
    const text = Buffer.from(measurement(seq, Date.now(), size));
    const value = Buffer.allocUnsafeSlow(text.length);
    text.copy(value);
    messages.push({ topic: `${topic} `.slice(0, -1), partition, offset: offsets[partition]!++, value, size: value.length, key: undefined, timestamp: Date.now() });
  }
  return messages;
}

async function round(url: string): Promise<{ cpuMs: number; seconds: number }> {
  const converter = CONVERTERS[values.converter] ?? values.converter;
  const connector = {
    name: 'pipeline-bench', topics: 'bench', 'http.url': url, 'http.authorization.type': 'none',
    'key.converter': CONVERTERS.string, 'value.converter': converter, 'value.converter.schemas.enable': false,
    'http.headers.content.type': 'application/x-ndjson', 'batching.enabled': true, 'batch.max.size': 500, 'batch.linger.ms': 100, 'http.concurrency': 8,
  };
  const config = buildSinkConfig(connectorSettings(connector, {}));
  const log = createLogger({ level: 'warn' });
  const service = createHttpService(config.http);
  let settled = 0;
  const polled = new PollRecords(new FlowControl(IN_FLIGHT), (_id, count) => (settled += count), log);
  const offsets = new Array<number>(partitions).fill(0);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const records$ = new Observable<KafkaRecord[]>((subscriber) => {
    let produced = 0;
    const next = (): void => {
      if (produced >= records) return subscriber.complete();
      if (produced - settled >= IN_FLIGHT) return void setTimeout(next, 1);
      const messages = poll('bench', produced, Math.min(POLL, records - produced), offsets);
      produced += messages.length;
      subscriber.next(polled.of(messages));
      setImmediate(next);
    };
    next();
  });
  const deadLetters = createDeadLetters({ ...config.deadLetter, taskId: 0 }, undefined, log);
  await new Promise<void>((resolve, reject) =>
    connectorPipeline({ config, records$, send: service.send, deadLetters, reporter: undefined, log }).subscribe({ error: reject, complete: resolve }),
  );
  service.close();
  const used = process.cpuUsage(cpu);
  if (settled !== records) throw new Error(`only ${settled} of ${records} records were acknowledged`);
  return { cpuMs: (used.user + used.system) / 1000, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** CPU of making the polls alone (what node-rdkafka's conversion stands for here): subtracted from each round. */
function generationCpuMs(): number {
  const offsets = new Array<number>(partitions).fill(0);
  const cpu = process.cpuUsage();
  let kept = 0;
  for (let produced = 0; produced < records; produced += POLL) kept += poll('bench', produced, Math.min(POLL, records - produced), offsets).length;
  const used = process.cpuUsage(cpu);
  if (kept !== records) throw new Error('generation miscounted');
  return (used.user + used.system) / 1000;
}

const receiver = await startBenchReceiver();
try {
  await receiver.setMode({ latencyMs: 0, countBy: 'newline' });
  const results: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const generation = generationCpuMs();
    const { cpuMs, seconds } = await round(`${receiver.url}${values.path}`);
    const perK = ((cpuMs - generation) / records) * 1000;
    results.push(perK);
    say(`round ${i + 1}: ${records} records in ${seconds.toFixed(2)} s, ${Math.round(records / seconds)} rec/s, CPU ${perK.toFixed(2)} ms per 1,000 records (making the polls: ${((generation / records) * 1000).toFixed(2)}, not counted)`);
  }
  const sorted = [...results].sort((a, b) => a - b);
  say(`median CPU ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} ms per 1,000 records (${values.converter} converter, ${size}-byte values, batches of 500${values.path ? `, URL path ${values.path}` : ''})`);
  const report = await receiver.report();
  if (report.records < records * rounds) throw new Error(`the receiver counted ${report.records} of ${records * rounds} records`);
} finally {
  await receiver.close();
}

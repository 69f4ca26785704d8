/**
 * `npm run bench:decode`: decode throughput of one process, without broker or HTTP: polls of 500 records through the
 * real `decode` operator, for a typical 10-field Avro record (schema cached, as after the first record of an id)
 * next to StringConverter and JsonConverter (plain, and with `schemas.enable` envelopes) on the same data. `-- --smoke` runs a few thousand records.
 */
import avro from 'avsc';
import { lastValueFrom, from, toArray } from 'rxjs';
import { type Converter, jsonConverter, stringConverter } from '../src/decode/converter.js';
import { compileSchema } from '../src/decode/compile-schema.js';
import { registryConverter } from '../src/decode/registry-converter.js';
import { decode } from '../src/decode/decode.js';
import type { KafkaRecord } from '../src/records/record.js';
import { READING_SCHEMA, reading, readingBody } from '../test/support/avro-reading.js';

/** The reading's Connect schema, as a JsonConverter envelope carries it (`schemas.enable=true`). */
const ENVELOPE_SCHEMA = JSON.stringify({
  type: 'struct',
  name: 'iot.Reading',
  fields: [
    { field: 'iot_id', type: 'int32' },
    { field: 'metric', type: 'string' },
    { field: 'measurement', type: 'double' },
    { field: 'unit', type: 'string', optional: true },
    { field: 'seq', type: 'int64' },
    { field: 'battery', type: 'float' },
    { field: 'tags', type: 'array', items: { type: 'string' } },
    { field: 'day', type: 'int32', name: 'org.apache.kafka.connect.data.Date' },
    { field: 'at', type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' },
    { field: 'price', type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } },
  ],
});

const smoke = process.argv.includes('--smoke');
const COUNT = smoke ? 5_000 : 300_000;
const POLL = 500;

function records(values: (i: number) => Buffer): KafkaRecord[] {
  return Array.from({ length: COUNT }, (_, i) => {
    const value = values(i);
    return { topic: 'bench', partition: 0, offset: i, timestamp: 0, headers: [], key: null, value, raw: { key: null, value }, handle: { ack: () => {} } } as unknown as KafkaRecord;
  });
}

async function rate(label: string, converter: Converter, input: KafkaRecord[]): Promise<number> {
  const polls: KafkaRecord[][] = [];
  for (let i = 0; i < input.length; i += POLL) polls.push(input.slice(i, i + POLL));
  await lastValueFrom(from(polls.slice(0, 20)).pipe(decode({ key: stringConverter, value: converter }), toArray())); // warm-up
  const started = process.hrtime.bigint();
  const out = await lastValueFrom(from(polls).pipe(decode({ key: stringConverter, value: converter }), toArray()));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const perSecond = out.flat().length / seconds;
  process.stdout.write(`${label.padEnd(34)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} records/s\n`);
  return perSecond;
}

async function main(): Promise<void> {
  const type = avro.Type.forSchema(READING_SCHEMA as avro.Schema);
  const header = Buffer.from([0, 0, 0, 0, 1]);
  const avroRecords = records((i) => Buffer.concat([header, type.toBuffer(reading(i))]));
  const json = (i: number) => Buffer.from(readingBody(i));
  const compiled = compileSchema({ id: 1, kind: 'AVRO', text: JSON.stringify(READING_SCHEMA), references: [] }, 'BASE64');
  const avroConverter = registryConverter('AVRO', 'AvroConverter', { cached: () => compiled, load: () => Promise.resolve(compiled) });
  process.stdout.write(`decode throughput, ${COUNT.toLocaleString('en-US')} records in polls of ${POLL} (${avroRecords[0]!.value!.length} B Avro, ${json(0).length} B JSON)\n`);
  await rate('AvroConverter (10 fields, cached)', avroConverter, avroRecords);
  await rate('JsonConverter (same data)', jsonConverter(false), records(json));
  const envelope = (i: number) => Buffer.from(`{"schema":${ENVELOPE_SCHEMA},"payload":${readingBody(i)}}`);
  await rate('JsonConverter schemas.enable (same)', jsonConverter(true), records(envelope));
  await rate('StringConverter (same data)', stringConverter, records(json));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});

/**
 * `npm run demo`: the seed's iot_measurements example end to end on the embedded default: a local Kafka broker,
 * the seed's three records, a local receiver printing every request, and pipelines/iot_measurements_sink.json.
 * Exits 0 once the three POSTs arrived and their offsets are committed; `--follow` keeps producing until Ctrl-C.
 */
import { committedOffsets, connectProducer, createTopic } from '../test/support/kafka-tools.js';
import { startLocalBroker } from '../src/cli/local-broker.js';
import { type ReceivedRequest, startReceiver } from '../test/support/receiver.js';
import { createLogger } from '../src/common/log.js';
import { loadPipeline, resolvePipelinePath } from '../src/connector/loadPipeline.js';
import { startPipeline } from '../src/connector/startPipeline.js';

const TOPIC = 'iot_measurements';
const SEED_RECORDS = [
  { key: '1', value: '{"iot_id":1, "metric":"Temperature", "measurement":14}' },
  { key: '2', value: '{"iot_id":2, "metric":"Humidity", "measurement":60}' },
  { key: '1', value: '{"iot_id":1, "metric":"Temperature", "measurement":16}' },
];
const follow = process.argv.includes('--follow');
const say = (line: string): boolean => process.stdout.write(`${line}\n`);

say('1. starting the local Kafka broker (first run fetches its jars with Maven) ...');
const broker = await startLocalBroker();
say(`   Kafka broker ready at ${broker.bootstrap}: produce more with any Kafka client, e.g. KAFKA_BOOTSTRAP_SERVERS=${broker.bootstrap}`);

let exitCode = 1;
try {
  await createTopic(broker.bootstrap, TOPIC, 1);
  const producer = await connectProducer(broker.bootstrap);
  await producer.send(TOPIC, SEED_RECORDS);
  say(`2. produced the seed's ${SEED_RECORDS.length} records to ${TOPIC}`);

  const receiver = await startReceiver({ onRequest: (request) => say(describe(request)) });
  say(`3. local HTTP receiver listening at ${receiver.url} (SERVER_URL)`);

  const env = { ...process.env, KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap, SERVER_URL: receiver.url };
  const running = await startPipeline(await loadPipeline(resolvePipelinePath('iot_measurements_sink')), {
    env,
    log: createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }),
  });
  say(`4. running pipelines/iot_measurements_sink.json (consumer group connect-${running.config.name}) ...\n`);

  let produced = SEED_RECORDS.length;
  await receiver.waitForAccepted(produced, 60_000);
  if (follow) {
    say('--follow: producing one measurement a second; Ctrl-C stops.');
    const ticker = setInterval(() => {
      const id = 1 + (produced % 3);
      void producer.send(TOPIC, [{ key: String(id), value: JSON.stringify({ iot_id: id, metric: 'Temperature', measurement: 10 + Math.round(Math.random() * 10) }) }]);
      produced += 1;
    }, 1000);
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
    clearInterval(ticker);
    await receiver.waitForAccepted(produced, 30_000);
  }
  await producer.close();
  await running.stop();
  await running.done;

  const committed = await committedOffsets(broker.bootstrap, `connect-${running.config.name}`, TOPIC, 1);
  say(`\n5. ${receiver.accepted.length} POSTs arrived; committed offset of ${TOPIC}/0: ${committed.get(0)} (of ${produced} records)`);
  await receiver.close();
  exitCode = committed.get(0) === produced ? 0 : 1;
  if (exitCode !== 0) say('   the committed offset does not cover every record: something is wrong');
} catch (error) {
  say(`demo failed: ${(error as Error).message}`);
} finally {
  await broker.stop();
}
process.exit(exitCode);

function describe(request: ReceivedRequest): string {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `     ${name}: ${String(value)}`)
    .join('\n');
  return `   --> ${request.method} ${request.path}\n${headers}\n     body: ${request.body.toString('utf8')}\n`;
}

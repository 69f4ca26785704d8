/** `npm run kafka`: the local broker in the foreground, data kept in .kafka/data. KAFKA_PORT picks the port (9092). */
import { join } from 'node:path';
import { freePort, startLocalBroker } from '../src/devtools/local-broker.js';

const wanted = Number(process.env.KAFKA_PORT ?? 9092);
const port = (await isFree(wanted)) ? wanted : await freePort();
process.stdout.write(`starting the local Kafka broker (KRaft, single node) on 127.0.0.1:${port} ...\n`);
const broker = await startLocalBroker({ port, dataDir: join('.kafka', `data-${port}`) });
process.stdout.write(`Kafka broker ready: KAFKA_BOOTSTRAP_SERVERS=${broker.bootstrap}\nlog: ${broker.logFile}\nCtrl-C stops it.\n`);
await new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});
process.stdout.write('stopping the broker...\n');
await broker.stop();

async function isFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

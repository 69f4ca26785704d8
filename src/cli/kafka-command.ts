/** `kafka-http-sink kafka` (and `npm run kafka`): the local broker in the foreground, data kept in .kafka/data-<port>. */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { freePort, startLocalBroker } from './local-broker.js';

export async function kafkaCommand(env: NodeJS.ProcessEnv): Promise<number> {
  const wanted = Number(env.KAFKA_PORT ?? 9092);
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
  return 0;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

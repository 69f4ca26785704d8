// Starts one local Kafka broker for the whole integration run; tests find it in KAFKA_TEST_BOOTSTRAP.
// Plain ESM (Jest loads global setup outside its transform); the TypeScript module is loaded with tsx.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  if (globalThis.__broker) return; // one broker for every project of the run
  const { startLocalBroker } = await tsImport('../../src/cli/local-broker.ts', import.meta.url);
  const broker = await startLocalBroker();
  process.env.KAFKA_TEST_BOOTSTRAP = broker.bootstrap;
  globalThis.__broker = broker;
}

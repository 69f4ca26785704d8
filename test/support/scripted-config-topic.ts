/**
 * A cluster's config topic in memory, for unit tests without a broker: the config log (cluster/config-log.ts) over a
 * recording producer whose writes are read back at once, as the topic would, and records a test hands in.
 */
import { NO_PROVIDERS } from '../../src/common/config/providers.js';
import { createLogger } from '../../src/common/log.js';
import { startPipeline } from '../../src/connector/startPipeline.js';
import { ConfigLog } from '../../src/worker/cluster/config-log.js';
import type { LogProducer } from '../../src/worker/cluster/log-producer.js';
import type { TailRecord } from '../../src/worker/cluster/topic-tail.js';
import { Connectors } from '../../src/worker/connectors.js';

const log = createLogger({ level: 'error' });

/** A config topic in memory: what the producer wrote (read back at once, as the topic would), and a reader whose records the test hands in. */
export function scriptedTopic() {
  const written: [string, string | null][] = [];
  let deliver: (record: TailRecord) => void = () => undefined;
  let offset = 0;
  const producer = {
    write: async (_topic: string, key: string, value: string | null) => {
      written.push([key, value]);
      const at = offset++;
      deliver({ key, value: value ?? undefined, partition: 0, offset: at });
      return { partition: 0, offset: at };
    },
  } as unknown as LogProducer;
  const store = new ConfigLog({ kafka: {}, topic: 'connect-configs', producer, log }, (onRecord) => {
    deliver = onRecord;
    return { start: async () => undefined, readPast: async () => undefined, close: async () => undefined };
  });
  const record = (key: string, value: string | undefined): void => deliver({ key, value, partition: 0, offset: offset++ });
  return { store, written, record };
}

/** Connectors over the config log, as a worker that allows no `${...}` references (NO_PROVIDERS) and whose env is empty. */
export function workerOn(store: ConfigLog, held = false): Connectors {
  return new Connectors({
    store,
    env: {},
    providers: NO_PROVIDERS,
    log,
    held,
    deps: () => ({ env: {}, log, observer: () => undefined as never, statisticsIntervalMs: 1000, start: startPipeline, providers: NO_PROVIDERS }),
    runsHere: () => false, // nothing starts a pipeline here, except where a test says so
  });
}

/** A worker that restored nothing and follows the scripted config topic, as after its join. */
export async function joinedWorker(): Promise<{ topic: ReturnType<typeof scriptedTopic>; connectors: Connectors }> {
  const topic = scriptedTopic();
  await topic.store.start();
  const connectors = workerOn(topic.store);
  connectors.restore([]);
  topic.store.follow((name, stored) => connectors.applyStored(name, stored));
  return { topic, connectors };
}

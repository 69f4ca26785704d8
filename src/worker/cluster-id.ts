/**
 * The Kafka cluster's id for `GET /` (`kafka_cluster_id`, as Kafka Connect reports it). node-rdkafka 3.6 exposes
 * neither librdkafka's `rd_kafka_clusterid()` nor the id in its metadata or statistics, but librdkafka logs it
 * (`CLUSTERID`, "ClusterId update") when a metadata response first carries it: a short-lived client with generic
 * debug logging connects, reads that line, and disconnects. Asked again only until an answer came.
 */
import rdkafka from 'node-rdkafka';
import { nativeConfig } from '../source/native-config.js';

export type KafkaClientConfig = Record<string, string | number | boolean>;

const UPDATE = /ClusterId update "[^"]*" -> "([^"]+)"/;

/** Connects with `config` (bootstrap servers, TLS, SASL) and resolves the cluster id; rejects on timeout or failure. */
function fetchClusterId(config: KafkaClientConfig, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new rdkafka.Producer(nativeConfig({ ...config, debug: 'generic', event_cb: true, 'client.id': 'kafka-http-sink-worker-cluster-id', log_level: 7 }), {});
    let settled = false;
    const finish = (error: Error | undefined, id?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.removeAllListeners('event.log');
      if (client.isConnected()) client.disconnect();
      if (error) reject(error);
      else resolve(id!);
    };
    const timer = setTimeout(() => finish(new Error(`no cluster id from ${String(config['bootstrap.servers'])} within ${timeoutMs} ms`)), timeoutMs);
    client.on('event.log', (line: { fac?: string; message?: string }) => {
      const match = line.fac === 'CLUSTERID' ? UPDATE.exec(line.message ?? '') : null;
      if (match) finish(undefined, match[1]!);
    });
    client.on('event.error', () => {}); // connection errors end in the timeout or connect's callback
    client.connect({ timeout: timeoutMs }, (error) => {
      if (error) finish(new Error(`cannot reach ${String(config['bootstrap.servers'])}: ${error.message}`));
      else if (settled) client.disconnect(); // connected after the answer or the timeout
    });
  });
}

/**
 * The id once known; until then each call starts a lookup (one at a time) and waits for it at most `waitMs`,
 * answering '' when it is not there yet or failed (the next call tries again).
 */
export function clusterIdCache(configOf: () => KafkaClientConfig, waitMs = 2000, fetch: typeof fetchClusterId = fetchClusterId): () => Promise<string> {
  let known: string | undefined;
  let pending: Promise<string> | undefined;
  return async () => {
    if (known !== undefined) return known;
    pending ??= fetch(configOf()).then(
      (id) => (known = id),
      () => '',
    ).finally(() => (pending = undefined));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(''), waitMs)));
    try {
      return await Promise.race([pending, late]);
    } finally {
      clearTimeout(timer);
    }
  };
}

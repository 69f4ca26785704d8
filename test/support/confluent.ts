/** Confluent HTTP Sink connector configs for the tests, as Confluent's quick start writes them. */
import { bootstrap } from './harness.js';

export const CONFLUENT_CLASS = 'io.confluent.connect.http.HttpSinkConnector';

/** String converters, the licence keys for a one-broker cluster, no reporting unless `extra` asks; no name. */
export function confluentConfig(topic: string, url: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'connector.class': CONFLUENT_CLASS,
    'tasks.max': '1',
    topics: topic,
    'http.api.url': url,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'confluent.topic.bootstrap.servers': bootstrap(),
    'confluent.topic.replication.factor': '1',
    'reporter.result.topic.name': '',
    'reporter.error.topic.name': '',
    ...extra,
  };
}

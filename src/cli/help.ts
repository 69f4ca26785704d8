/** `kafka-http-sink [command] --help`: one text per command, with examples taken from the seed's connector. */
import { workerConfigSpec } from '../worker/worker-config.js';

const SEED = `{"name":"iot_measurements_sink",
   "connector.class":"io.aiven.kafka.connect.http.HttpSinkConnector",
   "topics":"iot_measurements", "http.url":"https://example.com/ingest",
   "http.authorization.type":"none",
   "key.converter":"org.apache.kafka.connect.storage.StringConverter",
   "value.converter":"org.apache.kafka.connect.storage.StringConverter"}`;

export const HELP: Record<string, string> = {
  main: `kafka-http-sink: runs Kafka Connect HTTP sink connector files (Aiven's), without a Kafka Connect cluster.

Usage: kafka-http-sink <command> [options]

Commands:
  run <file|name>    run one connector until Ctrl-C (what \`npm run pipeline\` does)
  worker             run a worker: Kafka Connect REST API, status page, metrics (what \`npm start\` does)
  validate <file>    check a connector file without connecting; lists every problem with its key
  kafka              start a local single-node Kafka broker (what \`npm run kafka\` does)
  help [command]     this text, or a command's
  worker-task        internal: one task process of a connector of tasks.max > 1; the worker (or run) starts it

Every command takes --help. Kafka is found at KAFKA_BOOTSTRAP_SERVERS (default localhost:9092); a worker given a
worker file uses its bootstrap.servers.

Example (the seed's connector, pipelines/iot_measurements_sink.json):
  SERVER_URL=https://example.com/ingest kafka-http-sink run iot_measurements_sink
`,
  run: `Usage: kafka-http-sink run <name|file>

Runs one connector until SIGINT/SIGTERM (exit 0). A name is looked up in pipelines/ (<name>.json, .ts, .js);
anything else is a path to a connector .json (flat, or {"name":..., "config":{...}}) or a pipeline .ts.
Exit codes: 0 stopped cleanly, 1 a delivery or Kafka failure, 2 a bad connector file (one line naming the key).

Examples:
  SERVER_URL=https://example.com/ingest kafka-http-sink run iot_measurements_sink
  KAFKA_BOOTSTRAP_SERVERS=my-kafka:9092 kafka-http-sink run ./http_sink.json
`,
  worker: `Usage: kafka-http-sink worker [worker.properties] [--host H] [--port N] [--state-dir DIR] [--pipelines-dir DIR | --no-pipelines]

Runs every connector in the pipelines directory plus those created through the REST API (kept in the state
directory across restarts), and serves Kafka Connect's REST API, a status page (/ui), Prometheus metrics
(/metrics) and health checks (/health, /ready). Stops gracefully on SIGINT/SIGTERM.

A Kafka Connect worker file, when given, configures every connector's Kafka clients (bootstrap.servers, the
security keys, consumer.*, producer.*, connector.client.config.override.policy; see docs/worker.md) and, with
group.id, makes the worker one of a cluster. Without it, connectors use KAFKA_BOOTSTRAP_SERVERS.

Environment (flags win):
${Object.entries(workerConfigSpec)
  .map(([name, spec]) => `  ${name.padEnd(30)} ${spec.doc.replaceAll('`', '')}${spec.default === null ? '' : ` (default ${spec.default})`}`)
  .join('\n')}

Examples:
  kafka-http-sink worker --port 8083
  curl -X POST -H 'Content-Type: application/json' http://127.0.0.1:8083/connectors \\
    -d '${SEED}'
  curl http://127.0.0.1:8083/connectors/iot_measurements_sink/status
  curl -X PUT http://127.0.0.1:8083/connectors/iot_measurements_sink/pause
`,
  validate: `Usage: kafka-http-sink validate <file>

Checks a connector file (.json, or a pipeline .ts) the way \`run\` would, without connecting to anything, and
lists every problem with its key. \${env:...} and \${file:...} references are resolved, so run it with the
same environment. Exit codes: 0 valid, 2 invalid or unreadable.

Example:
  SERVER_URL=https://example.com/ingest kafka-http-sink validate pipelines/iot_measurements_sink.json
`,
  kafka: `Usage: kafka-http-sink kafka

Starts a local single-node Kafka broker (KRaft) in the foreground, on 127.0.0.1:9092 (KAFKA_PORT changes it;
data in .kafka/data-<port>). Its jars are fetched from Maven Central on first use. Ctrl-C stops it.

Example:
  kafka-http-sink kafka   # then, in another shell:
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 SERVER_URL=https://example.com/ingest kafka-http-sink run iot_measurements_sink
`,
};

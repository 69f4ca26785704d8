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
  offsets <file|name> show a connector's committed offsets, or move them (to a time, earliest, latest, by N)
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
anything else is a path to a connector .json (flat, or {"name":..., "config":{...}}), a Kafka Connect .properties
file or a pipeline .ts. Aiven's and Confluent's HTTP sink classes are both run (docs/migrating-from-confluent.md).
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
  offsets: `Usage: kafka-http-sink offsets <file|name> [--to-datetime T | --to-earliest | --to-latest | --shift-by N] [--dry-run | --execute]

Shows the committed offsets of a connector's consumer group (connect-<name>), or moves them for every partition of
its topics, as kafka-consumer-groups --reset-offsets does: the plan is printed, and committed only with --execute
(--dry-run, the default, commits nothing). Refused while the group has active members: stop the connector first.
A name is looked up in pipelines/ like run; a name without a file uses KAFKA_BOOTSTRAP_SERVERS and the
topics its group holds offsets for. --to-datetime takes ISO 8601 (2026-01-31T12:00:00Z; without a zone, local
time): each partition moves to its first record at or after that time (the log end where none is).
Exit codes: 0 done (or planned), 1 refused or a Kafka failure, 2 bad arguments or connector file.

Examples:
  kafka-http-sink offsets iot_measurements_sink
  kafka-http-sink offsets iot_measurements_sink --to-datetime 2026-01-31T12:00:00Z --dry-run
  kafka-http-sink offsets ./http_sink.json --shift-by -100 --execute
`,
  validate: `Usage: kafka-http-sink validate <file>

Checks a connector file (.json, .properties, or a pipeline .ts) the way \`run\` would, without connecting to anything, and
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

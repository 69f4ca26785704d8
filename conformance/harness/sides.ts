/**
 * The two sides under comparison, each a long-running process with Kafka Connect's REST API: real Kafka Connect
 * 3.9.1 in standalone mode running the reference connector, and our worker (`kafka-http-sink worker`, from src/).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/cli/local-broker.js';

export interface Side {
  readonly label: 'connect' | 'ours';
  readonly base: string;
  readonly logFile: string;
  /** Its temporary directory (config, logs, state): kept for a look after a failed run, removed after a clean one. */
  readonly dir: string;
  /** The side's process (the bench reads its CPU time and peak RSS). */
  readonly pid?: number;
  stop(): Promise<void>;
}

export interface RestAnswer {
  status: number;
  body: unknown;
}

export async function rest(base: string, method: string, path: string, body?: unknown): Promise<RestAnswer> {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}

/** Waits until `GET /` answers 200, the process exits (rejects, pointing at its log) or `timeoutMs` passes. */
async function whenUp(base: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`exited (${exited}) before its REST API answered; see ${logFile}`);
    try {
      if ((await rest(base, 'GET', '/')).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`REST API not up after ${timeoutMs} ms; see ${logFile}`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/**
 * Kafka Connect in standalone mode, the reference connector on its class path. The worker's converters are those
 * of the connect-standalone.properties Kafka ships (JsonConverter, schemas enabled): a connector file without
 * converters gets them, as it would on a fresh Connect install. `connectorFiles`: connector .properties files it
 * starts with, as `connect-standalone worker.properties connector.properties` does.
 */
export async function startConnect(root: string, bootstrap: string, connectorFiles: readonly string[] = []): Promise<Side> {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-connect-'));
  const port = await freePort();
  const properties = [
    `bootstrap.servers=${bootstrap}`,
    'key.converter=org.apache.kafka.connect.json.JsonConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable=true',
    'value.converter.schemas.enable=true',
    `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
    'offset.flush.interval.ms=500',
    `listeners=http://127.0.0.1:${port}`,
    'plugin.discovery=only_scan',
  ];
  writeFileSync(join(dir, 'worker.properties'), properties.join('\n') + '\n');
  const logFile = join(dir, 'connect.log');
  writeFileSync(
    join(dir, 'log4j.properties'),
    ['log4j.rootLogger=INFO, file', 'log4j.appender.file=org.apache.log4j.FileAppender', `log4j.appender.file.File=${logFile}`,
      'log4j.appender.file.layout=org.apache.log4j.PatternLayout', 'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
      'log4j.logger.org.apache.kafka.clients=WARN', 'log4j.logger.org.reflections=ERROR'].join('\n') + '\n',
  );
  const classPath = [join(root, '.conformance', 'libs', '*'), join(root, '.conformance', 'reference')].join(':');
  const out = createWriteStream(join(dir, 'connect.stdout'));
  const child = spawn('java', ['-Xms256m', '-Xmx768m', `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`, '-cp', classPath,
    'org.apache.kafka.connect.cli.ConnectStandalone', join(dir, 'worker.properties'), ...connectorFiles], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const base = `http://127.0.0.1:${port}`;
  const side: Side = { label: 'connect', base, logFile, dir, pid: child.pid, stop: stopper(child) };
  await whenUp(base, child, logFile, 180_000).catch(async (error: Error) => {
    await side.stop();
    throw new Error(`Kafka Connect: ${error.message}`);
  });
  return side;
}

/** Our worker, run from src/ as the tests run it, with an empty pipelines directory and its own state directory. */
export async function startOurs(root: string, bootstrap: string): Promise<Side> {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-ours-'));
  mkdirSync(join(dir, 'pipelines'));
  const port = await freePort();
  const logFile = join(dir, 'worker.log');
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, [join(root, 'bin', 'kafka-http-sink.mjs'), 'worker', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KAFKA_HTTP_SINK_FROM_SOURCE: '1', KAFKA_BOOTSTRAP_SERVERS: bootstrap, WORKER_STATE_DIR: join(dir, 'state'),
      WORKER_PIPELINES_DIR: join(dir, 'pipelines'), WORKER_TASKS_MAX_PER_CONNECTOR: '1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const base = `http://127.0.0.1:${port}`;
  const side: Side = { label: 'ours', base, logFile, dir, pid: child.pid, stop: stopper(child) };
  await whenUp(base, child, logFile, 120_000).catch(async (error: Error) => {
    await side.stop();
    throw new Error(`our worker: ${error.message}`);
  });
  return side;
}

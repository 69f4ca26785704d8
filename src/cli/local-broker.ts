/**
 * A single-node Apache Kafka broker (KRaft, broker + controller in one JVM) on loopback, from the jars that
 * scripts/fetch-kafka.sh caches in .kafka/libs. Used by the tests, the demo, the bench and `npm run kafka`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SinkError } from '../common/errors.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const LIBS = join(ROOT, '.kafka', 'libs');
const READY_LINE = 'Kafka Server started';

export interface LocalBrokerOptions {
  /** Client port; a free one when absent. */
  port?: number;
  /** Keeps data across runs when given (and not removed on stop); a fresh temp dir otherwise. */
  dataDir?: string;
  /** Lines of the broker's own log, for progress output. */
  onLog?: (line: string) => void;
  startTimeoutMs?: number;
  /** Optional secured listeners besides the PLAINTEXT one (which stays, for admin and test producers). */
  secure?: SecureListenerOptions;
}

/** PEM files for the broker's TLS listeners, and SASL users. */
export interface SecureListenerOptions {
  /** CA bundle the broker trusts client certificates from (and clients check the broker with). */
  caFile: string;
  /** The broker's certificate chain and its unencrypted PKCS#8 private key, PEM. */
  certFile: string;
  keyFile: string;
  /** Listeners to open: `SSL` requires a client certificate signed by `caFile`. */
  listeners: readonly SecureProtocol[];
  /** Users created at format time for SCRAM-SHA-256/512, and accepted by PLAIN. */
  users?: readonly { name: string; password: string }[];
}

export type SecureProtocol = 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';

export interface LocalBroker {
  /** host:port for `bootstrap.servers`. */
  readonly bootstrap: string;
  /** host:port of each secured listener that was asked for. */
  readonly secureBootstrap: Partial<Record<SecureProtocol, string>>;
  readonly dataDir: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

export class BrokerStartError extends SinkError {
  constructor(message: string) {
    super('BROKER_START', message, { retriable: false });
  }
}

/** Makes sure the broker jars are in .kafka/libs, fetching them with Maven on first use. */
export function ensureKafkaJars(): string {
  const cached = existsSync(LIBS) && readdirSync(LIBS).some((f) => f.startsWith('.complete-'));
  if (!cached) {
    const fetched = spawnSync('bash', [join(ROOT, 'scripts', 'fetch-kafka.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (fetched.status !== 0) throw new BrokerStartError('could not fetch the Kafka broker jars (scripts/fetch-kafka.sh failed)');
  }
  return LIBS;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startLocalBroker(options: LocalBrokerOptions = {}): Promise<LocalBroker> {
  const libs = ensureKafkaJars();
  const port = options.port ?? (await freePort());
  const controllerPort = await freePort();
  const keepData = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'local-kafka-'));
  mkdirSync(dataDir, { recursive: true });
  const logDir = join(dataDir, 'log');
  const configFile = join(dataDir, 'server.properties');
  const log4jFile = join(dataDir, 'log4j.properties');
  const securePorts: Partial<Record<SecureProtocol, number>> = {};
  for (const protocol of options.secure?.listeners ?? []) securePorts[protocol] = await freePort();
  writeFileSync(configFile, serverProperties(port, controllerPort, logDir) + secureProperties(dataDir, { port, controllerPort }, securePorts, options.secure));
  writeFileSync(log4jFile, LOG4J);
  const java = ['-cp', `${libs}/*`, `-Dlog4j.configuration=file:${log4jFile}`];

  if (!existsSync(join(logDir, 'meta.properties'))) {
    const clusterId = newClusterId();
    const scram = (options.secure?.users ?? []).flatMap((u) =>
      ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((mechanism) => ['--add-scram', `${mechanism}=[name=${u.name},password=${u.password}]`]),
    );
    const format = spawnSync('java', [...java, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', configFile, ...scram], { encoding: 'utf8' });
    if (format.status !== 0) throw new BrokerStartError(`formatting KRaft storage failed: ${format.stderr || format.stdout}`);
  }

  const logFile = join(dataDir, 'broker.log');
  const child = spawn('java', ['-Xms256m', '-Xmx1g', '-XX:+UseG1GC', '-Djava.awt.headless=true', ...java, 'kafka.Kafka', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const out = createWriteStream(logFile);
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);

  await waitUntilReady(child, logFile, options);
  const bootstrap = `127.0.0.1:${port}`;
  const secureBootstrap = Object.fromEntries(Object.entries(securePorts).map(([protocol, p]) => [protocol, `127.0.0.1:${p}`]));
  return {
    bootstrap,
    secureBootstrap,
    dataDir,
    logFile,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await stopProcess(child);
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A random cluster id; one that starts with '-' would be read as an option by kafka-storage, so none does. */
function newClusterId(): string {
  const id = randomBytes(16).toString('base64url');
  return id.startsWith('-') ? `A${id.slice(1)}` : id;
}

function waitUntilReady(child: ChildProcess, logFile: string, options: LocalBrokerOptions): Promise<void> {
  const timeoutMs = options.startTimeoutMs ?? 90_000;
  return new Promise((resolveReady, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new BrokerStartError(`broker not ready after ${timeoutMs} ms; log: ${logFile}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        options.onLog?.(line);
        if (line.includes(READY_LINE)) {
          clearTimeout(timer);
          child.removeListener('exit', onExit);
          resolveReady();
        }
      }
    };
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
      reject(new BrokerStartError(`broker exited with code ${String(code)} before it was ready:\n${tail}`));
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

function serverProperties(port: number, controllerPort: number, logDir: string): string {
  return `process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${logDir}
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
`;
}

/** Extra listeners (appended properties override the plain ones above): PEM key material, SASL mechanisms, JAAS. */
function secureProperties(
  dataDir: string,
  plain: { port: number; controllerPort: number },
  ports: Partial<Record<SecureProtocol, number>>,
  secure: SecureListenerOptions | undefined,
): string {
  const listeners = Object.entries(ports) as [SecureProtocol, number][];
  if (secure === undefined || listeners.length === 0) return '';
  const keystore = join(dataDir, 'broker-keystore.pem');
  writeFileSync(keystore, `${readFileSync(secure.keyFile, 'utf8').trim()}\n${readFileSync(secure.certFile, 'utf8').trim()}\n`);
  const plainUsers = (secure.users ?? []).map((u) => `user_${u.name}="${u.password}"`).join(' ');
  const lines = [
    `listeners=PLAINTEXT://127.0.0.1:${plain.port},CONTROLLER://127.0.0.1:${plain.controllerPort},${listeners.map(([p, n]) => `${p}://127.0.0.1:${n}`).join(',')}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${plain.port},${listeners.map(([p, n]) => `${p}://127.0.0.1:${n}`).join(',')}`,
    `listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,${listeners.map(([p]) => `${p}:${p}`).join(',')}`,
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${keystore}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${secure.caFile}`,
    'listener.name.ssl.ssl.client.auth=required',
    'sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN',
  ];
  for (const listener of ['sasl_plaintext', 'sasl_ssl']) {
    lines.push(
      `listener.name.${listener}.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
      `listener.name.${listener}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
      `listener.name.${listener}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const LOG4J = `log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
`;

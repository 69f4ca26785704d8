/**
 * Kafka connections that cannot work, as a new user meets them: against a broker of its own with an mTLS listener
 * (`SSL`, client certificate required) and `SASL_SSL` + SCRAM-SHA-512, a wrong password, a wrong CA and a client
 * certificate the broker does not trust each stop the pipeline within seconds, with one line naming the cause and no
 * storm of identical log lines. The same broker checks Java key and trust stores given as `kafka.ssl.*` and as
 * `consumer.override.*` keys.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { committedOffsets, createTopic, produce } from '../support/kafka-tools.js';
import { type LocalBroker, type SecureProtocol, startLocalBroker } from '../../src/cli/local-broker.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { makeTestCerts, type TestCerts } from '../support/certs.js';
import { makeStores, STORE_PASSWORD } from '../support/key-stores.js';
import { baseConnector, captureLog, runConnector } from '../support/harness.js';

const SASL_PASSWORD = 'alice-sasl-secret-8d1f';
const WRONG_PASSWORD = 'wrong-sasl-secret-44aa';

describe('Kafka connection failures and stores', () => {
  let certs: TestCerts;
  let stores: ReturnType<typeof makeStores>;
  let broker: LocalBroker;
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  /** A client certificate and key signed by a CA the broker does not trust. */
  let rogue: { cert: string; key: string };

  beforeAll(async () => {
    certs = makeTestCerts();
    stores = makeStores(certs);
    const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: certs.dir, stdio: 'ignore', timeout: 30_000 });
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'rogue.key', '-out', 'rogue.csr', '-subj', '/CN=rogue']);
    openssl(['x509', '-req', '-in', 'rogue.csr', '-CA', 'other-ca.pem', '-CAkey', 'other-ca.key', '-CAcreateserial', '-out', 'rogue.pem', '-days', '2']);
    rogue = { cert: join(certs.dir, 'rogue.pem'), key: join(certs.dir, 'rogue.key') };
    broker = await startLocalBroker({
      secure: { caFile: certs.caFile, certFile: certs.serverCertFile, keyFile: certs.serverKeyFile, listeners: ['SSL', 'SASL_SSL'], users: [{ name: 'alice', password: SASL_PASSWORD }] },
    });
  }, 180_000);
  afterAll(async () => {
    await broker?.stop();
    certs?.remove();
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await receiver?.close();
    receiver = undefined;
  });

  async function topicWith(values: string[]): Promise<string> {
    const topic = `kce_${Math.random().toString(16).slice(2, 10)}`;
    await createTopic(broker.bootstrap, topic, 1);
    await produce(broker.bootstrap, topic, values.map((value) => ({ value })));
    return topic;
  }

  /** Starts the connector through `listener`; it must fail within 10 s with `cause`. Returns the log lines. */
  async function failsFast(listener: SecureProtocol, security: Record<string, string>, cause: RegExp): Promise<string[]> {
    const topic = await topicWith(['a']);
    receiver = await startReceiver();
    const { log, lines } = captureLog('info');
    const started = Date.now();
    const error = await runConnector(
      { ...baseConnector(`kce_${topic}`, topic, receiver.url), 'kafka.security.protocol': listener, ...security },
      { log, env: { KAFKA_BOOTSTRAP_SERVERS: broker.secureBootstrap[listener]! } },
    ).then(
      async (r) => {
        running = r;
        return r.done.then(() => new Error('the pipeline ended without an error'), (e: unknown) => e as Error);
      },
      (e: unknown) => e as Error,
    );
    const elapsed = Date.now() - started;
    expect(error.message).toMatch(cause);
    expect(elapsed).toBeLessThan(10_000);
    expect(receiver.requests).toHaveLength(0);
    // No storm: each distinct line at most a few times (first report, then one count per interval).
    const messages = lines.map((l) => (JSON.parse(l) as { message: string }).message);
    const counts = new Map<string, number>();
    for (const m of messages) counts.set(m, (counts.get(m) ?? 0) + 1);
    expect(Math.max(0, ...counts.values())).toBeLessThanOrEqual(3);
    expect(messages.length).toBeLessThan(25);
    expect(`${lines.join('\n')}${error.message}`).not.toContain(WRONG_PASSWORD);
    return lines;
  }

  it('a wrong SASL password: authentication failed, named at once', async () => {
    const lines = await failsFast(
      'SASL_SSL',
      { 'kafka.ssl.ca.location': certs.caFile, 'kafka.sasl.mechanism': 'SCRAM-SHA-512', 'kafka.sasl.username': 'alice', 'kafka.sasl.password': WRONG_PASSWORD },
      /cannot connect to Kafka at .*: authentication failed \(check sasl\.mechanism, sasl\.username and sasl\.password\): .*SASL authentication error: Authentication failed .*SCRAM-SHA-512/,
    );
    expect(lines.join('\n')).not.toMatch(/broker transport failure/);
  });

  it('a CA that did not sign the broker\'s certificate: certificate verification failed', async () => {
    await failsFast(
      'SASL_SSL',
      { 'kafka.ssl.ca.location': certs.otherCaFile, 'kafka.sasl.mechanism': 'SCRAM-SHA-512', 'kafka.sasl.username': 'alice', 'kafka.sasl.password': SASL_PASSWORD },
      /cannot connect to Kafka at .*: the broker's certificate could not be verified .*certificate verify failed/,
    );
  });

  it('a client certificate the broker does not trust (mTLS listener): the broker refused it', async () => {
    await failsFast(
      'SSL',
      { 'kafka.ssl.ca.location': certs.caFile, 'kafka.ssl.certificate.location': rogue.cert, 'kafka.ssl.key.location': rogue.key },
      /cannot connect to Kafka at .*: the broker refused the client certificate .*(alert|certificate)/,
    );
  });

  /** Delivers three records through `listener` with `security`; checks bodies and the committed offset. */
  async function deliversThrough(listener: SecureProtocol, security: Record<string, string>): Promise<void> {
    const topic = await topicWith(['a', 'b', 'c']);
    receiver = await startReceiver();
    const name = `kcs_${topic}`;
    running = await runConnector(
      { ...baseConnector(name, topic, receiver.url), 'kafka.security.protocol': listener, ...security },
      { env: { KAFKA_BOOTSTRAP_SERVERS: broker.secureBootstrap[listener]! } },
    );
    await receiver.waitForAccepted(3, 60_000);
    await running.stop();
    running = undefined;
    expect(receiver.accepted.map((r) => r.body.toString())).toEqual(['a', 'b', 'c']);
    expect((await committedOffsets(broker.bootstrap, `connect-${name}`, topic, 1)).get(0)).toBe(3);
  }

  it('mTLS through a JKS trust store and a PKCS12 key store (kafka.ssl.*)', async () => {
    await deliversThrough('SSL', {
      'kafka.ssl.truststore.location': stores.trustJks,
      'kafka.ssl.truststore.password': STORE_PASSWORD,
      'kafka.ssl.truststore.type': 'JKS',
      'kafka.ssl.keystore.location': stores.keyP12,
      'kafka.ssl.keystore.password': STORE_PASSWORD,
      'kafka.ssl.keystore.type': 'PKCS12',
    });
  });

  it('mTLS through a PKCS12 trust store and a JKS key store', async () => {
    await deliversThrough('SSL', {
      'kafka.ssl.truststore.location': stores.trustP12,
      'kafka.ssl.truststore.password': STORE_PASSWORD,
      'kafka.ssl.keystore.location': stores.keyJks,
      'kafka.ssl.keystore.password': STORE_PASSWORD,
      'kafka.ssl.keystore.type': 'JKS',
    });
  });

  it('SASL_SSL as Kafka Connect files write it: consumer.override.* with a JAAS line and a JKS trust store', async () => {
    await deliversThrough('SASL_SSL', {
      'consumer.override.security.protocol': 'SASL_SSL',
      'consumer.override.sasl.mechanism': 'SCRAM-SHA-512',
      'consumer.override.sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="${SASL_PASSWORD}";`,
      'consumer.override.ssl.truststore.location': stores.trustJks,
      'consumer.override.ssl.truststore.password': STORE_PASSWORD,
    });
  });
});

/**
 * Secure Kafka through the `kafka.*` passthrough: a broker of its own with an SSL listener that requires client
 * certificates, and SASL (SCRAM-SHA-256/512, PLAIN) over plaintext and TLS. Records are produced on the broker's
 * plaintext listener; the pipeline reads through the secured one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { committedOffsets, createTopic, produce } from '../support/kafka-tools.js';
import { type LocalBroker, startLocalBroker } from '../../src/cli/local-broker.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { makeTestCerts, type TestCerts } from '../support/certs.js';
import { baseConnector, captureLog, runConnector } from '../support/harness.js';

const SASL_PASSWORD = 'alice-sasl-secret-5e2d';

describe('secure Kafka', () => {
  let certs: TestCerts;
  let broker: LocalBroker;
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  const logs: string[] = [];

  beforeAll(async () => {
    certs = makeTestCerts();
    broker = await startLocalBroker({
      secure: {
        caFile: certs.caFile,
        certFile: certs.serverCertFile,
        keyFile: certs.serverKeyFile,
        listeners: ['SSL', 'SASL_PLAINTEXT', 'SASL_SSL'],
        users: [{ name: 'alice', password: SASL_PASSWORD }],
      },
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
  });

  /** Produces three records to a fresh topic, runs the connector through `listener` with `security`, checks delivery and the commit. */
  async function deliversThrough(listener: 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL', security: Record<string, string>): Promise<void> {
    const topic = `secure_${listener.toLowerCase()}_${Math.random().toString(16).slice(2, 10)}`;
    await createTopic(broker.bootstrap, topic, 1);
    await produce(broker.bootstrap, topic, ['a', 'b', 'c'].map((value) => ({ value })));
    receiver = await startReceiver();
    const name = `sk_${topic}`;
    const { log, lines } = captureLog('debug');
    running = await runConnector(
      { ...baseConnector(name, topic, receiver.url), 'kafka.security.protocol': listener, ...security },
      { log, env: { KAFKA_BOOTSTRAP_SERVERS: broker.secureBootstrap[listener]!, SASL_PASSWORD } },
    );
    await receiver.waitForAccepted(3, 60_000);
    await running.stop();
    logs.push(...lines);
    expect(receiver.accepted.map((r) => r.body.toString())).toEqual(['a', 'b', 'c']);
    expect((await committedOffsets(broker.bootstrap, `connect-${name}`, topic, 1)).get(0)).toBe(3);
  }

  it('SSL with a client certificate (encrypted key), as Aiven hands out ca.pem, service.cert and service.key', async () => {
    await deliversThrough('SSL', {
      'kafka.ssl.ca.location': certs.caFile,
      'kafka.ssl.certificate.location': certs.clientCertFile,
      'kafka.ssl.key.location': certs.clientEncryptedKeyFile,
      'kafka.ssl.key.password': certs.clientKeyPassword,
    });
  });

  it('SASL_SSL with SCRAM-SHA-512, the password from the environment', async () => {
    await deliversThrough('SASL_SSL', {
      'kafka.ssl.ca.location': certs.caFile,
      'kafka.sasl.mechanism': 'SCRAM-SHA-512',
      'kafka.sasl.username': 'alice',
      'kafka.sasl.password': '${env:SASL_PASSWORD}',
    });
  });

  it('SASL_PLAINTEXT with SCRAM-SHA-256', async () => {
    await deliversThrough('SASL_PLAINTEXT', { 'kafka.sasl.mechanism': 'SCRAM-SHA-256', 'kafka.sasl.username': 'alice', 'kafka.sasl.password': SASL_PASSWORD });
  });

  it('SASL_PLAINTEXT with PLAIN', async () => {
    await deliversThrough('SASL_PLAINTEXT', { 'kafka.sasl.mechanism': 'PLAIN', 'kafka.sasl.username': 'alice', 'kafka.sasl.password': SASL_PASSWORD });
  });

  it('logged nothing secret at debug level', () => {
    const text = logs.join('\n');
    expect(text).toContain('"level":"debug"');
    expect(text).toContain('[redacted]');
    expect(text.includes(SASL_PASSWORD)).toBe(false);
    expect(text.includes(certs.clientKeyPassword)).toBe(false);
  });
});

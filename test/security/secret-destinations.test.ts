/**
 * The attacker who can call the REST API GETs a connector (its secrets shown `[redacted]`) and PUTs it back with
 * only a secret's destination moved to a server of theirs: a fake Kafka broker that records what it receives (the
 * SaslAuthenticate bytes), a proxy that records the Proxy-Authorization it is sent. The PUT is refused, naming the
 * secret to give again; the attacker's servers receive nothing, and the connector goes on as it was.
 */
import { describe, expect, it } from '@jest/globals';
import { type ConnectProxy, startConnectProxy } from '../support/connect-proxy.js';
import { type FakeBroker, startFakeBroker } from '../support/fake-kafka-broker.js';
import { bootstrap, eventually, freshTopic } from '../support/harness.js';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { call, closeAfterEach, startTestWorker } from '../support/worker-client.js';
import type { Worker } from '../../src/worker/worker.js';

const SASL_PASSWORD = 'sasl-secret-91c4';
const PROXY_PASSWORD = 'proxy-secret-3b7e';
const BASIC_PASSWORD = 'basic-secret-d20a';
/** How long the attacker's servers are watched after a refused PUT (a restarted connector connects within 1 s). */
const WATCH_MS = 4000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function connector(name: string, topic: string, url: string, extra: Record<string, unknown>): Record<string, unknown> {
  return { name, 'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector', topics: topic, 'http.url': url, 'http.authorization.type': 'none', ...extra };
}

describe('a secret shown [redacted] does not follow a moved destination', () => {
  let worker: Worker | undefined;
  let receiver: Receiver | undefined;
  let brokers: FakeBroker[] = [];
  let proxies: ConnectProxy[] = [];
  closeAfterEach(() => [worker, receiver, ...brokers, ...proxies], () => {
    worker = receiver = undefined;
    brokers = [];
    proxies = [];
  });

  it('keeps the Kafka SASL password from consumer.override.bootstrap.servers and kafka.metadata.broker.list', async () => {
    const topic = await freshTopic('sec_sasl', 1);
    const [legit, attacker] = (brokers = [await startFakeBroker(), await startFakeBroker()]);
    worker = await startTestWorker();
    const name = `sasl_${topic}`;
    const sasl = { 'kafka.bootstrap.servers': legit!.address, 'kafka.security.protocol': 'SASL_PLAINTEXT', 'kafka.sasl.mechanism': 'PLAIN', 'kafka.sasl.username': 'svc', 'kafka.sasl.password': SASL_PASSWORD };
    expect((await call(worker.url, 'POST', '/connectors', connector(name, topic, 'http://127.0.0.1:9/', sasl))).status).toBe(201);
    // The fake broker is trusted enough to be sent the password when it is the configured one.
    await eventually(() => legit!.received().includes(SASL_PASSWORD), 30_000, 'the configured broker to receive the SASL password');

    for (const key of ['consumer.override.bootstrap.servers', 'kafka.metadata.broker.list']) {
      const shown = (await call(worker.url, 'GET', `/connectors/${name}/config`)).body as Record<string, string>;
      expect(shown['kafka.sasl.password']).toBe('[redacted]');
      const moved = await call(worker.url, 'PUT', `/connectors/${name}/config`, { ...shown, [key]: attacker!.address });
      expect({ key, status: moved.status }).toEqual({ key, status: 400 });
      expect((moved.body as { message: string }).message).toContain(`kafka.sasl.password: is [redacted] but ${key} changed: give the secret again`);
    }
    await sleep(WATCH_MS);
    expect(attacker!.received().includes(SASL_PASSWORD)).toBe(false);
    expect(((await call(worker.url, 'GET', `/connectors/${name}/config`)).body as Record<string, string>)['kafka.bootstrap.servers']).toBe(legit!.address);
  });

  it('keeps the proxy and basic-auth passwords from a changed http.proxy.port', async () => {
    const topic = await freshTopic('sec_proxy', 1);
    receiver = await startReceiver();
    const legit = await startConnectProxy({ user: 'svc', password: PROXY_PASSWORD });
    const attacker = await startConnectProxy();
    proxies = [legit, attacker];
    worker = await startTestWorker();
    const name = `proxy_${topic}`;
    const settings = {
      'http.proxy.host': '127.0.0.1',
      'http.proxy.port': legit.port,
      'http.proxy.user': 'svc',
      'http.proxy.password': PROXY_PASSWORD,
      'http.authorization.type': 'basic',
      'http.basic.auth.username': 'u',
      'http.basic.auth.password': BASIC_PASSWORD,
    };
    expect((await call(worker.url, 'POST', '/connectors', connector(name, topic, receiver.url, settings))).status).toBe(201);
    await produce(bootstrap(), topic, [{ key: '1', value: 'one' }]);
    await receiver.waitForAccepted(1, 30_000);
    expect(legit.connects.some((c) => c.allowed)).toBe(true);

    const shown = (await call(worker.url, 'GET', `/connectors/${name}/config`)).body as Record<string, string>;
    expect([shown['http.proxy.password'], shown['http.basic.auth.password']]).toEqual(['[redacted]', '[redacted]']);
    const moved = await call(worker.url, 'PUT', `/connectors/${name}/config`, { ...shown, 'http.proxy.port': String(attacker.port) });
    expect(moved.status).toBe(400);
    expect((moved.body as { message: string }).message).toMatch(/^http\.(basic\.auth|proxy)\.password: is \[redacted\] but http\.proxy\.port changed: give the secret again/);

    // Records still flow through the configured proxy; the attacker's proxy was never called.
    await produce(bootstrap(), topic, [{ key: '2', value: 'two' }]);
    await receiver.waitForAccepted(2, 30_000);
    await sleep(WATCH_MS);
    expect(attacker.connects).toEqual([]);
    expect(receiver.requests.map((r) => r.body.toString())).toEqual(['one', 'two']);
  });
});

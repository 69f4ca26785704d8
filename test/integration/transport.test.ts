/** TLS to the endpoint (CA, trust-all, mutual TLS), a CONNECT proxy, and basic authorization, against real local servers. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { makeTestCerts, type TestCerts } from '../support/certs.js';
import { type ConnectProxy, startConnectProxy } from '../support/connect-proxy.js';
import { baseConnector, bootstrap, captureLog, freshTopic, runConnector } from '../support/harness.js';
import { startTokenServer, type TokenServer } from '../support/token-server.js';

let certs: TestCerts;
beforeAll(() => {
  certs = makeTestCerts();
});
afterAll(() => certs.remove());

const httpsServer = () => ({ cert: readFileSync(certs.serverCertFile), key: readFileSync(certs.serverKeyFile) });
const mutualTlsServer = () => ({ ...httpsServer(), ca: certs.ca, requestCert: true, rejectUnauthorized: true });

async function oneRecordTopic(prefix: string): Promise<string> {
  const topic = await freshTopic(prefix, 1);
  await produce(bootstrap(), topic, [{ value: 'hello' }]);
  return topic;
}

describe('transport', () => {
  let receiver: Receiver | undefined;
  let proxy: ConnectProxy | undefined;
  let tokens: TokenServer | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await receiver?.close();
    await proxy?.close();
    proxy = undefined;
    await tokens?.close();
    tokens = undefined;
  });

  it('verifies an HTTPS endpoint against the CA of http.ssl.ca.location', async () => {
    const topic = await oneRecordTopic('tls_ca');
    receiver = await startReceiver({ tls: httpsServer() });
    running = await runConnector({ ...baseConnector(`tc_${topic}`, topic, receiver.url), 'http.ssl.ca.location': certs.caFile });
    await receiver.waitForAccepted(1, 30_000);
    expect(receiver.accepted[0]!.body.toString()).toBe('hello');
  });

  it('refuses an endpoint whose certificate it cannot verify, saying which key fixes it', async () => {
    const topic = await oneRecordTopic('tls_noca');
    receiver = await startReceiver({ tls: httpsServer() });
    running = await runConnector({ ...baseConnector(`tn_${topic}`, topic, receiver.url), 'max.retries': 0 });
    await expect(running.done).rejects.toThrow(/after 1 attempt\(s\): UNABLE_TO_VERIFY_LEAF_SIGNATURE: .*set http\.ssl\.ca\.location/);

    // A CA bundle that did not sign the endpoint's certificate does not help.
    running = await runConnector({ ...baseConnector(`to_${topic}`, topic, receiver.url), 'http.ssl.ca.location': certs.otherCaFile, 'max.retries': 0 });
    await expect(running.done).rejects.toThrow(/after 1 attempt\(s\): UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('skips verification with http.ssl.trust.all.certs, and warns at start', async () => {
    const topic = await oneRecordTopic('tls_all');
    receiver = await startReceiver({ tls: httpsServer() });
    const { log, lines } = captureLog();
    running = await runConnector({ ...baseConnector(`ta_${topic}`, topic, receiver.url), 'http.ssl.trust.all.certs': 'true' }, { log });
    await receiver.waitForAccepted(1, 30_000);
    const warnings = lines.map((l) => JSON.parse(l) as { level: string; message: string }).filter((l) => l.level === 'warn');
    expect(warnings.map((w) => w.message)).toContain("http.ssl.trust.all.certs is true: the endpoint's certificate and host name are NOT verified");
  });

  it('presents the client certificate (encrypted key) to an endpoint that requires one', async () => {
    const topic = await oneRecordTopic('mtls');
    receiver = await startReceiver({ tls: mutualTlsServer() });
    running = await runConnector({
      ...baseConnector(`mt_${topic}`, topic, receiver.url),
      'http.ssl.ca.location': certs.caFile,
      'http.ssl.certificate.location': certs.clientCertFile,
      'http.ssl.key.location': certs.clientEncryptedKeyFile,
      'http.ssl.key.password': certs.clientKeyPassword,
    });
    await receiver.waitForAccepted(1, 30_000);
    expect(receiver.accepted[0]!.clientCertificate).toBe('sink-client');
  });

  it('is refused by an endpoint that requires a client certificate when it has none', async () => {
    const topic = await oneRecordTopic('mtls_none');
    receiver = await startReceiver({ tls: mutualTlsServer() });
    running = await runConnector({ ...baseConnector(`mn_${topic}`, topic, receiver.url), 'http.ssl.ca.location': certs.caFile, 'max.retries': 0 });
    await expect(running.done).rejects.toThrow(/after 1 attempt\(s\): (ECONNRESET|EPROTO|ERR_SSL)/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('tunnels HTTPS requests and token requests through an authenticating proxy', async () => {
    const topic = await oneRecordTopic('proxy');
    proxy = await startConnectProxy({ user: 'proxy-user', password: 'proxy-pass-91c2' });
    receiver = await startReceiver({ tls: httpsServer() });
    tokens = await startTokenServer();
    running = await runConnector({
      ...baseConnector(`px_${topic}`, topic, receiver.url),
      'http.ssl.ca.location': certs.caFile,
      'http.proxy.host': proxy.host,
      'http.proxy.port': proxy.port,
      'http.proxy.user': 'proxy-user',
      'http.proxy.password': 'proxy-pass-91c2',
      'http.authorization.type': 'oauth2',
      'oauth2.access.token.url': tokens.url,
      'oauth2.client.id': 'id',
      'oauth2.client.secret': 'secret',
    });
    await receiver.waitForAccepted(1, 30_000);

    const tokenTarget = new URL(tokens.url).host;
    const endpointTarget = new URL(receiver.url).host;
    expect(proxy.connects.map((c) => c.target).sort()).toEqual([tokenTarget, endpointTarget].sort());
    expect(proxy.connects.every((c) => c.allowed)).toBe(true);
    expect(receiver.accepted[0]!.headers.authorization).toBe('Bearer token-1');
  });

  it('reports a proxy that refuses the credentials', async () => {
    const topic = await oneRecordTopic('proxy_407');
    proxy = await startConnectProxy({ user: 'proxy-user', password: 'right' });
    receiver = await startReceiver();
    running = await runConnector({
      ...baseConnector(`p4_${topic}`, topic, receiver.url),
      'http.proxy.host': proxy.host,
      'http.proxy.port': proxy.port,
      'http.proxy.user': 'proxy-user',
      'http.proxy.password': 'wrong',
      'max.retries': 0,
    });
    await expect(running.done).rejects.toThrow(`PROXY_REFUSED: proxy ${proxy.host}:${proxy.port}: CONNECT ${new URL(receiver.url).host} answered 407`);
    expect(receiver.requests).toHaveLength(0);
  });

  it('basic: user from the environment, password from a properties file', async () => {
    const topic = await oneRecordTopic('basic');
    const file = join(certs.dir, 'credentials.properties');
    writeFileSync(file, '# sink credentials\nhttp.password = pa:ss w0rd\n');
    receiver = await startReceiver();
    running = await runConnector(
      {
        ...baseConnector(`ba_${topic}`, topic, receiver.url),
        'http.authorization.type': 'basic',
        'http.basic.auth.username': '${env:SINK_USER}',
        'http.basic.auth.password': `\${file:${file}:http.password}`,
      },
      { env: { SINK_USER: 'sink' } },
    );
    await receiver.waitForAccepted(1, 30_000);
    expect(receiver.accepted[0]!.headers.authorization).toBe(`Basic ${Buffer.from('sink:pa:ss w0rd').toString('base64')}`);
  });
});

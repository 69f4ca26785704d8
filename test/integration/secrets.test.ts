/** No secret value reaches the logs (debug level), error messages, status output or the config dump. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { parseConnectorConfig } from '../../src/connector/connector-config.js';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { makeTestCerts, type TestCerts } from '../support/certs.js';
import { type ConnectProxy, startConnectProxy } from '../support/connect-proxy.js';
import { baseConnector, bootstrap, captureLog, freshTopic, runConnector } from '../support/harness.js';
import { startTokenServer, type TokenServer } from '../support/token-server.js';

const SECRETS = {
  staticHeader: 'Bearer static-secret-a91f',
  basicPassword: 'basic-secret-b27c',
  clientSecret: 'client-secret-c38d',
  accessToken: 'access-token-d49e',
  proxyPassword: 'proxy-secret-e50f',
  saslPassword: 'sasl-secret-f61a',
  truststorePassword: 'truststore-secret-072b',
};

describe('secrets stay secret', () => {
  let certs: TestCerts;
  let receiver: Receiver | undefined;
  let proxy: ConnectProxy | undefined;
  let tokens: TokenServer | undefined;
  let running: RunningPipeline | undefined;
  /** Everything the runs printed or reported, to be searched for secrets. */
  const output: string[] = [];
  const secretValues = (): string[] => [...Object.values(SECRETS), certs.clientKeyPassword, readFileSync(certs.clientKeyFile, 'utf8').split('\n')[1]!, readFileSync(certs.clientEncryptedKeyFile, 'utf8').split('\n')[1]!];

  beforeAll(() => {
    certs = makeTestCerts();
  });
  afterAll(() => certs.remove());
  afterEach(async () => {
    if (running) {
      output.push(JSON.stringify(running.stats()), JSON.stringify(running.config.redacted), inspect(running.config, { depth: 8 }));
      await running.stop();
      running = undefined;
    }
    await receiver?.close();
    await proxy?.close();
    proxy = undefined;
    await tokens?.close();
    tokens = undefined;
  });

  async function capture(connector: Record<string, unknown>, expectFailure: boolean): Promise<void> {
    const { log, lines } = captureLog('debug');
    running = await runConnector(connector, { log, env: { CLIENT_SECRET: SECRETS.clientSecret } });
    output.push(JSON.stringify(running.config.redacted), inspect(running.config, { depth: 8 }));
    if (expectFailure) {
      const error = await running.done.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      output.push((error as Error).message, JSON.stringify(error), String(error), JSON.stringify(running.stats()));
    } else {
      await receiver!.waitForAccepted(1, 30_000);
    }
    output.push(...lines);
  }

  it('oauth2 through an authenticating proxy to a mutual-TLS endpoint, with a renewal and SASL keys set', async () => {
    const topic = await freshTopic('secret_oauth', 1);
    await produce(bootstrap(), topic, [{ value: 'a' }, { value: 'b' }]);
    tokens = await startTokenServer();
    tokens.respondWith((_r, i) => ({ body: JSON.stringify({ access_token: `${SECRETS.accessToken}-${i}`, expires_in: 3600 }) }));
    proxy = await startConnectProxy({ user: 'proxy-user', password: SECRETS.proxyPassword });
    receiver = await startReceiver({
      tls: { cert: readFileSync(certs.serverCertFile), key: readFileSync(certs.serverKeyFile), ca: certs.ca, requestCert: true, rejectUnauthorized: true },
      respond: (_r, i) => (i === 0 ? { status: 401 } : { status: 200 }),
    });
    await capture(
      {
        ...baseConnector(`so_${topic}`, topic, receiver.url),
        'http.authorization.type': 'oauth2',
        'oauth2.access.token.url': tokens.url,
        'oauth2.client.id': 'sink',
        'oauth2.client.secret': '${env:CLIENT_SECRET}',
        'http.proxy.host': proxy.host,
        'http.proxy.port': proxy.port,
        'http.proxy.user': 'proxy-user',
        'http.proxy.password': SECRETS.proxyPassword,
        'http.ssl.ca.location': certs.caFile,
        'http.ssl.certificate.location': certs.clientCertFile,
        'http.ssl.key.location': certs.clientEncryptedKeyFile,
        'http.ssl.key.password': certs.clientKeyPassword,
        'kafka.sasl.username': 'alice',
        'kafka.sasl.password': SECRETS.saslPassword,
      },
      false,
    );
    await receiver.waitForAccepted(2, 30_000);
    expect(tokens.requests).toHaveLength(2);
  });

  it('a failing static header and a failing basic password', async () => {
    const topic = await freshTopic('secret_static', 1);
    await produce(bootstrap(), topic, [{ value: 'x' }]);
    receiver = await startReceiver({ respond: (request) => ({ status: 403, body: `refused ${String(request.headers.authorization)}` }) });
    await capture({ ...baseConnector(`ss_${topic}`, topic, receiver.url), 'http.authorization.type': 'static', 'http.headers.authorization': SECRETS.staticHeader, 'max.retries': 0 }, true);
    await capture(
      {
        ...baseConnector(`sb_${topic}`, topic, receiver.url),
        'http.authorization.type': 'basic',
        'http.basic.auth.username': 'user',
        'http.basic.auth.password': SECRETS.basicPassword,
        'max.retries': 0,
      },
      true,
    );
  });

  it('a token endpoint that fails and echoes the request', async () => {
    const topic = await freshTopic('secret_token', 1);
    await produce(bootstrap(), topic, [{ value: 'x' }]);
    tokens = await startTokenServer();
    tokens.respondWith((request) => ({ status: 400, body: `bad request: ${request.form.toString()} ${String(request.headers.authorization)}` }));
    receiver = await startReceiver();
    for (const mode of ['URL', 'HEADER']) {
      await capture(
        {
          ...baseConnector(`st_${mode}_${topic}`, topic, receiver.url),
          'http.authorization.type': 'oauth2',
          'oauth2.access.token.url': tokens.url,
          'oauth2.client.id': 'sink',
          'oauth2.client.secret': SECRETS.clientSecret,
          'oauth2.client.authorization.mode': mode,
          'max.retries': 0,
        },
        true,
      );
    }
  });

  it('config errors', () => {
    const base = { name: 'n', topics: 't', 'http.url': 'https://example.com', 'http.authorization.type': 'none' };
    const bad = [
      { 'http.ssl.truststore.location': '/x.jks', 'http.ssl.truststore.password': SECRETS.truststorePassword },
      { 'http.proxy.password': SECRETS.proxyPassword },
      { 'http.headers.authorization': SECRETS.staticHeader },
      { 'http.authorization.type': 'basic', 'http.basic.auth.password': SECRETS.basicPassword },
      { 'http.authorization.type': 'oauth2', 'oauth2.client.secret': SECRETS.clientSecret, 'oauth2.client.id': 'x' },
      { 'kafka.sasl.password': SECRETS.saslPassword, 'kafka.group.id': 'mine' },
    ];
    for (const extra of bad) {
      const error = (() => {
        try {
          parseConnectorConfig({ ...base, ...extra }, {});
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(Error);
      output.push((error as Error).message, inspect(error));
    }
  });

  it('none of it shows any secret value', () => {
    expect(output.length).toBeGreaterThan(20);
    const text = output.join('\n');
    expect(text).toContain('[redacted]');
    expect(text).toContain('"level":"debug"');
    for (const secret of secretValues()) expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    expect(text).not.toContain(Buffer.from(`sink:${SECRETS.clientSecret}`).toString('base64'));
    expect(text).not.toContain(Buffer.from(`user:${SECRETS.basicPassword}`).toString('base64'));
  });
});

/** OAuth2 client credentials against a real local token endpoint: modes, field names, sharing, refresh, renewal, failures. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { oauth2Authorization } from '../../src/deliver/auth/oauth2.js';
import { tokenClient } from '../../src/deliver/auth/token-client.js';
import { Secret } from '../../src/common/config/secret.js';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, type ReceivedRequest, startReceiver } from '../support/receiver.js';
import { DeliveryError, TokenEndpointError } from '../../src/common/errors.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { baseConnector, bootstrap, committed, freshTopic, runConnector } from '../support/harness.js';
import { startTokenServer, type TokenServer } from '../support/token-server.js';

const bearer = (request: ReceivedRequest): string => String(request.headers.authorization ?? '').replace(/^Bearer /, '');

function oauth2Connector(name: string, topic: string, receiver: Receiver, tokens: TokenServer): Record<string, unknown> {
  return {
    ...baseConnector(name, topic, receiver.url),
    'http.authorization.type': 'oauth2',
    'oauth2.access.token.url': tokens.url,
    'oauth2.client.id': 'sink-client',
    'oauth2.client.secret': 'client-secret-7d1e',
  };
}

describe('oauth2 authorization', () => {
  let receiver: Receiver | undefined;
  let tokens: TokenServer | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await receiver?.close();
    await tokens?.close();
  });

  it('HEADER mode: Basic id:secret to the token endpoint, grant type and scope in the form, the token as Bearer', async () => {
    const topic = await freshTopic('oauth_header', 1);
    await produce(bootstrap(), topic, ['a', 'b', 'c'].map((value) => ({ value })));
    tokens = await startTokenServer();
    receiver = await startReceiver();
    running = await runConnector({ ...oauth2Connector(`oh_${topic}`, topic, receiver, tokens), 'oauth2.client.scope': 'ingest:write' });
    await receiver.waitForAccepted(3, 30_000);

    expect(tokens.requests).toHaveLength(1);
    const [request] = tokens.requests;
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from('sink-client:client-secret-7d1e').toString('base64')}`);
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(request!.form)).toEqual({ grant_type: 'client_credentials', scope: 'ingest:write' });
    expect(receiver.accepted.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-1']);
  });

  it('URL mode with custom field names: id and secret in the form, no Authorization header, token_type prefixes the token', async () => {
    const topic = await freshTopic('oauth_url', 1);
    await produce(bootstrap(), topic, [{ value: 'x' }]);
    tokens = await startTokenServer();
    tokens.respondWith((_r, _i, next) => ({ body: JSON.stringify({ jwt: next(), token_type: 'MAC' }) }));
    receiver = await startReceiver();
    running = await runConnector({
      ...oauth2Connector(`ou_${topic}`, topic, receiver, tokens),
      'oauth2.client.authorization.mode': 'url',
      'oauth2.grant.type': 'urn:custom:grant',
      'oauth2.request.grant.type.property': 'gt',
      'oauth2.request.client.id.property': 'app',
      'oauth2.request.client.secret.property': 'app_key',
      'oauth2.response.token.property': 'jwt',
    });
    await receiver.waitForAccepted(1, 30_000);

    expect(tokens.requests).toHaveLength(1);
    expect(tokens.requests[0]!.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(tokens.requests[0]!.form)).toEqual({ gt: 'urn:custom:grant', app: 'sink-client', app_key: 'client-secret-7d1e' });
    expect(receiver.accepted[0]!.headers.authorization).toBe('MAC token-1');
  });

  it('many requests in flight wait on one token fetch', async () => {
    const topic = await freshTopic('oauth_shared', 4);
    await produce(bootstrap(), topic, Array.from({ length: 40 }, (_, i) => ({ value: `s${i}`, partition: i % 4 })));
    tokens = await startTokenServer();
    tokens.respondWith((_r, _i, next) => ({ delayMs: 500, body: JSON.stringify({ access_token: next(), expires_in: 3600 }) }));
    receiver = await startReceiver({ respond: () => ({ status: 200, delayMs: 20 }) });
    running = await runConnector({ ...oauth2Connector(`os_${topic}`, topic, receiver, tokens), ordering: 'none', 'http.concurrency': 16 });
    await receiver.waitForAccepted(40, 30_000);

    expect(tokens.requests).toHaveLength(1);
    expect(new Set(receiver.accepted.map((r) => r.headers.authorization))).toEqual(new Set(['Bearer token-1']));
  });

  it('refreshes a token before it expires, so the endpoint never sees an expired one', async () => {
    const topic = await freshTopic('oauth_refresh', 1);
    tokens = await startTokenServer();
    tokens.respondWith((_r, _i, next) => ({ body: JSON.stringify({ access_token: next(), expires_in: 2 }) }));
    // The endpoint honours tokens for exactly their lifetime (2 s) and refuses older ones.
    const refused: string[] = [];
    receiver = await startReceiver({
      respond: (request) => {
        if (tokens!.isValid(bearer(request), 2000)) return { status: 200 };
        refused.push(bearer(request));
        return { status: 401 };
      },
    });
    // A token is used until 1 s before it expires: that second is what a request may take to reach the endpoint (a
    // margin of 300 ms of a 1 s token could be spent on a loaded machine, the endpoint then refusing a token the sink
    // rightly held valid). Each round waits past the refresh point, so each needs a new token.
    running = await runConnector({ ...oauth2Connector(`or_${topic}`, topic, receiver, tokens), 'oauth2.token.refresh.margin.ms': 1000 });
    for (let round = 0; round < 4; round++) {
      await produce(bootstrap(), topic, [{ value: `r${round}` }]);
      await receiver.waitForAccepted(round + 1, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 1200));
    }

    expect(refused).toEqual([]);
    expect(receiver.requests).toHaveLength(4);
    expect(tokens.requests.length).toBeGreaterThanOrEqual(3);
  });

  it('a renew status fetches a new token and resends the request once, without spending a retry', async () => {
    const topic = await freshTopic('oauth_renew', 1);
    await produce(bootstrap(), topic, ['a', 'b', 'c'].map((value) => ({ value })));
    tokens = await startTokenServer();
    // token-1 is revoked after its first use; 403 is configured as a renew status too.
    receiver = await startReceiver({ respond: (request, i) => (bearer(request) === 'token-1' && i > 0 ? { status: i === 1 ? 401 : 403 } : { status: 200 }) });
    const name = `orn_${topic}`;
    running = await runConnector({ ...oauth2Connector(name, topic, receiver, tokens), 'max.retries': 0, 'oauth2.token.renew.on.status.codes': '401, 403' });
    await receiver.waitForAccepted(3, 30_000);

    expect(receiver.requests.map((r) => `${r.body.toString()}:${bearer(r)}`)).toEqual(['a:token-1', 'b:token-1', 'b:token-2', 'c:token-2']);
    expect(tokens.requests).toHaveLength(2);
  });

  it('resends only once: a second refusal fails the request like any other status', async () => {
    const topic = await freshTopic('oauth_refused', 1);
    await produce(bootstrap(), topic, [{ value: 'x' }]);
    tokens = await startTokenServer();
    receiver = await startReceiver({ respond: () => ({ status: 401, body: 'invalid token' }) });
    const name = `orf_${topic}`;
    running = await runConnector({ ...oauth2Connector(name, topic, receiver, tokens), 'max.retries': 0 });

    await expect(running.done).rejects.toThrow(`delivery failed for topic ${topic} partition 0 offset 0 after 1 attempt(s): HTTP 401: invalid token`);
    expect(receiver.requests.map(bearer)).toEqual(['token-1', 'token-2']);
    expect(tokens.requests).toHaveLength(2);
  });

  it('a failing token endpoint is retried with backoff and never counts as delivered', async () => {
    const topic = await freshTopic('oauth_down', 1);
    await produce(bootstrap(), topic, [{ value: 'x' }]);
    tokens = await startTokenServer();
    tokens.respondWith(() => ({ status: 503, body: 'token service down' }));
    receiver = await startReceiver();
    const name = `od_${topic}`;
    running = await runConnector({ ...oauth2Connector(name, topic, receiver, tokens), 'max.retries': 2, 'retry.backoff.ms': 20 });

    const error = await running.done.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).lastError).toBeInstanceOf(TokenEndpointError);
    expect((error as DeliveryError).message).toBe(
      `delivery failed for topic ${topic} partition 0 offset 0 after 3 attempt(s): OAuth2 token request to ${tokens.url} failed: HTTP 503: token service down`,
    );
    expect(tokens.requests).toHaveLength(3);
    expect(receiver.requests).toHaveLength(0);
    expect(await committed(name, topic, 1)).toEqual([-1001]);

    tokens.respondWith((_r, _i, next) => ({ body: JSON.stringify({ access_token: next() }) }));
    running = await runConnector({ ...oauth2Connector(name, topic, receiver, tokens), 'max.retries': 2, 'retry.backoff.ms': 20 });
    await receiver.waitForAccepted(1, 30_000);
    expect(receiver.accepted[0]!.headers.authorization).toBe('Bearer token-1');
  });
});

describe('oauth2 token endpoint errors', () => {
  let tokens: TokenServer | undefined;
  afterEach(async () => tokens?.close());

  const authorizer = (url: string) =>
    oauth2Authorization({
      tokenUrl: url,
      clientId: 'id',
      clientSecret: new Secret('s3cr3t-value'),
      mode: 'URL',
      grantType: 'client_credentials',
      fields: { grantType: 'grant_type', clientId: 'client_id', clientSecret: 'client_secret', token: 'access_token' },
      renewOnStatus: [401],
      refreshMarginMs: 1000,
      fetch: tokenClient({ tls: { rejectUnauthorized: true }, timeoutMs: 5000 }),
    });

  it.each([
    ['a non-2xx status', { status: 400, body: '{"error":"invalid_client"}' }, 'HTTP 400: {"error":"invalid_client"}'],
    ['a non-JSON body', { body: '<html>login</html>' }, 'the response is not JSON: <html>login</html>'],
    ['no token field', { body: '{"token":"x","expires_in":60}' }, 'the JSON response has no "access_token" string field (fields: token, expires_in)'],
    ['an echoed secret', { status: 401, body: 'bad secret s3cr3t-value' }, 'HTTP 401: bad secret [redacted]'],
  ])('%s gives a retriable TokenEndpointError naming the endpoint and the problem', async (_what, reply, problem) => {
    tokens = await startTokenServer();
    tokens.respondWith(() => reply);
    const error = await Promise.resolve(authorizer(tokens.url).headers()).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as TokenEndpointError).retriable).toBe(true);
    expect((error as TokenEndpointError).code).toBe('AUTH_TOKEN');
    expect((error as TokenEndpointError).message).toBe(`OAuth2 token request to ${tokens.url} failed: ${problem}`);
  });

  it('an unreachable endpoint is named, without the credentials or query of its URL', async () => {
    tokens = await startTokenServer();
    const url = new URL(tokens.url);
    await tokens.close();
    tokens = undefined;
    const error = await Promise.resolve(authorizer(`http://user:pw@127.0.0.1:${url.port}/oauth/token?key=abc`).headers()).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as Error).message).toMatch(new RegExp(`^OAuth2 token request to http://127\\.0\\.0\\.1:${url.port}/oauth/token failed: ECONNREFUSED`));
    expect((error as Error).message).not.toMatch(/pw|key=abc/);
  });
});

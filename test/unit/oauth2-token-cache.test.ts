import { describe, expect, it } from '@jest/globals';
import { lastValueFrom, of, toArray } from 'rxjs';
import { oauth2Authorization, type OAuth2Options } from '../../src/deliver/auth/oauth2.js';
import type { TokenFetch } from '../../src/deliver/auth/token-client.js';
import { Secret } from '../../src/common/config/secret.js';
import { DeliveryError } from '../../src/common/errors.js';
import { post } from '../../src/deliver/post.js';
import type { Send } from '../../src/deliver/http-service.js';
import type { HttpRequest } from '../../src/request/request.js';
import { defaultStatusPolicy } from '../../src/deliver/status-policy.js';
import { sinkRecord } from './fakes.js';

/** A token endpoint in memory: token-1, token-2, ... with the given lifetime (s), answered after `delayMs`. */
function fakeTokens(expiresIn?: number, delayMs = 0): { fetch: TokenFetch; calls: URLSearchParams[] } {
  const calls: URLSearchParams[] = [];
  const fetch: TokenFetch = async (_url, _headers, form) => {
    calls.push(form);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return { status: 200, body: JSON.stringify({ access_token: `token-${calls.length}`, expires_in: expiresIn }) };
  };
  return { fetch, calls };
}

function authorizer(fetch: TokenFetch, overrides: Partial<OAuth2Options> = {}) {
  return oauth2Authorization({
    tokenUrl: 'https://auth.test/token',
    clientId: 'id',
    clientSecret: new Secret('secret'),
    mode: 'HEADER',
    grantType: 'client_credentials',
    fields: { grantType: 'grant_type', clientId: 'client_id', clientSecret: 'client_secret', token: 'access_token' },
    renewOnStatus: [401],
    refreshMarginMs: 10_000,
    fetch,
    ...overrides,
  });
}

describe('oauth2 token cache', () => {
  it('shares one fetch among concurrent callers and caches the token', async () => {
    const { fetch, calls } = fakeTokens(3600, 20);
    const auth = authorizer(fetch);
    const headers = await Promise.all(Array.from({ length: 10 }, () => auth.headers()));
    expect(new Set(headers.map((h) => h.Authorization))).toEqual(new Set(['Bearer token-1']));
    expect(await auth.headers()).toEqual({ Authorization: 'Bearer token-1' });
    expect(calls).toHaveLength(1);
  });

  it('refreshes margin-early before expires_in, at most half the lifetime early', async () => {
    let now = 0;
    const { fetch, calls } = fakeTokens(60);
    const auth = authorizer(fetch, { now: () => now });
    expect(await auth.headers()).toEqual({ Authorization: 'Bearer token-1' });
    now = 49_999;
    expect(await auth.headers()).toEqual({ Authorization: 'Bearer token-1' });
    now = 50_000; // 60 s lifetime - 10 s margin
    expect(await auth.headers()).toEqual({ Authorization: 'Bearer token-2' });
    expect(calls).toHaveLength(2);

    now = 0;
    const short = authorizer(fakeTokens(4).fetch, { now: () => now });
    await short.headers();
    now = 1999;
    expect(await short.headers()).toEqual({ Authorization: 'Bearer token-1' });
    now = 2000; // half of 4 s
    expect(await short.headers()).toEqual({ Authorization: 'Bearer token-2' });
  });

  it('keeps a token without expires_in until it is refused', async () => {
    let now = 0;
    const { fetch } = fakeTokens(undefined);
    const auth = authorizer(fetch, { now: () => now });
    await auth.headers();
    now = 1e12;
    expect(await auth.headers()).toEqual({ Authorization: 'Bearer token-1' });
  });

  it('drops a refused token only if it is still the current one', async () => {
    const { fetch, calls } = fakeTokens(3600);
    const auth = authorizer(fetch);
    const first = await auth.headers();
    auth.invalidate!(first);
    const second = await auth.headers();
    auth.invalidate!(first); // a late report about token-1 must not drop token-2
    expect(await auth.headers()).toEqual(second);
    expect(second).toEqual({ Authorization: 'Bearer token-2' });
    expect(calls).toHaveLength(2);
  });

  it('sends id and secret as Basic in HEADER mode and as form fields in URL mode', async () => {
    const seen: { headers: Record<string, string>; form: string }[] = [];
    const fetch: TokenFetch = async (_url, headers, form) => {
      seen.push({ headers, form: form.toString() });
      return { status: 200, body: '{"access_token":"t"}' };
    };
    await authorizer(fetch, { scope: 'a b' }).headers();
    await authorizer(fetch, { mode: 'URL' }).headers();
    expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('id:secret').toString('base64')}`);
    expect(seen[0]!.form).toBe('grant_type=client_credentials&scope=a+b');
    expect(seen[1]!.headers.authorization).toBeUndefined();
    expect(seen[1]!.form).toBe('grant_type=client_credentials&client_id=id&client_secret=secret');
  });
});

describe('post with a renewing authorizer', () => {
  const record = sinkRecord({ offset: 3 });
  const request: HttpRequest = { method: 'POST', url: 'http://sink.test/', headers: {}, body: 'v3', records: [record] };

  function scripted(statuses: number[]): { send: Send; sent: string[] } {
    const sent: string[] = [];
    const send: Send = async (req) => {
      sent.push(req.headers.Authorization ?? '');
      return { status: statuses[Math.min(sent.length, statuses.length) - 1]!, headers: {}, body: '' };
    };
    return { send, sent };
  }

  const run = (send: Send, maxRetries: number, fetch: TokenFetch) =>
    lastValueFrom(
      of(request).pipe(
        post({ send, authorizer: authorizer(fetch), policy: defaultStatusPolicy, retry: { maxRetries, delayMs: 1 }, concurrency: 1, keyOf: () => undefined }),
        toArray(),
      ),
    );

  it('resends once with a new token and counts one attempt', async () => {
    const { send, sent } = scripted([401, 200]);
    const [delivery] = await run(send, 0, fakeTokens(3600).fetch);
    expect(sent).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(delivery!.attempts).toBe(1);
  });

  it('a second refusal is an ordinary non-retriable status', async () => {
    const { send, sent } = scripted([401]);
    const error = await run(send, 3, fakeTokens(3600).fetch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).attempts).toBe(1);
    expect(sent).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('a retried 503 renews nothing; the token is reused', async () => {
    const { send, sent } = scripted([503, 200]);
    const [delivery] = await run(send, 1, fakeTokens(3600).fetch);
    expect(sent).toEqual(['Bearer token-1', 'Bearer token-1']);
    expect(delivery!.attempts).toBe(2);
  });
});

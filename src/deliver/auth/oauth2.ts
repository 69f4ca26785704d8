/**
 * `http.authorization.type=oauth2`: client credentials grant. The token is cached, fetched by one request however
 * many HTTP requests wait for it, refreshed shortly before `expires_in` runs out, and dropped when the endpoint
 * answers a renew status (then `post` resends that request once with a fresh token).
 */
import type { Secret } from '../../common/config/secret.js';
import { TokenEndpointError } from '../../common/errors.js';
import type { Authorizer } from './authorizer.js';
import { basicCredentials } from './basic.js';
import type { TokenFetch } from './token-client.js';

export interface OAuth2Options {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: Secret;
  /** HEADER: `Authorization: Basic base64(id:secret)`; URL: id and secret as form fields. */
  readonly mode: 'HEADER' | 'URL';
  readonly scope?: string;
  readonly grantType: string;
  /** Form field names of the request and the token field of the JSON response. */
  readonly fields: { readonly grantType: string; readonly clientId: string; readonly clientSecret: string; readonly token: string };
  readonly renewOnStatus: readonly number[];
  /** Refresh this long before the token expires (at most half its lifetime early). */
  readonly refreshMarginMs: number;
  /** Extra headers of every token request (Confluent's `oauth2.client.headers`); the form's own content type wins. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly fetch: TokenFetch;
  /** Clock, for tests. */
  readonly now?: () => number;
}

interface CachedToken {
  readonly header: string;
  /** When to fetch a new one; Infinity when the endpoint gave no `expires_in`. */
  readonly refreshAt: number;
}

const MAX_SNIPPET = 200;

export function oauth2Authorization(options: OAuth2Options): Authorizer {
  const now = options.now ?? Date.now;
  const endpoint = printableUrl(options.tokenUrl);
  let current: CachedToken | undefined;
  let pending: Promise<CachedToken> | undefined;

  const refresh = (): Promise<CachedToken> => {
    pending ??= requestToken(options, endpoint, now)
      .then((token) => (current = token))
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  return {
    headers: async () => {
      const token = current !== undefined && now() < current.refreshAt ? current : await refresh();
      return { Authorization: token.header };
    },
    shouldRenew: (status) => options.renewOnStatus.includes(status),
    invalidate: (rejected) => {
      if (current !== undefined && rejected.Authorization === current.header) current = undefined;
    },
  };
}

async function requestToken(options: OAuth2Options, endpoint: string, now: () => number): Promise<CachedToken> {
  const { fields } = options;
  const form = new URLSearchParams({ [fields.grantType]: options.grantType });
  if (options.scope !== undefined) form.set('scope', options.scope);
  const extra = Object.entries(options.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-type');
  const headers: Record<string, string> = { accept: 'application/json', ...Object.fromEntries(extra), 'content-type': 'application/x-www-form-urlencoded' };
  if (options.mode === 'HEADER') {
    headers.authorization = basicCredentials(options.clientId, options.clientSecret);
  } else {
    form.set(fields.clientId, options.clientId);
    form.set(fields.clientSecret, options.clientSecret.reveal());
  }
  const requestedAt = now();
  const response = await options.fetch(options.tokenUrl, headers, form, endpoint);
  const snippet = (): string => scrub(response.body, [options.clientSecret.reveal(), headers.authorization?.slice('Basic '.length) ?? '']);
  if (response.status < 200 || response.status >= 300) {
    throw new TokenEndpointError(endpoint, `HTTP ${response.status}${response.body ? `: ${snippet()}` : ''}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    throw new TokenEndpointError(endpoint, `the response is not JSON: ${snippet() || '(empty body)'}`);
  }
  const body = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const token = body[fields.token];
  if (typeof token !== 'string' || token === '') {
    throw new TokenEndpointError(endpoint, `the JSON response has no "${fields.token}" string field (fields: ${Object.keys(body).join(', ') || 'none'})`);
  }
  const type = typeof body.token_type === 'string' && body.token_type !== '' ? body.token_type : 'Bearer';
  return { header: `${type} ${token}`, refreshAt: refreshTime(requestedAt, body.expires_in, options.refreshMarginMs) };
}

function refreshTime(requestedAt: number, expiresIn: unknown, marginMs: number): number {
  const seconds = typeof expiresIn === 'number' ? expiresIn : typeof expiresIn === 'string' ? Number(expiresIn) : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) return Infinity;
  const lifetimeMs = seconds * 1000;
  return requestedAt + lifetimeMs - Math.min(marginMs, lifetimeMs / 2);
}

/** The body as it may appear in an error: cut short, the client secret (or Basic credentials) removed should an endpoint echo it. */
function scrub(body: string, secrets: readonly string[]): string {
  const cleaned = secrets.filter((s) => s !== '').reduce((text, secret) => text.split(secret).join('[redacted]'), body);
  return cleaned.length > MAX_SNIPPET ? `${cleaned.slice(0, MAX_SNIPPET)}...` : cleaned;
}

/** The token URL without user info or query, which may carry credentials. */
function printableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

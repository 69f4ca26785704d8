/** Connector-file keys for authorization (Aiven's keys, plus basic; the types are matched ignoring case). */
import { ConfigError } from '../../common/errors.js';
import { httpUrl, int, oneOf, str } from '../../common/config/formats.js';
import type { Secret } from '../../common/config/secret.js';
import type { ConfigSpec, ConfigValues } from '../../common/config/spec.js';
import type { TransportOptions } from '../../common/net/agents.js';
import { type Authorizer, noAuthorization } from './authorizer.js';
import { basicAuthorization } from './basic.js';
import { oauth2Authorization, type OAuth2Options } from './oauth2.js';
import { staticAuthorization } from './static.js';
import { tokenClient } from './token-client.js';

export const authConfigSpec = {
  'http.authorization.type': {
    doc: '`none`, `static` (a fixed Authorization header), `basic` (user and password) or `oauth2` (client credentials grant).',
    format: oneOf(['none', 'static', 'basic', 'oauth2']),
    default: null,
    required: true,
  },
  'http.headers.authorization': {
    doc: 'For `static`: the Authorization header value, sent verbatim. Secret: never logged.',
    format: str(),
    default: null,
    sensitive: true,
  },
  'http.basic.auth.username': { doc: 'For `basic`: the user name.', format: str(), default: null },
  'http.basic.auth.password': { doc: 'For `basic`: the password.', format: str(), default: null, sensitive: true },
  'oauth2.access.token.url': { doc: 'For `oauth2`: the token endpoint (required).', format: httpUrl(), default: null },
  'oauth2.client.id': { doc: 'For `oauth2`: the client id (required).', format: str(), default: null },
  'oauth2.client.secret': { doc: 'For `oauth2`: the client secret (required).', format: str(), default: null, sensitive: true },
  'oauth2.client.authorization.mode': {
    doc: 'How the client authenticates to the token endpoint: `HEADER` (`Authorization: Basic base64(id:secret)`) or `URL` (id and secret as form fields).',
    format: oneOf(['HEADER', 'URL']),
    default: 'HEADER',
  },
  'oauth2.client.scope': { doc: 'Sent as the `scope` form field when set.', format: str(), default: null },
  'oauth2.grant.type': { doc: 'Value of the grant type form field.', format: str(), default: 'client_credentials' },
  'oauth2.request.grant.type.property': { doc: 'Form field name of the grant type.', format: str(), default: 'grant_type' },
  'oauth2.request.client.id.property': { doc: 'Form field name of the client id (`URL` mode).', format: str(), default: 'client_id' },
  'oauth2.request.client.secret.property': { doc: 'Form field name of the client secret (`URL` mode).', format: str(), default: 'client_secret' },
  'oauth2.response.token.property': {
    doc: 'Field of the JSON token response holding the token; the response\'s `token_type` (default `Bearer`) is put before it.',
    format: str(),
    default: 'access_token',
  },
  'oauth2.token.renew.on.status.codes': {
    doc: 'Comma-separated statuses of the endpoint that mean "token refused": the token is fetched again and the request resent once, without using up a retry.',
    format: str(),
    default: '401',
  },
  'oauth2.token.refresh.margin.ms': {
    doc: 'A token is refreshed this long before its `expires_in` runs out (at most half its lifetime early), so requests rarely meet an expired one.',
    format: int(0, 86_400_000),
    default: 30_000,
  },
} satisfies ConfigSpec;

type SecretOf = (key: string) => Secret | undefined;

/** How requests are authorized, as plain data; the OAuth2 token client is created at start (`createAuthorizer`). */
export type AuthSettings =
  | { readonly type: 'none' }
  | { readonly type: 'static'; readonly header: Secret }
  | { readonly type: 'basic'; readonly username: string; readonly password: Secret }
  | { readonly type: 'oauth2'; readonly oauth2: Omit<OAuth2Options, 'fetch' | 'now'> };

export function authSettings(values: ConfigValues<typeof authConfigSpec>, secret: SecretOf): AuthSettings {
  const type = values.get('http.authorization.type');
  const header = secret('http.headers.authorization');
  if (type !== 'static' && header !== undefined) {
    throw new ConfigError('http.headers.authorization', `must not be set when http.authorization.type is ${type}`);
  }
  switch (type) {
    case 'static':
      return { type, header: required(header, 'http.headers.authorization', type) };
    case 'basic':
      return {
        type,
        username: required(values.optionalString('http.basic.auth.username'), 'http.basic.auth.username', type),
        password: required(secret('http.basic.auth.password'), 'http.basic.auth.password', type),
      };
    case 'oauth2':
      return {
        type,
        oauth2: {
          tokenUrl: required(values.optionalString('oauth2.access.token.url'), 'oauth2.access.token.url', type),
          clientId: required(values.optionalString('oauth2.client.id'), 'oauth2.client.id', type),
          clientSecret: required(secret('oauth2.client.secret'), 'oauth2.client.secret', type),
          mode: values.get('oauth2.client.authorization.mode'),
          scope: values.optionalString('oauth2.client.scope') || undefined,
          grantType: values.string('oauth2.grant.type'),
          fields: {
            grantType: values.string('oauth2.request.grant.type.property'),
            clientId: values.string('oauth2.request.client.id.property'),
            clientSecret: values.string('oauth2.request.client.secret.property'),
            token: values.string('oauth2.response.token.property'),
          },
          renewOnStatus: statusList(values.string('oauth2.token.renew.on.status.codes')),
          refreshMarginMs: values.number('oauth2.token.refresh.margin.ms'),
        },
      };
    default:
      return { type: 'none' };
  }
}

/** The authorizer of `settings`; OAuth2's token requests go through `transport` (the endpoint's TLS and proxy). */
export function createAuthorizer(settings: AuthSettings, transport: TransportOptions): Authorizer {
  switch (settings.type) {
    case 'none':
      return noAuthorization;
    case 'static':
      return staticAuthorization(settings.header);
    case 'basic':
      return basicAuthorization(settings.username, settings.password);
    case 'oauth2':
      return oauth2Authorization({ ...settings.oauth2, fetch: tokenClient(transport) });
  }
}

function required<T extends string | Secret>(value: T | undefined, key: string, type: string): T {
  const empty = value === undefined || (typeof value === 'string' ? value : value.reveal()) === '';
  if (empty) throw new ConfigError(key, `is required when http.authorization.type is ${type}`);
  return value;
}

function statusList(text: string): number[] {
  const codes = text.split(',').map((part) => part.trim()).filter(Boolean);
  return codes.map((code) => {
    if (!/^\d{3}$/.test(code) || Number(code) < 100 || Number(code) > 599) {
      throw new ConfigError('oauth2.token.renew.on.status.codes', `must be comma-separated HTTP statuses (100-599), not "${code}"`);
    }
    return Number(code);
  });
}

/** Connector-file keys for an HTTP proxy (Aiven's host and port, plus credentials). */
import { int, str } from '../config/formats.js';
import type { Secret } from '../config/secret.js';
import type { ConfigSpec, ConfigValues } from '../config/spec.js';
import { ConfigError } from '../errors.js';

export const proxyConfigSpec = {
  'http.proxy.host': {
    doc: 'HTTP proxy host; requests (and OAuth2 token requests) go through it with CONNECT tunnels. Set together with `http.proxy.port`.',
    format: str(),
    default: null,
  },
  'http.proxy.port': { doc: 'HTTP proxy port; `-1` (Aiven\'s default) means no proxy.', format: int(-1, 65535), default: -1 },
  'http.proxy.user': { doc: 'Proxy user, sent as `Proxy-Authorization: Basic` with `http.proxy.password`.', format: str(), default: null },
  'http.proxy.password': { doc: 'Proxy password.', format: str(), default: null, sensitive: true },
} satisfies ConfigSpec;

export interface ProxyOptions {
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  readonly password?: Secret;
}

export function proxyOptions(values: ConfigValues<typeof proxyConfigSpec>, secret: (key: string) => Secret | undefined): ProxyOptions | undefined {
  const host = values.optionalString('http.proxy.host') || undefined;
  const port = values.number('http.proxy.port');
  const hasPort = port > 0;
  if ((host === undefined) !== !hasPort) {
    throw new ConfigError(host === undefined ? 'http.proxy.host' : 'http.proxy.port', 'http.proxy.host and http.proxy.port must be set together');
  }
  const user = values.optionalString('http.proxy.user') || undefined;
  const password = secret('http.proxy.password');
  if (host === undefined) {
    if (user !== undefined || password !== undefined) {
      throw new ConfigError(user !== undefined ? 'http.proxy.user' : 'http.proxy.password', 'proxy credentials need http.proxy.host and http.proxy.port');
    }
    return undefined;
  }
  if (password !== undefined && user === undefined) throw new ConfigError('http.proxy.user', 'is required when http.proxy.password is set');
  return { host, port, user, password };
}

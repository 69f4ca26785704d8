/** Connector-file keys of the HTTP client: timeout and how many requests may be in flight; TLS and proxy join them. */
import { int, intOr, oneOf } from '../common/config/formats.js';
import type { Secret } from '../common/config/secret.js';
import type { ConfigSpec, ConfigValues } from '../common/config/spec.js';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import type { TransportOptions } from '../common/net/agents.js';
import { proxyConfigSpec, proxyOptions } from '../common/net/proxy-config.js';
import { tlsConfigSpec, tlsOptions } from '../common/net/tls-config.js';

/** The delivery transports `http.client` chooses from (src/deliver/transports/). */
export const HTTP_CLIENTS = ['undici', 'node', 'got'] as const;
export type HttpClient = (typeof HTTP_CLIENTS)[number];

const HTTP_CLIENT_DOC =
  'Which HTTP client delivers the requests: `undici`, `node` (`node:http`/`node:https`) or `got` (token requests and the schema registry always use got). All three pass the same conformance suite (TLS, mutual TLS, proxy, timeouts, abort, keep-alive) and report failures alike; they differ in CPU per 1,000 single-record requests (`npm run bench:transport`, 2 vCPUs): undici 48 ms, node 81 ms, got 329 ms.';

export const httpConfigSpec = {
  'http.timeout': { doc: 'Seconds one request may take before it counts as failed (and is retried).', format: int(1, 3600), default: 30 },
  'http.concurrency': {
    doc: 'Most requests in flight at once (Aiven: 1; a request waiting for its retry backoff is not in flight), or `adaptive`: the bound starts at 1 and follows the endpoint (AIMD: +1 while the bound is reached without 429/503/timeouts or a latency rise, x0.9 on either), up to `http.concurrency.max`. With `ordering=partition` at most one per partition is in flight, so the effective bound is also the number of assigned partitions.',
    format: intOr(1, 1024, ['adaptive']),
    default: 8,
  },
  'http.concurrency.max': {
    doc: 'With `http.concurrency=adaptive`: the highest bound it may grow to (and the keep-alive socket pool size).',
    format: int(1, 1024),
    default: 128,
  },
  'http.client': {
    doc: HTTP_CLIENT_DOC,
    format: oneOf(HTTP_CLIENTS),
    default: 'undici',
  },
} satisfies ConfigSpec;

/** `http.concurrency` as plain data: a fixed bound, or adaptive up to a maximum. */
export type ConcurrencySetting = number | { readonly adaptiveMax: number };

export function concurrencySetting(values: ConfigValues<typeof httpConfigSpec>): ConcurrencySetting {
  const concurrency = values.get('http.concurrency');
  return concurrency === 'adaptive' ? { adaptiveMax: values.number('http.concurrency.max') } : concurrency;
}

/** `http.concurrency` as `post` takes it: a fixed bound, or a fresh AIMD limiter (one per pipeline). */
export function createConcurrency(setting: ConcurrencySetting): number | AdaptiveConcurrency {
  return typeof setting === 'number' ? setting : new AdaptiveConcurrency({ initial: 1, max: setting.adaptiveMax });
}

/** Most requests that can be in flight, so the keep-alive pool never makes a request wait for a socket. */
function maxInFlight(values: ConfigValues<typeof httpConfigSpec>): number {
  const setting = concurrencySetting(values);
  return typeof setting === 'number' ? setting : setting.adaptiveMax;
}

export interface HttpServiceOptions {
  /** The transport that sends the requests (`http.client`). */
  readonly client: HttpClient;
  readonly timeoutMs: number;
  readonly maxSockets: number;
  /** TLS settings and proxy, shared with the OAuth2 token client. */
  readonly transport: TransportOptions;
}

export function httpServiceOptions(values: ConfigValues<typeof httpConfigSpec> & ConfigValues<typeof tlsConfigSpec> & ConfigValues<typeof proxyConfigSpec>, secret: (key: string) => Secret | undefined): HttpServiceOptions {
  const timeoutMs = values.number('http.timeout') * 1000;
  return {
    client: values.get('http.client'),
    timeoutMs,
    maxSockets: maxInFlight(values),
    transport: { tls: tlsOptions(values, secret), proxy: proxyOptions(values, secret), timeoutMs },
  };
}

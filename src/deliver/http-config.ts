/** Connector-file keys of the HTTP client: timeout and how many requests may be in flight; TLS and proxy join them. */
import { int, intOr } from '../common/config/formats.js';
import type { Secret } from '../common/config/secret.js';
import type { ConfigSpec, ConfigValues } from '../common/config/spec.js';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import type { TransportOptions } from '../common/net/agents.js';
import { proxyOptions } from '../common/net/proxy-config.js';
import { tlsOptions } from '../common/net/tls-config.js';

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
} satisfies ConfigSpec;

/** `http.concurrency` as `post` takes it: a fixed bound, or a fresh AIMD limiter (one per pipeline). */
export function postConcurrency(values: ConfigValues): number | AdaptiveConcurrency {
  if (values.string('http.concurrency') !== 'adaptive') return values.number('http.concurrency');
  return new AdaptiveConcurrency({ initial: 1, max: values.number('http.concurrency.max') });
}

/** Most requests that can be in flight, so the keep-alive pool never makes a request wait for a socket. */
function maxInFlight(values: ConfigValues): number {
  return values.string('http.concurrency') === 'adaptive' ? values.number('http.concurrency.max') : values.number('http.concurrency');
}

export interface HttpServiceOptions {
  readonly timeoutMs: number;
  readonly maxSockets: number;
  /** TLS settings and proxy, shared with the OAuth2 token client. */
  readonly transport: TransportOptions;
}

export function httpServiceOptions(values: ConfigValues, secret: (key: string) => Secret | undefined): HttpServiceOptions {
  const timeoutMs = values.number('http.timeout') * 1000;
  return {
    timeoutMs,
    maxSockets: maxInFlight(values),
    transport: { tls: tlsOptions(values, secret), proxy: proxyOptions(values, secret), timeoutMs },
  };
}

/** Connector-file keys of the HTTP client: timeout and how many requests may be in flight; TLS and proxy join them. */
import { int } from '../config/formats.js';
import type { Secret } from '../config/secret.js';
import type { ConfigSpec, ConfigValues } from '../config/spec.js';
import type { TransportOptions } from './agents.js';
import { proxyOptions } from './proxy-config.js';
import { tlsOptions } from './tls-config.js';

export const httpConfigSpec = {
  'http.timeout': { doc: 'Seconds one request may take before it counts as failed (and is retried).', format: int(1, 3600), default: 30 },
  'http.concurrency': {
    doc: 'Most requests in flight at once (Aiven: 1). With `ordering=partition` at most one per partition is in flight, so the effective bound is also the number of assigned partitions.',
    format: int(1, 1024),
    default: 8,
  },
} satisfies ConfigSpec;

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
    maxSockets: values.number('http.concurrency'),
    transport: { tls: tlsOptions(values, secret), proxy: proxyOptions(values, secret), timeoutMs },
  };
}

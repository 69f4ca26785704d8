/** The connection agents of every HTTP client of a pipeline (endpoint and token endpoint): TLS settings and proxy. */
import http from 'node:http';
import https from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { HttpsTunnelAgent, HttpTunnelAgent } from './proxy-agent.js';
import type { ProxyOptions } from './proxy-config.js';
import type { TlsOptions } from './tls-config.js';

export interface TransportOptions {
  readonly tls: TlsOptions;
  readonly proxy?: ProxyOptions;
  /** Limit for connecting through the proxy (the request timeout covers the rest). */
  readonly timeoutMs: number;
}

export interface Agents {
  readonly http: http.Agent;
  readonly https: https.Agent;
}

/** The endpoint's TLS settings as Node's TLS takes them (agents and undici's connector alike). */
export function nodeTlsOptions(tls: TlsOptions): Pick<ConnectionOptions, 'ca' | 'cert' | 'key' | 'passphrase' | 'rejectUnauthorized' | 'minVersion' | 'maxVersion' | 'checkServerIdentity' | 'ciphers'> {
  return {
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key?.reveal(),
    passphrase: tls.passphrase?.reveal(),
    rejectUnauthorized: tls.rejectUnauthorized,
    ...(tls.minVersion ? { minVersion: tls.minVersion } : {}),
    ...(tls.maxVersion ? { maxVersion: tls.maxVersion } : {}),
    ...(tls.checkHost === false ? { checkServerIdentity: () => undefined } : {}),
    ...(tls.ciphers ? { ciphers: tls.ciphers } : {}),
  };
}

export function createAgents(transport: TransportOptions, pool: { keepAlive: boolean; maxSockets?: number }): Agents {
  const tlsOptions: https.AgentOptions = { ...pool, ...nodeTlsOptions(transport.tls) };
  if (transport.proxy === undefined) return { http: new http.Agent(pool), https: new https.Agent(tlsOptions) };
  return {
    http: new HttpTunnelAgent(transport.proxy, transport.timeoutMs, pool),
    https: new HttpsTunnelAgent(transport.proxy, transport.timeoutMs, tlsOptions),
  };
}

export function destroyAgents(agents: Agents): void {
  agents.http.destroy();
  agents.https.destroy();
}

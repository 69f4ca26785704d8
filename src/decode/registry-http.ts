/**
 * The registry's side of a schema: `GET /schemas/ids/{id}` and the referenced subject versions, waiting out a
 * registry that is down (retried with backoff until the schema arrives or the client is closed), and what a failure
 * means. Only Confluent's "schema not found" (error_code 40403) makes a record bad; every other refusal stops the
 * pipeline. A registry that just came back may answer "not found" while it is still reading its schemas topic: such
 * an answer within `notFoundAfterOutageMs` of the registry last being unreachable is retried like an outage.
 *
 * The GETs go through got (basic auth, timeout, retries, abort) over the same agents as the sink's requests
 * (src/common/net/agents.ts: CA, client certificate, proxy); what is ours is only what a failure means.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Got, HTTPError } from 'got';
import type { Logger } from 'winston';
import type { Secret } from '../common/config/secret.js';
import { BadDataError, errorMessage, SchemaRegistryError, type SinkError } from '../common/errors.js';
import { backoffDelay, type BackoffOptions } from '../common/backoff.js';
import { createAgents, destroyAgents } from '../common/net/agents.js';
import { type GotModule, gotClient } from '../common/net/got-module.js';
import { isCertificateError, isClientCertificateRefused, withoutNodeCaHint } from '../common/net/certificate-error.js';
import type { ProxyOptions } from '../common/net/proxy-config.js';

export type SchemaKind = 'AVRO' | 'PROTOBUF' | 'JSON';

/** A schema as the registry holds it, with the schemas it references (depth first, each once). */
export interface RawSchema {
  readonly id: number;
  readonly kind: SchemaKind;
  readonly text: string;
  readonly references: readonly { readonly name: string; readonly text: string }[];
}

export interface RegistryClientOptions {
  /** Base URL (a path is kept), without credentials. */
  readonly url: string;
  readonly username?: string;
  readonly password?: Secret;
  /** PEM CA bundle for an https registry; undefined: Node's default CAs. */
  readonly ca?: Buffer;
  /** Client certificate chain (PEM) for a registry that asks for one (mutual TLS), with its key. */
  readonly cert?: Buffer;
  readonly key?: Secret;
  /** Passphrase of an encrypted `key`. */
  readonly passphrase?: Secret;
  /** An HTTP proxy the registry is reached through (CONNECT tunnels). */
  readonly proxy?: ProxyOptions;
  /** The key that holds the credentials, named in the error when the registry refuses them. */
  readonly credentialsKey: string;
  /** The key that holds the URL, named when the URL answers like no schema registry. */
  readonly urlKey?: string;
  /** The key that holds the CA file, named when the registry's certificate is not trusted. */
  readonly caKey?: string;
  /** The key that holds the client certificate (key store), named when the registry refuses it or wants one. */
  readonly certKey?: string;
  readonly requestTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
  /** How long an id the registry does not know is answered from memory (a run of bad records: one GET). */
  readonly notFoundTtlMs?: number;
  /**
   * For how long after the registry was last unreachable (no answer, 408, 429, 5xx) a "schema not found" is retried
   * rather than believed: a restarted registry answers 404 until it has read its schemas. Default 60 s.
   */
  readonly notFoundAfterOutageMs?: number;
}

const DEFAULT_BACKOFF: BackoffOptions = { policy: 'exponential_with_jitter', baseMs: 200, maxMs: 30_000 };

/** Confluent's error_code for "schema not found" (a 404 on `/schemas/ids/{id}`). */
const SCHEMA_NOT_FOUND = 40403;

/** What each GET carries into got's retry decision: which schema it is for, its path, and where to warn. */
interface FetchContext extends Record<string, unknown> {
  readonly id: number;
  readonly path: string;
  readonly log: Logger | undefined;
}

/**
 * Fetches a schema (with its references) by id until it arrives or `signal` aborts. Rejects with a BadDataError for an
 * id the registry does not know, with a SchemaRegistryError when the registry refuses (or `signal` aborted first).
 */
export function schemaFetcher(options: RegistryClientOptions, signal: AbortSignal): (id: number, log: Logger | undefined) => Promise<RawSchema> {
  const health: RegistryHealth = { unreachableAt: Number.NEGATIVE_INFINITY };
  const registry = gotClient((lib) => registryGet(lib, options, signal, health));
  return async (id, log) => {
    const { lib, client: get } = await registry();
    try {
      return await fetchSchema((path) => get({ id, path, log }), id);
    } catch (error) {
      throw signal.aborted ? closed(options) : classify(lib, error, id, options);
    }
  };
}

type RegistryGet = (context: FetchContext) => Promise<unknown>;

/** When the registry last failed to answer usefully (shared by every GET of one client). */
interface RegistryHealth {
  unreachableAt: number;
}

/**
 * GET the context's path below the base URL: the JSON body of a 2xx, else got's error. A failure that `classify`
 * calls retriable is retried by got after `backoffDelay` (or the registry's Retry-After, capped the same), with a
 * warning each time, until it succeeds or `signal` aborts (which also ends a wait between attempts).
 */
function registryGet(lib: GotModule, options: RegistryClientOptions, signal: AbortSignal, health: RegistryHealth): RegistryGet {
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const graceMs = options.notFoundAfterOutageMs ?? 60_000;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const tls = { ca: options.ca, cert: options.cert, key: options.key, passphrase: options.passphrase, rejectUnauthorized: true };
  const agents = createAgents({ tls, proxy: options.proxy, timeoutMs }, { keepAlive: true });
  signal.addEventListener('abort', () => destroyAgents(agents), { once: true });
  const client: Got = lib.got.extend({
    prefixUrl: options.url,
    agent: agents,
    username: options.username ?? '',
    password: options.password?.reveal() ?? '',
    headers: { accept: 'application/vnd.schemaregistry.v1+json, application/json', 'user-agent': 'kafka-http-sink' },
    followRedirect: false,
    responseType: 'json', // a refusal's body too: Confluent's error_code and message (text when it is not JSON)
    resolveBodyOnly: true,
    timeout: { request: timeoutMs },
    signal,
    retry: {
      limit: Number.POSITIVE_INFINITY,
      calculateDelay: ({ attemptCount, error, retryAfter }) => {
        const { id, log } = error.options.context as FetchContext;
        if (signal.aborted) return 0;
        const failure = classify(lib, error, id, options);
        const now = Date.now();
        if (failure.retriable) health.unreachableAt = now;
        // A "not found" right after an outage: the registry may still be loading its schemas.
        const loading = failure instanceof BadDataError && now - health.unreachableAt <= graceMs;
        if (!failure.retriable && !loading) return 0;
        const waitMs = Math.min(retryAfter ?? backoffDelay(backoff, attemptCount), backoff.maxMs);
        const what = loading ? `schema registry answered "not found" within ${graceMs} ms of being unreachable (still loading?); records wait and the request is retried` : 'schema registry unavailable; records wait and the request is retried';
        log?.warn(what, { schemaId: id, attempt: attemptCount, retryInMs: waitMs, error: failure.message });
        return Math.max(waitMs, 1); // 0 would mean "do not retry"
      },
    },
  });
  return async (context) => {
    // Node 24 reports some refused connections as a bare error that got neither wraps nor retries: retry it here alike.
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.get(context.path.slice(1), { context });
      } catch (error) {
        if (signal.aborted || error instanceof lib.RequestError || !isBareNetworkError(error)) throw error;
        const waitMs = Math.min(backoffDelay(backoff, attempt), backoff.maxMs);
        context.log?.warn('schema registry unavailable; records wait and the request is retried', { schemaId: context.id, attempt, retryInMs: waitMs, error: errorMessage(error) });
        await delay(waitMs, undefined, { signal }).catch(() => undefined);
      }
    }
  };
}

/** A Node network error (ECONNREFUSED, ERR_SOCKET_CLOSED_BEFORE_CONNECTION, ...) that reached us unwrapped. */
function isBareNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^(E[A-Z]+|ERR_SOCKET_[A-Z_]+)$/.test(code);
}

interface SchemaResponse {
  schema: string;
  schemaType?: string;
  references?: { name: string; subject: string; version: number }[];
}

async function fetchSchema(get: (path: string) => Promise<unknown>, id: number): Promise<RawSchema> {
  const found = (await get(`/schemas/ids/${id}`)) as SchemaResponse;
  const references: { name: string; text: string }[] = [];
  const seen = new Set<string>();
  const collect = async (refs: SchemaResponse['references']): Promise<void> => {
    for (const ref of refs ?? []) {
      const key = `${ref.subject}/${ref.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const version = (await get(`/subjects/${encodeURIComponent(ref.subject)}/versions/${ref.version}`)) as SchemaResponse;
      await collect(version.references);
      references.push({ name: ref.name, text: version.schema });
    }
  };
  await collect(found.references);
  const kind = (found.schemaType ?? 'AVRO').toUpperCase();
  if (kind !== 'AVRO' && kind !== 'PROTOBUF' && kind !== 'JSON') throw new Error(`schema id ${id} has unknown schemaType ${kind}`);
  return { id, kind, text: found.schema, references };
}

/**
 * What a failed fetch means. Only a 404 with Confluent's error_code 40403 on the id itself makes the record bad; no
 * response and 408/429/5xx are retried; a refused credential, an untrusted certificate, any other 404 (a wrong base
 * path, a proxy) and anything else stop the pipeline.
 */
function classify(lib: GotModule, error: unknown, id: number, options: RegistryClientOptions): SinkError {
  const { url } = options;
  if (error instanceof lib.HTTPError) return classifyReply(error, id, options);
  if (error instanceof lib.RequestError && error.response === undefined) {
    if (isClientCertificateRefused(error.code)) {
      const fix = options.cert ? `check the certificate in ${options.certKey ?? 'the key store'}` : `set ${options.certKey ?? 'a key store'} to a key store with one`;
      return new SchemaRegistryError(url, undefined, `the registry refused the TLS client certificate or wants one (${error.code}: ${error.message}); ${fix}`, false);
    }
    if (isCertificateError(error.code)) {
      const fix = options.caKey ? `set ${options.caKey} to the PEM file of the CA that signed it` : 'check the CA file';
      return new SchemaRegistryError(url, undefined, `the registry's TLS certificate is not trusted (${error.code}: ${withoutNodeCaHint(error.message)}); ${fix}`, false);
    }
    return new SchemaRegistryError(url, undefined, `no response fetching schema id ${id} (${error.code}: ${error.message})`, true);
  }
  if (isBareNetworkError(error)) return new SchemaRegistryError(url, undefined, `no response fetching schema id ${id} (${errorMessage(error)})`, true);
  return new SchemaRegistryError(url, undefined, `fetching schema id ${id} failed: ${errorMessage(error)}`, false);
}

/** A reply other than 2xx: Confluent's JSON body carries `error_code` and `message`. */
function classifyReply(error: HTTPError, id: number, options: RegistryClientOptions): SinkError {
  const { url } = options;
  const status = error.response.statusCode;
  const { path } = error.options.context as FetchContext;
  const body: unknown = error.response.body;
  const errorCode = (body as { error_code?: unknown } | undefined)?.error_code;
  const given = (body as { message?: unknown } | undefined)?.message;
  const message = typeof given === 'string' ? given : typeof body === 'string' && body !== '' ? body.slice(0, 200) : `HTTP ${status}`;
  if (status === 404 && errorCode === SCHEMA_NOT_FOUND && path === `/schemas/ids/${id}`) {
    return new BadDataError('unknown-schema', `schema id ${id} is not in the schema registry ${url} (HTTP 404, error_code ${SCHEMA_NOT_FOUND})`);
  }
  if (status === 401 || status === 403) {
    return new SchemaRegistryError(url, status, `HTTP ${status} fetching schema id ${id}: the registry refused the credentials; check ${options.credentialsKey}`, false);
  }
  if (status === 404) {
    const code = errorCode === undefined ? 'no Confluent error_code' : `error_code ${String(errorCode)}`;
    return new SchemaRegistryError(url, status, `HTTP 404 (${code}) for GET ${path}: ${message}; is ${options.urlKey ?? 'the URL'} the registry's base URL?`, false);
  }
  const retriable = status === 408 || status === 429 || status >= 500;
  return new SchemaRegistryError(url, status, `HTTP ${status} fetching schema id ${id}: ${message}`, retriable);
}

function closed(options: RegistryClientOptions): SchemaRegistryError {
  return new SchemaRegistryError(options.url, undefined, 'the client was closed (the pipeline stopped) before the schema arrived', false);
}

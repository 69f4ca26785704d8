/**
 * Fetches schemas by id from a Confluent-compatible schema registry (`GET /schemas/ids/{id}`, and the referenced
 * subject versions), caches what they compile to, and waits out a registry that is down: retried with backoff until
 * the schema arrives or the client is closed. Only Confluent's "schema not found" (error_code 40403) makes a record
 * bad; every other refusal stops the pipeline.
 *
 * The two GETs are made here rather than through @kafkajs/confluent-schema-registry's REST client: that client drops
 * the response body (Confluent's `error_code`) and the socket error's code (a TLS failure), and it cannot be aborted,
 * all three of which decide what happens to the records.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Logger } from 'winston';
import type { Secret } from '../common/config/secret.js';
import { BadDataError, errorMessage, SchemaRegistryError, type SinkError } from '../common/errors.js';
import { backoffDelay, type BackoffOptions } from '../common/backoff.js';

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
  /** The key that holds the credentials, named in the error when the registry refuses them. */
  readonly credentialsKey: string;
  /** The key that holds the URL, named when the URL answers like no schema registry. */
  readonly urlKey?: string;
  /** The key that holds the CA file, named when the registry's certificate is not trusted. */
  readonly caKey?: string;
  readonly requestTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
  /** How long an id the registry does not know is answered from memory (a run of bad records: one GET). */
  readonly notFoundTtlMs?: number;
}

export interface RegistryClient<T> {
  /** The compiled schema when it is cached: the hot path, no Promise. */
  cached(id: number): T | undefined;
  /** The error for an id the registry said it does not know (cached for a while): the hot path for bad records. */
  missing?(id: number): BadDataError | undefined;
  /**
   * Fetches (once, however many records wait for it), compiles and caches. Rejects with a BadDataError for an id the
   * registry does not know, with a SchemaRegistryError when the registry refuses (or the client was closed).
   */
  load(id: number, log?: Logger): Promise<T>;
  /** Ends the retries and any request in flight: the pipeline that used the client stopped. */
  close(): void;
}

const DEFAULT_BACKOFF: BackoffOptions = { policy: 'exponential_with_jitter', baseMs: 200, maxMs: 30_000 };

/** Confluent's error_code for "schema not found" (a 404 on `/schemas/ids/{id}`). */
const SCHEMA_NOT_FOUND = 40403;

/** Node's codes for a certificate the CA bundle does not vouch for: a config problem, not an outage. */
const TLS_CERT_ERRORS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** A registry client whose schemas are compiled by `compile` (which may throw: that schema cannot be used). */
export function createRegistryClient<T>(options: RegistryClientOptions, compile: (schema: RawSchema) => T): RegistryClient<T> {
  const closing = new AbortController();
  const get = registryGet(options, closing.signal);
  const compiled = new Map<number, T>();
  const loading = new Map<number, Promise<T>>();
  const notFound = new Map<number, { until: number; error: BadDataError }>();

  async function fetchWithRetries(id: number, log: Logger | undefined): Promise<RawSchema> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetchSchema(get, id);
      } catch (error) {
        const failure = closing.signal.aborted ? closed(options) : classify(error, id, options);
        if (!failure.retriable) throw failure;
        const waitMs = backoffDelay(options.backoff ?? DEFAULT_BACKOFF, attempt);
        log?.warn('schema registry unavailable; records wait and the request is retried', { schemaId: id, attempt, retryInMs: waitMs, error: failure.message });
        await sleep(waitMs, closing.signal);
        if (closing.signal.aborted) throw closed(options);
      }
    }
  }

  async function fetchAndCompile(id: number, log: Logger | undefined): Promise<T> {
    const raw = await fetchWithRetries(id, log);
    try {
      return compile(raw);
    } catch (error) {
      throw new SchemaRegistryError(options.url, undefined, `schema id ${id} (${raw.kind}) cannot be used: ${errorMessage(error)}`, false);
    }
  }

  return {
    cached: (id) => compiled.get(id),
    missing(id) {
      const missing = notFound.get(id);
      return missing && missing.until > Date.now() ? missing.error : undefined;
    },
    load(id, log) {
      const hit = compiled.get(id);
      if (hit !== undefined) return Promise.resolve(hit);
      const missing = notFound.get(id);
      if (missing && missing.until > Date.now()) return Promise.reject(missing.error);
      let pending = loading.get(id);
      if (!pending) {
        pending = fetchAndCompile(id, log).then(
          (result) => {
            compiled.set(id, result);
            loading.delete(id);
            return result;
          },
          (error: unknown) => {
            loading.delete(id);
            if (error instanceof BadDataError) notFound.set(id, { until: Date.now() + (options.notFoundTtlMs ?? 10_000), error });
            throw error;
          },
        );
        loading.set(id, pending);
      }
      return pending;
    },
    close: () => closing.abort(),
  };
}

/** An answer other than 200. */
class RegistryReply extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    const message = (body as { message?: unknown } | undefined)?.message;
    super(typeof message === 'string' ? message : typeof body === 'string' && body !== '' ? body.slice(0, 200) : `HTTP ${status}`);
  }

  /** Confluent's `error_code` from the JSON body, if the body is Confluent's. */
  get errorCode(): unknown {
    return (this.body as { error_code?: unknown } | undefined)?.error_code;
  }
}

/** No response: refused, reset, timed out, TLS handshake failed (`code` is Node's). */
class NoResponse extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type RegistryGet = (path: string) => Promise<unknown>;

/** GET `path` below the base URL with basic auth and a timeout: the JSON body of a 200, else a RegistryReply. */
function registryGet(options: RegistryClientOptions, signal: AbortSignal): RegistryGet {
  const https = new URL(options.url).protocol === 'https:';
  const agent = https ? new HttpsAgent({ keepAlive: true, ca: options.ca }) : new HttpAgent({ keepAlive: true });
  signal.addEventListener('abort', () => agent.destroy(), { once: true });
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const headers: Record<string, string> = { Accept: 'application/vnd.schemaregistry.v1+json, application/json' };
  if (options.username !== undefined) headers.Authorization = `Basic ${Buffer.from(`${options.username}:${options.password?.reveal() ?? ''}`).toString('base64')}`;
  const send = https ? httpsRequest : httpRequest;
  return (path) =>
    new Promise((resolve, reject) => {
      const request = send(`${options.url}${path}`, { agent, headers, signal, timeout: timeoutMs }, (response) => {
        readBody(response).then((text) => {
          const body = parseJson(text);
          if (response.statusCode === 200 && body !== undefined) resolve(body);
          else reject(new RegistryReply(path, response.statusCode ?? 0, body ?? text));
        }, reject);
      });
      request.on('timeout', () => request.destroy(new NoResponse('ETIMEDOUT', `no response within ${timeoutMs} ms`)));
      request.on('error', (error: NodeJS.ErrnoException) => reject(error instanceof NoResponse ? error : new NoResponse(error.code ?? error.name, error.message)));
      request.end();
    });
}

async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

interface SchemaResponse {
  schema: string;
  schemaType?: string;
  references?: { name: string; subject: string; version: number }[];
}

async function fetchSchema(get: RegistryGet, id: number): Promise<RawSchema> {
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
function classify(error: unknown, id: number, options: RegistryClientOptions): SinkError {
  const { url } = options;
  if (error instanceof NoResponse) {
    if (TLS_CERT_ERRORS.has(error.code)) {
      const fix = options.caKey ? `set ${options.caKey} to the PEM file of the CA that signed it` : 'check the CA file';
      return new SchemaRegistryError(url, undefined, `the registry's TLS certificate is not trusted (${error.code}: ${error.message}); ${fix}`, false);
    }
    return new SchemaRegistryError(url, undefined, `no response fetching schema id ${id} (${error.code}: ${error.message})`, true);
  }
  if (!(error instanceof RegistryReply)) return new SchemaRegistryError(url, undefined, `fetching schema id ${id} failed: ${errorMessage(error)}`, false);
  const { status, path } = error;
  if (status === 404 && error.errorCode === SCHEMA_NOT_FOUND && path === `/schemas/ids/${id}`) {
    return new BadDataError('unknown-schema', `schema id ${id} is not in the schema registry ${url} (HTTP 404, error_code ${SCHEMA_NOT_FOUND})`);
  }
  if (status === 401 || status === 403) {
    return new SchemaRegistryError(url, status, `HTTP ${status} fetching schema id ${id}: the registry refused the credentials; check ${options.credentialsKey}`, false);
  }
  if (status === 404) {
    const code = error.errorCode === undefined ? 'no Confluent error_code' : `error_code ${String(error.errorCode)}`;
    return new SchemaRegistryError(url, status, `HTTP 404 (${code}) for GET ${path}: ${error.message}; is ${options.urlKey ?? 'the URL'} the registry's base URL?`, false);
  }
  const retriable = status === 408 || status === 429 || status >= 500;
  return new SchemaRegistryError(url, status, `HTTP ${status} fetching schema id ${id}: ${error.message}`, retriable);
}

function closed(options: RegistryClientOptions): SchemaRegistryError {
  return new SchemaRegistryError(options.url, undefined, 'the client was closed (the pipeline stopped) before the schema arrived', false);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms).unref(); // nothing but the pipeline's own work holds the process open
    signal.addEventListener('abort', done, { once: true });
  });
}

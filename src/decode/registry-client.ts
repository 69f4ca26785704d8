/**
 * A schema registry client: schemas by id, fetched once however many records wait for them (registry-http.ts), and
 * kept compiled; an id the registry does not know is remembered for a while (bounded), so a run of bad records costs
 * one GET.
 */
import type { Logger } from 'winston';
import { BadDataError, errorMessage, SchemaRegistryError } from '../common/errors.js';
import { type RawSchema, type RegistryClientOptions, schemaFetcher } from './registry-http.js';

export type { RawSchema, RegistryClientOptions, SchemaKind } from './registry-http.js';

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

/** A registry client whose schemas are compiled by `compile` (which may throw or reject: that schema cannot be used). */
export function createRegistryClient<T>(options: RegistryClientOptions, compile: (schema: RawSchema) => T | Promise<T>): RegistryClient<T> {
  const closing = new AbortController();
  const fetchSchema = schemaFetcher(options, closing.signal);
  const compiled = new Map<number, T>();
  const loading = new Map<number, Promise<T>>();
  const notFound = new Map<number, { until: number; error: BadDataError }>();

  async function fetchAndCompile(id: number, log: Logger | undefined): Promise<T> {
    const raw = await fetchSchema(id, log);
    try {
      return await compile(raw);
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
            if (error instanceof BadDataError) {
              // Ids come from record bytes: keep the remembered misses bounded (expired ones first, then the oldest).
              if (notFound.size >= MAX_NOT_FOUND) forgetOldest(notFound);
              notFound.set(id, { until: Date.now() + (options.notFoundTtlMs ?? 10_000), error });
            }
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

/** Most schema ids remembered as unknown at once (each came from a record's bytes, so any number may arrive). */
const MAX_NOT_FOUND = 10_000;

function forgetOldest(notFound: Map<number, { until: number }>): void {
  const now = Date.now();
  for (const [id, entry] of notFound) if (entry.until <= now) notFound.delete(id);
  if (notFound.size >= MAX_NOT_FOUND) notFound.delete(notFound.keys().next().value!);
}

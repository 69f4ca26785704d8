/**
 * got, loaded on its first use: it serves the schema registry, OAuth2 token requests and the `got` transport, none of
 * which a pipeline with string or JSON converters, no OAuth2 and the default transport ever uses, and loading it costs
 * a task process about 10 MB of memory (docs/performance.md).
 */
import type * as Got from 'got';

export type GotModule = typeof Got;

let loading: Promise<GotModule> | undefined;
let loaded: GotModule | undefined;

function loadGot(): Promise<GotModule> {
  return (loading ??= import('got').then((lib) => (loaded = lib)));
}

/** got once a client made it load (undefined before): its error classes, for telling a request's failures apart. */
export function loadedGot(): GotModule | undefined {
  return loaded;
}

/** A client built with got on the first call (got loaded then), the same one after. */
export function gotClient<T>(make: (lib: GotModule) => T): () => Promise<{ lib: GotModule; client: T }> {
  let ready: Promise<{ lib: GotModule; client: T }> | undefined;
  return () => (ready ??= loadGot().then((lib) => ({ lib, client: make(lib) })));
}

/**
 * got, loaded on its first use: it serves the schema registry, OAuth2 token requests and the `got` transport, none of
 * which a pipeline with string or JSON converters, no OAuth2 and the default transport ever uses, and loading it costs
 * a task process about 10 MB of memory (docs/performance.md).
 */
import type * as Got from 'got';

export type GotModule = typeof Got;

let loading: Promise<GotModule> | undefined;

export function loadGot(): Promise<GotModule> {
  return (loading ??= import('got'));
}

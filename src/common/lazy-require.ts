/**
 * A CommonJS package loaded on its first use, not at start: for packages only some connector files need (key stores,
 * Avro, Protobuf), so that a task process that never needs them does not hold them in memory (docs/performance.md).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}

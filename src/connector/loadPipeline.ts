/**
 * Finds a pipeline by name (`pipelines/<name>.json|.ts`) or path, and loads it. A `.ts` pipeline is imported through
 * tsx, loaded only then (a dev dependency: the compiled dist/ runs without it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../common/errors.js';
import { definePipeline, type PipelineDefinition } from './definePipeline.js';
import { parsePropertiesFile } from './properties-file.js';

export function resolvePipelinePath(target: string, pipelinesDir = resolve('pipelines')): string {
  if (target.includes('/') || target.includes('\\') || /\.(json|properties|ts|js|mjs)$/.test(target)) {
    const path = isAbsolute(target) ? target : resolve(target);
    if (!existsSync(path)) throw new ConfigError(undefined, `no pipeline file at ${path}`);
    return path;
  }
  for (const extension of ['.json', '.ts', '.js']) {
    const path = resolve(pipelinesDir, `${target}${extension}`);
    if (existsSync(path)) return path;
  }
  throw new ConfigError(undefined, `no pipeline named ${target} in ${pipelinesDir} (looked for ${target}.json, .ts, .js)`);
}

export async function loadPipeline(path: string): Promise<PipelineDefinition> {
  if (isConnectorFile(path)) return definePipeline({ connector: readConnectorFile(path) });
  if (/\.[cm]?ts$/.test(path)) await typeScriptLoader(path);
  const module = (await import(pathToFileURL(path).href)) as { default?: PipelineDefinition };
  const definition = module.default;
  if (!definition || typeof definition.build !== 'function' || typeof definition.connector !== 'object') {
    throw new ConfigError(undefined, `${path} must \`export default definePipeline({ connector, build })\``);
  }
  return definition;
}

let loaderReady: Promise<void> | undefined;

/**
 * Registers tsx once, for every later import. Skipped when this module is itself TypeScript (the source tree run
 * through tsx or Jest): a loader is active already. The project's tsconfig is not applied (`tsconfig: false`), so its
 * dev-only `paths` cannot point `kafka-http-sink` at src/: a pipeline gets the very modules that are running (a second
 * copy would break the `instanceof` checks on its errors). Registered globally, not namespaced, for the same reason.
 */
function typeScriptLoader(path: string): Promise<void> {
  if (import.meta.url.endsWith('.ts')) return Promise.resolve();
  loaderReady ??= import('tsx/esm/api').then(
    ({ register }) => void register({ tsconfig: false }),
    (error: unknown) => {
      loaderReady = undefined;
      const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
      throw new ConfigError(undefined, missing
        ? `${path} is TypeScript, which needs tsx to load: install it (npm install --save-dev tsx) or compile the pipeline to .js`
        : `cannot load tsx to import ${path}: ${(error as Error).message}`);
    },
  );
  return loaderReady;
}

/** A connector file rather than a pipeline module: `.json` or Kafka Connect's `.properties`. */
export function isConnectorFile(path: string): boolean {
  return extname(path) === '.json' || extname(path) === '.properties';
}

/**
 * A connector file: flat Kafka Connect keys, or the REST API's `{"name": ..., "config": {...}}` shape; or a
 * `.properties` file as Kafka Connect standalone reads it.
 */
export function readConnectorFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    parsed = extname(path) === '.properties' ? parsePropertiesFile(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(undefined, `cannot read connector file ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed === 'object' && parsed !== null && 'config' in parsed && typeof parsed.config === 'object' && parsed.config !== null) {
    const wrapped = parsed as { name?: unknown; config: Record<string, unknown> };
    return { ...(wrapped.name === undefined ? {} : { name: wrapped.name }), ...wrapped.config };
  }
  return parsed as Record<string, unknown>;
}

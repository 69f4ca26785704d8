/**
 * Kafka Connect config-provider references in values: `${env:NAME}` and `${file:/path/to/file.properties:key}`.
 * Resolved before validation, so a secret never needs to sit in the connector file.
 * Which references may be resolved is a `ProviderPolicy`: the operator's own files are trusted (every provider,
 * any path, any variable); configs that arrive through the worker's REST API get the worker's policy (Kafka
 * Connect's `config.providers`, KIP-993's `allowed.paths`, KIP-887's `allowlist.pattern`), and a reference it does
 * not allow is refused before anything is read.
 */
import { realpathSync } from 'node:fs';
import { readBoundedFile } from './config-file.js';
import { isAbsolute, normalize, sep } from 'node:path';
import { ConfigError } from '../errors.js';

const REFERENCE = /\$\{([A-Za-z][\w-]*):([^}]*)\}/g;

/** The providers this project implements. */
export const PROVIDERS = ['env', 'file'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** What references a config may resolve. */
export interface ProviderPolicy {
  /** Providers a reference may use; any other is refused (`config.providers`). */
  readonly providers: ReadonlySet<ProviderName>;
  /** `file`: absolute directories a referenced file must lie in (`config.providers.file.param.allowed.paths`); undefined: any path. */
  readonly allowedPaths?: readonly string[];
  /** `env`: a variable name must match it whole (`config.providers.env.param.allowlist.pattern`); undefined: any variable. */
  readonly envPattern?: RegExp;
  /** The settings that change each part of the policy, named in refusals (e.g. the worker's variables). */
  readonly setBy?: { readonly providers: string; readonly allowedPaths: string; readonly envPattern: string };
}

/** The operator's own connector files (`pipelines/`, `run`, `validate`): every provider, any path, any variable. */
export const TRUSTED_PROVIDERS: ProviderPolicy = { providers: new Set(PROVIDERS) };

/** Kafka Connect's default for a worker: no provider at all. */
export const NO_PROVIDERS: ProviderPolicy = { providers: new Set() };

export function resolveReferences(key: string, value: string, env: NodeJS.ProcessEnv, policy: ProviderPolicy = TRUSTED_PROVIDERS): string {
  const refused = referenceProblems(value, policy);
  if (refused.length > 0) throw new ConfigError(key, refused.join('; '));
  return value.replace(REFERENCE, (_match, provider: string, body: string) => {
    if (provider === 'env') return fromEnv(key, body, env);
    if (provider === 'file') return fromFile(key, body, policy);
    // Left as text, an unresolved reference would be sent as is (e.g. as an Authorization header).
    throw new ConfigError(key, unknownProvider(provider));
  });
}

/** How many `${provider:...}` references `value` holds. */
export function referenceCount(value: string): number {
  return [...value.matchAll(REFERENCE)].length;
}

/**
 * Why the policy refuses each reference of `value` (empty: all allowed). Looks at the text only: no file is
 * read, no variable looked up, so a refused reference leaks nothing, not even whether it exists.
 */
export function referenceProblems(value: string, policy: ProviderPolicy): string[] {
  const problems: string[] = [];
  for (const [, provider, body] of value.matchAll(REFERENCE)) {
    const problem = refusal(provider!, body!, policy);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}

function refusal(provider: string, body: string, policy: ProviderPolicy): string | undefined {
  if (!(PROVIDERS as readonly string[]).includes(provider)) return unknownProvider(provider);
  const change = (part: keyof NonNullable<ProviderPolicy['setBy']>): string => (policy.setBy ? ` (set by ${policy.setBy[part]})` : '');
  if (!policy.providers.has(provider as ProviderName)) {
    return `\${${provider}:...} uses the config provider ${provider}, which this worker does not allow in connectors created through its API${change('providers')}`;
  }
  if (provider === 'env' && policy.envPattern && !policy.envPattern.test(body)) {
    return `\${env:${body}}: the config provider env may not read ${body}: the name does not match the worker's allow-list pattern${change('envPattern')}`;
  }
  if (provider === 'file' && policy.allowedPaths) {
    const path = body.slice(0, Math.max(body.lastIndexOf(':'), 0));
    const outside = pathRefusal(path, policy.allowedPaths);
    if (outside !== undefined) return `\${file:${body}}: the config provider file may not read ${path || '(no path)'}: ${outside}${change('allowedPaths')}`;
  }
  return undefined;
}

/** Resolved values at least this long are masked as plain text, not through a regular expression. */
const LITERAL_CHARS = 1024;
/** The most source text one masking expression gets (V8 refuses expressions far smaller than a 1 MB body). */
const PATTERN_CHARS = 16_384;

/**
 * A function that rewrites a text (an error message, a stack, a status trace) so it quotes no value a reference of
 * `config` resolved to: each such value (each reference's, and each key's whole resolved value; as resolved, trimmed
 * and JSON-escaped) is replaced by the reference as written (`${env:NAME}`), so an answer names the key and the
 * reference, never what it resolved to. A value shorter than 4 characters is replaced only where it stands alone
 * (not inside a longer word or number), so "must be from 1 to 1000" stays readable.
 */
export function referenceMask(config: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv, policy: ProviderPolicy = TRUSTED_PROVIDERS): (text: string) => string {
  const pairs: [resolved: string, reference: string][] = [];
  const tryResolve = (value: string): string | undefined => {
    if (referenceProblems(value, policy).length > 0) return undefined; // refused: resolves to nothing (and throws nothing, which is costly by the thousand)
    try {
      return resolveReferences('', value, env, policy);
    } catch {
      return undefined; // not allowed or not resolvable: it resolved to nothing anyone could see
    }
  };
  for (const value of Object.values(config)) {
    if (typeof value !== 'string') continue;
    const references = [...value.matchAll(REFERENCE)].map((m) => m[0]);
    if (references.length === 0) continue;
    for (const reference of [...references, value]) {
      const resolved = tryResolve(reference);
      if (resolved === undefined) continue;
      const forms = [resolved, resolved.trim()].flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]);
      for (const form of new Set(forms)) if (form !== '' && form !== reference) pairs.push([form, reference]);
    }
  }
  if (pairs.length === 0) return (text) => text;
  pairs.sort((a, b) => b[0].length - a[0].length);
  const referenceOf = new Map(pairs);
  // Longest first; the short values in one pass (a reference put in is not rewritten again). A regular expression has
  // a size limit (V8: "Regular expression too large", an error that would quote every value): values of
  // LITERAL_CHARS or more are replaced as plain text first, the others in expressions of at most PATTERN_CHARS.
  const steps: ((text: string) => string)[] = [];
  let alternatives: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (alternatives.length === 0) return;
    const pattern = new RegExp(alternatives.join('|'), 'gu');
    steps.push((text) => text.replace(pattern, (found) => referenceOf.get(found) ?? found));
    alternatives = [];
    size = 0;
  };
  for (const [resolved, reference] of pairs) {
    if (resolved.length >= LITERAL_CHARS) {
      steps.push((text) => text.split(resolved).join(reference));
      continue;
    }
    const escaped = resolved.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const alternative = resolved.length >= 4 ? escaped : `(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`;
    if (size + alternative.length > PATTERN_CHARS) flush();
    alternatives.push(alternative);
    size += alternative.length + 1;
  }
  flush();
  return (text) => steps.reduce((masked, step) => step(masked), text);
}


/** Rewrites `error`'s message and stack (in place) with `mask`; returns it. */
export function maskedError<E>(error: E, mask: (text: string) => string): E {
  if (error instanceof Error) {
    error.message = mask(error.message);
    if (error.stack !== undefined) error.stack = mask(error.stack);
  }
  return error;
}

/** A key whose value is a local path the process would read (a PEM file, a key or trust store). */
export const PATH_KEY = /\.(location|locations|paths?)$/;

/**
 * The file `key` may have the process read at `path`, for a connector created through the API (or read from the
 * config topic): allowed only when the worker allows the file provider, and, with allowed paths, only when the path
 * as the file system resolves it (symbolic links followed) lies under them. Returns that real path, so what is read
 * is what was checked; the operator's own files (TRUSTED_PROVIDERS) get `path` back as given. A refusal is a
 * ConfigError naming the key; it never tells whether something exists outside the allowed paths: a missing file, a
 * link leading out (to something or to nothing) and an unreadable one all get the same answer.
 */
export function allowedFilePath(key: string, path: string, policy: ProviderPolicy): string {
  if (policy === TRUSTED_PROVIDERS || path === '') return path;
  if (!policy.providers.has('file')) {
    return refuse(key, `names a local file, which connectors created through the worker's API may do only when the worker allows the file config provider${policy.setBy ? ` (set by ${policy.setBy.providers})` : ''}`);
  }
  if (!policy.allowedPaths) return path;
  const setBy = policy.setBy ? ` (set by ${policy.setBy.allowedPaths})` : '';
  const refused = pathRefusal(path, policy.allowedPaths);
  if (refused !== undefined) return refuse(key, `may not read ${path}: ${refused}${setBy}`);
  let real: string | undefined;
  try {
    real = realpathSync(path);
  } catch {
    real = undefined;
  }
  if (real === undefined || !within(real, policy.allowedPaths.map(realDir))) {
    return refuse(key, `may not read ${path}: no such file inside the allowed paths ${policy.allowedPaths.join(', ')}${setBy}`);
  }
  return real;
}

function refuse(key: string, message: string): never {
  throw new ConfigError(key, message);
}

/** Why `path` may not be read under `allowed` (absolute directories), by its text alone. */
function pathRefusal(path: string, allowed: readonly string[]): string | undefined {
  if (!isAbsolute(path)) return 'the path must be absolute';
  if (path.split(/[/\\]/).includes('..')) return 'the path may not contain ".."';
  return within(normalize(path), allowed) ? undefined : `it is outside the allowed paths ${allowed.join(', ')}`;
}

function within(path: string, allowed: readonly string[]): boolean {
  return allowed.some((dir) => {
    const base = normalize(dir).replace(/[/\\]+$/, '');
    return path === base || path.startsWith(`${base}${sep}`) || (base === '' && path.startsWith(sep));
  });
}

function unknownProvider(provider: string): string {
  return `\${${provider}:...} uses an unknown config provider; supported: \${env:NAME}, \${file:/path:key}`;
}

function fromEnv(key: string, name: string, env: NodeJS.ProcessEnv): string {
  const value = env[name];
  if (value === undefined) throw new ConfigError(key, `\${env:${name}} is not set; export ${name} or write the value in the file`);
  return value;
}

function fromFile(key: string, body: string, policy: ProviderPolicy): string {
  const split = body.lastIndexOf(':');
  if (split <= 0) throw new ConfigError(key, `\${file:${body}} must name a properties file and a key: \${file:/path/to/file.properties:key}`);
  const path = body.slice(0, split);
  const name = body.slice(split + 1);
  let properties: ReadonlyMap<string, string>;
  try {
    const real = thisTurn(`real:${path}`, () => realpathSync(path));
    // A link inside an allowed directory must not lead out of it.
    if (policy.allowedPaths && !within(real, policy.allowedPaths.map(realDir))) {
      throw new ConfigError(key, `\${file:${path}:${name}}: the config provider file may not read ${path}: it links outside the allowed paths`);
    }
    properties = thisTurn(`file:${real}`, () => parseProperties(readBoundedFile(real).toString('utf8')));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(key, `\${file:${path}:${name}}: ${code ? `cannot read ${path} (${code})` : (error as Error).message}`);
  }
  const value = properties.get(name);
  if (value === undefined) throw new ConfigError(key, `\${file:${path}:${name}}: ${path} has no key ${name}`);
  return value;
}

const turn = new Map<string, unknown>();

/**
 * `make()`'s result (or its error) for `key`, made once per turn of the event loop: a config may name one
 * `${file:...}` file thousands of times (validation reads the config once per problem, the mask once more), which
 * resolved and read it as often and held the worker for seconds. Forgotten on the next turn, so a changed file is
 * read again by the next config.
 */
function thisTurn<T>(key: string, make: () => T): T {
  if (!turn.has(key)) {
    if (turn.size === 0) setImmediate(() => turn.clear()).unref();
    try {
      turn.set(key, { value: make() });
    } catch (error) {
      turn.set(key, { error });
    }
  }
  const made = turn.get(key) as { value: T } | { error: unknown };
  if ('error' in made) throw made.error;
  return made.value;
}

/** An allowed directory as the file system resolves it (itself when it does not exist). */
function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/** Java-style properties: `key=value` or `key: value` per line, `#` and `!` comments. */
export function parseProperties(text: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (match) result.set(match[1]!, match[2]!);
  }
  return result;
}

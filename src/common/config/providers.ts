/**
 * Kafka Connect config-provider references in values: `${env:NAME}` and `${file:/path/to/file.properties:key}`.
 * Resolved before validation, so a secret never needs to sit in the connector file.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

const REFERENCE = /\$\{([A-Za-z][\w-]*):([^}]*)\}/g;

export function resolveReferences(key: string, value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(REFERENCE, (_match, provider: string, body: string) => {
    if (provider === 'env') return fromEnv(key, body, env);
    if (provider === 'file') return fromFile(key, body);
    // Left as text, an unresolved reference would be sent as is (e.g. as an Authorization header).
    throw new ConfigError(key, `\${${provider}:...} uses an unknown config provider; supported: \${env:NAME}, \${file:/path:key}`);
  });
}

function fromEnv(key: string, name: string, env: NodeJS.ProcessEnv): string {
  const value = env[name];
  if (value === undefined) throw new ConfigError(key, `\${env:${name}} is not set; export ${name} or write the value in the file`);
  return value;
}

function fromFile(key: string, body: string): string {
  const split = body.lastIndexOf(':');
  if (split <= 0) throw new ConfigError(key, `\${file:${body}} must name a properties file and a key: \${file:/path/to/file.properties:key}`);
  const path = body.slice(0, split);
  const name = body.slice(split + 1);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(key, `\${file:${path}:${name}}: cannot read ${path} (${code})`);
  }
  const properties = parseProperties(text);
  const value = properties.get(name);
  if (value === undefined) throw new ConfigError(key, `\${file:${path}:${name}}: ${path} has no key ${name}`);
  return value;
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

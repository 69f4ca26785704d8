/**
 * Kafka client file properties read here, in Node, before any client exists: `ssl.ca.location`,
 * `ssl.certificate.location`, `ssl.key.location` (and `https.ca.location`, the OIDC assertion key) become their inline
 * twins (`ssl.ca.pem`, ...), so no librdkafka thread ever opens a path a config named: a FIFO or a device such as
 * /dev/ptmx is a config error naming the key (only regular files of at most 1 MB are read), never a blocked thread.
 * `ssl.crl.location` has no inline twin: it is read the same way and librdkafka gets the checked path. Java stores
 * were read before (store-properties.ts).
 *
 * @example
 *   inlineClientFiles({ 'ssl.ca.location': '/etc/kafka/ca.pem' }, origin, policy) // -> { 'ssl.ca.pem': '-----BEGIN ...' }
 */
import { statSync } from 'node:fs';
import { readConfigFile } from '../common/config/config-file.js';
import { type ProviderPolicy, TRUSTED_PROVIDERS } from '../common/config/providers.js';
import { ConfigError, printable } from '../common/errors.js';
import { FILE_TO_INLINE, fileProperty, type NativeValue, STORE_FILES } from './native-config.js';

/** Inline twins that add to one another (both sets of CAs are trusted, as librdkafka does with both given). */
const ADDITIVE = new Set(['ssl.ca.pem', 'https.ca.pem']);

/**
 * Replaces each file property of `properties` (in place) by its file's content under the inline name; `origin`
 * names the config key each property came from. The operator's own files (TRUSTED_PROVIDERS) may still name a
 * directory of hashed CAs or `probe` as `ssl.ca.location`, which librdkafka reads itself.
 */
export function inlineClientFiles(properties: Record<string, NativeValue>, origin: ReadonlyMap<string, string>, policy: ProviderPolicy): void {
  for (const [name, value] of Object.entries(properties)) {
    const file = fileProperty(name);
    if (file === undefined || STORE_FILES.includes(file) || typeof value !== 'string' || value === '') continue;
    if (file === 'ssl.ca.location' && (value === 'probe' || (policy === TRUSTED_PROVIDERS && isDirectory(value)))) continue;
    const key = origin.get(name) ?? name;
    const content = readConfigFile(key, value); // a regular file of at most 1 MB, opened without waiting
    const text = content.toString('utf8');
    if (content.includes(0) || !text.includes('-----BEGIN ')) throw new ConfigError(key, `${value} is not a PEM file (no -----BEGIN line, or binary content)`);
    const inline = FILE_TO_INLINE[file];
    if (inline === undefined) continue; // no inline twin: librdkafka reads the path checked here
    const given = properties[inline];
    if (given !== undefined && !ADDITIVE.has(inline)) throw new ConfigError(key, `set either ${printable(key)} or ${printable(origin.get(inline) ?? inline)}, not both`);
    delete properties[name];
    properties[inline] = given === undefined ? text : `${text.trimEnd()}\n${String(given)}`;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Java key and trust stores (JKS, PKCS12, and Kafka's PEM store type), read once at config time: a trust store becomes
 * CA certificates (PEM), a key store the client certificate and key that Node's TLS and librdkafka take. JKS is
 * parsed by jks-js, PKCS12 by node-forge (pkcs12.ts); a PKCS12 key store goes to Node's TLS as it is (`pfx`). Every
 * failure is a ConfigError naming the key to fix; no password or key material is ever part of a message.
 *
 * @example
 *   const keys = storeKeys('http.ssl', 'truststore');
 *   const ca = readTrustStore({ keys, location: '/etc/sink/truststore.jks', password: new Secret('changeit') });
 */
import { readConfigFile } from '../config/config-file.js';
import { createSecureContext } from 'node:tls';
import type * as Jks from 'jks-js';
import { Secret } from '../config/secret.js';
import { ConfigError } from '../errors.js';
import { readPkcs12, type StoreEntries } from './pkcs12.js';
import { lazyRequire } from '../lazy-require.js';

const jks = lazyRequire<typeof Jks>('jks-js');

/** Store types as Kafka spells them (`ssl.truststore.type`); matched ignoring case. */
export const STORE_TYPES = ['JKS', 'PKCS12', 'PEM'] as const;
export type StoreType = (typeof STORE_TYPES)[number];

/** The config keys a store was given with: errors name the one to fix. */
export interface StoreKeys {
  readonly location: string;
  readonly password: string;
  readonly type: string;
  /** Java's `ssl.key.password`: the private key's own password in a key store, when it differs from the store's. */
  readonly keyPassword?: string;
}

/** A store as the connector file gives it. */
export interface StoreSource {
  readonly keys: StoreKeys;
  readonly location: string;
  readonly password?: Secret;
  /** The declared type; undefined: told from the file's content (Java also opens a PKCS12 file declared JKS). */
  readonly type?: string;
  readonly keyPassword?: Secret;
}

/** A client certificate and key from a key store: PKCS12 as it is for Node (`pfx`), JKS and PEM as PEM text. */
export type ClientKeyMaterial =
  | { readonly kind: 'pfx'; readonly pfx: Buffer; readonly passphrase?: Secret; readonly location: string }
  | { readonly kind: 'pem'; readonly cert: string; readonly key: Secret };

/** `http.ssl` + `truststore` -> `http.ssl.truststore.location` / `.password` / `.type` (and `http.ssl.key.password` for a key store). */
/** A store's keys under `prefix`, typed as the keys themselves (so a typed config reader takes them). */
export function storeKeys<P extends string, S extends 'truststore' | 'keystore'>(
  prefix: P,
  store: S,
): StoreKeys & { readonly location: `${P}.${S}.location`; readonly password: `${P}.${S}.password`; readonly type: `${P}.${S}.type` } {
  return {
    location: `${prefix}.${store}.location`,
    password: `${prefix}.${store}.password`,
    type: `${prefix}.${store}.type`,
    ...(store === 'keystore' ? { keyPassword: `${prefix}.key.password` } : {}),
  };
}

/** The trusted certificates of a trust store, one PEM block each. */
export function readTrustStore(source: StoreSource): string[] {
  const { content, type } = open(source);
  if (type === 'PEM') return pemBlocks(content.toString('utf8'), 'CERTIFICATE');
  const entries = parse(source, content, type);
  // Java also trusts the certificate of a key entry found in a trust store.
  const all = [...entries.cas, ...entries.keys.flatMap((e) => pemBlocks(e.cert, 'CERTIFICATE').slice(0, 1))];
  if (all.length === 0) throw new ConfigError(source.keys.location, `${source.location} holds no certificate to trust`);
  return all;
}

/** The client certificate and key of a key store; a PKCS12 store is checked by loading it into a TLS context. */
export function readKeyStore(source: StoreSource): ClientKeyMaterial {
  const { content, type } = open(source);
  if (type === 'PKCS12') {
    const passphrase = source.password;
    try {
      createSecureContext({ pfx: content, passphrase: passphrase?.reveal() ?? '' });
    } catch (error) {
      if (/mac verify|password/i.test((error as Error).message)) throw wrongPassword(source);
      throw new ConfigError(source.keys.location, `${source.location} holds no private key with its certificate that TLS can use`);
    }
    return { kind: 'pfx', pfx: content, passphrase, location: source.location };
  }
  return keyStorePem(source, content, type);
}

/** The client certificate chain and key of a key store as PEM text, whatever its type (librdkafka's `ssl.*.pem`). */
export function readKeyStorePem(source: StoreSource): { cert: string; key: Secret } {
  const { content, type } = open(source);
  return keyStorePem(source, content, type);
}

function keyStorePem(source: StoreSource, content: Buffer, type: StoreType): { kind: 'pem'; cert: string; key: Secret } {
  if (type === 'PEM') {
    const text = content.toString('utf8');
    const key = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/.exec(text)?.[0];
    const certs = pemBlocks(text, 'CERTIFICATE');
    if (key === undefined || certs.length === 0) throw new ConfigError(source.keys.location, `${source.location} needs a private key and its certificate (PEM)`);
    return { kind: 'pem', cert: certs.join('\n'), key: new Secret(key) };
  }
  const entry = parse(source, content, type).keys[0];
  if (!entry) throw new ConfigError(source.keys.location, `${source.location} holds no private key entry (a trust store given as a key store?)`);
  return { kind: 'pem', cert: entry.cert, key: new Secret(entry.key) };
}

function open(source: StoreSource): { content: Buffer; type: StoreType } {
  const content = readConfigFile(source.keys.location, source.location);
  const found = typeOf(content);
  if (found === undefined) throw new ConfigError(source.keys.location, `${source.location} is not a JKS, PKCS12 or PEM store`);
  const declared = source.type?.toUpperCase();
  if (declared !== undefined && !(STORE_TYPES as readonly string[]).includes(declared)) {
    throw new ConfigError(source.keys.type, `must be one of ${STORE_TYPES.join(', ')}`);
  }
  if (declared === 'PEM' ? found !== 'PEM' : declared !== undefined && found === 'PEM') {
    throw new ConfigError(source.keys.type, `is ${declared} but ${source.location} is a ${found === 'PEM' ? 'PEM file' : `${found} store`}`);
  }
  return { content, type: found };
}

const JKS_MAGIC = 0xfeedfeed;

function typeOf(content: Buffer): StoreType | undefined {
  if (content.length >= 4 && content.readUInt32BE(0) === JKS_MAGIC) return 'JKS';
  if (isPfx(content)) return 'PKCS12';
  if (content.toString('latin1').includes('-----BEGIN ')) return 'PEM';
  return undefined;
}

/** A DER SEQUENCE whose first element is INTEGER 3: the PFX structure of RFC 7292. */
function isPfx(content: Buffer): boolean {
  if (content.length < 8 || content[0] !== 0x30) return false;
  const lengthByte = content[1]!;
  const start = 2 + (lengthByte & 0x80 ? lengthByte & 0x7f : 0);
  return content[start] === 0x02 && content[start + 1] === 0x01 && content[start + 2] === 0x03;
}

function parse(source: StoreSource, content: Buffer, type: 'JKS' | 'PKCS12'): StoreEntries {
  try {
    // PKCS12 has one password for the store and its keys (as Java and OpenSSL write it).
    if (type === 'PKCS12') return readPkcs12(content, source.password?.reveal() ?? '');
    // jks-js decrypts a key with keyPassword when given (Java's ssl.key.password), else with the store password.
    const entries = Object.values(jks().toPem(content, source.password?.reveal() ?? '', source.keyPassword?.reveal()));
    return {
      cas: entries.flatMap((e) => (e.ca ? [e.ca.trim()] : [])),
      keys: entries.flatMap((e) => (e.cert && e.key ? [{ cert: e.cert, key: e.key }] : [])),
    };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const message = (error as Error).message;
    if (/password|mac could not be verified/i.test(message)) throw wrongPassword(source);
    if (/recover|decrypt|padding/i.test(message)) {
      if (source.password === undefined) throw wrongPassword(source);
      const key = source.keys.keyPassword ?? source.keys.password;
      throw new ConfigError(key, source.keyPassword === undefined
        ? `is required: the private key in ${source.location} has a password of its own`
        : `does not decrypt the private key in ${source.location}`);
    }
    throw new ConfigError(source.keys.location, `${source.location} cannot be read as a ${type} store (${message.slice(0, 120)})`);
  }
}

function wrongPassword(source: StoreSource): ConfigError {
  return source.password === undefined
    ? new ConfigError(source.keys.password, `is required to open ${source.location}`)
    : new ConfigError(source.keys.password, `does not open ${source.location} (wrong password, or the store is damaged)`);
}

function pemBlocks(text: string, label: string): string[] {
  return text.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`, 'g')) ?? [];
}

/**
 * Connector-file keys for TLS to the endpoint (and the token endpoint): PEM CA bundle or Aiven's Java trust store
 * (JKS, PKCS12), client certificate, opt-out.
 */
import { readConfigFile } from '../config/config-file.js';
import { bool, oneOf, str } from '../config/formats.js';
import { Secret } from '../config/secret.js';
import type { ConfigSpec, ConfigValues } from '../config/spec.js';
import { ConfigError } from '../errors.js';
import { readTrustStore, STORE_TYPES, storeKeys } from './key-stores.js';

export const tlsConfigSpec = {
  'http.ssl.ca.location': {
    doc: 'PEM file with the CA certificate(s) the endpoint\'s certificate is checked against, instead of the default CAs. Verification is on by default.',
    format: str(),
    default: null,
  },
  'http.ssl.certificate.location': {
    doc: 'PEM file with the client certificate (chain) for mutual TLS; needs `http.ssl.key.location`.',
    format: str(),
    default: null,
  },
  'http.ssl.key.location': { doc: 'PEM file with the client certificate\'s private key, for mutual TLS.', format: str(), default: null },
  'http.ssl.key.password': { doc: 'Passphrase of an encrypted `http.ssl.key.location`.', format: str(), default: null, sensitive: true },
  'http.ssl.trust.all.certs': {
    doc: 'Skip certificate and hostname verification (Aiven\'s key). For tests only; a warning is logged at start.',
    format: bool(),
    default: false,
  },
  'http.ssl.truststore.location': {
    doc: 'Aiven\'s Java trust store (JKS or PKCS12) with the CA certificate(s) the endpoint\'s certificate is checked against; may be combined with `http.ssl.ca.location`.',
    format: str(),
    default: null,
  },
  'http.ssl.truststore.password': { doc: 'Password of `http.ssl.truststore.location` (a JKS store without one is read unchecked).', format: str(), default: null, sensitive: true },
  'http.ssl.truststore.type': {
    doc: '`JKS`, `PKCS12` or `PEM`; JKS and PKCS12 are told apart by the file\'s content, as Java does.',
    format: oneOf(STORE_TYPES),
    default: null,
  },
} satisfies ConfigSpec;

export interface TlsOptions {
  /** CA bundle replacing the default CAs; undefined: Node's default CAs. */
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  /** The private key (PEM text): a Secret, so a config dump never shows it. */
  readonly key?: Secret;
  readonly passphrase?: Secret;
  /** false only with `http.ssl.trust.all.certs=true`. */
  readonly rejectUnauthorized: boolean;
  /** Oldest and newest TLS version offered; undefined: Node's defaults. */
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
  readonly maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** false: the certificate chain is verified but not the host name (Confluent's empty endpoint identification). */
  readonly checkHost?: boolean;
  /** OpenSSL cipher list; undefined: Node's defaults. */
  readonly ciphers?: string;
}

export function tlsOptions(values: ConfigValues<typeof tlsConfigSpec>, secret: (key: string) => Secret | undefined): TlsOptions {
  const cert = pem(values, 'http.ssl.certificate.location');
  const key = pem(values, 'http.ssl.key.location');
  if ((cert === undefined) !== (key === undefined)) {
    throw new ConfigError(cert ? 'http.ssl.key.location' : 'http.ssl.certificate.location', 'mutual TLS needs both http.ssl.certificate.location and http.ssl.key.location');
  }
  return {
    ca: trustedCas(values, secret),
    cert,
    key: key && new Secret(key.toString('utf8')),
    passphrase: secret('http.ssl.key.password'),
    rejectUnauthorized: !values.boolean('http.ssl.trust.all.certs'),
  };
}

/** The CAs of `http.ssl.ca.location` and of the trust store together; undefined when neither is set (Node's CAs). */
function trustedCas(values: ConfigValues<typeof tlsConfigSpec>, secret: (key: string) => Secret | undefined): Buffer | undefined {
  const bundle = pem(values, 'http.ssl.ca.location');
  const keys = storeKeys('http.ssl', 'truststore');
  const location = values.optionalString(keys.location);
  if (location === undefined || location === '') {
    if (values.isSet(keys.password)) throw new ConfigError(keys.location, `is required when ${keys.password} is set`);
    return bundle;
  }
  const store = readTrustStore({ keys, location, password: secret(keys.password), type: values.optionalString(keys.type) });
  return Buffer.concat([...(bundle ? [bundle, Buffer.from('\n')] : []), Buffer.from(store.join('\n'))]);
}

/** The PEM file a key names, read and checked now (a config error names the key). */
export function pem(values: ConfigValues, key: string): Buffer | undefined {
  const path = values.optionalString(key);
  if (path === undefined || path === '') return undefined;
  const content = readConfigFile(key, path);
  if (!content.toString('latin1').includes('-----BEGIN ')) throw new ConfigError(key, `${path} is not a PEM file (no -----BEGIN line)`);
  return content;
}

/**
 * Connector-file keys for the schema-registry converters, per `key.`/`value.` converter, spelled as Confluent's
 * converters accept them: `basic.auth.user.info` and `basic.auth.credentials.source` next to their older
 * `schema.registry.`-prefixed forms (the same setting: both given with different values is a config error naming
 * both), and `schema.registry.ssl.*` trust and key stores (JKS, PKCS12, PEM; read by src/common/net/key-stores.ts).
 */
import { oneOf, str } from '../common/config/formats.js';
import { Secret } from '../common/config/secret.js';
import { type ConfigSpec, type ConfigValues, prefixed } from '../common/config/spec.js';
import { ConfigError } from '../common/errors.js';
import { readKeyStorePem, readTrustStore, STORE_TYPES, storeKeys } from '../common/net/key-stores.js';
import { pem } from '../common/net/tls-config.js';
import type { DecimalFormat } from './connect-json.js';
import type { RegistryClientOptions } from './registry-client.js';

const CREDENTIALS_SOURCES = ['URL', 'USER_INFO'] as const;

function registryKeys<P extends 'key' | 'value'>(part: P) {
  const prefix = `${part}.converter`;
  const store = (store: string, holding: string) => ({
    location: { doc: `Java ${store} (JKS or PKCS12; or a PEM file with \`.type\` PEM) with ${holding}.`, format: str(), default: null },
    password: (of: string) => ({ doc: `Password of \`${prefix}.schema.registry.ssl.${of}.location\`.`, format: str(), default: null, sensitive: true }),
    type: { doc: '`JKS`, `PKCS12` or `PEM`; the file\'s content decides between JKS and PKCS12, as Java does.', format: oneOf(STORE_TYPES), default: null },
  });
  const trust = store('trust store', 'the CA certificate(s) the registry\'s https certificate is checked against');
  const keys = store('key store', 'the client certificate and private key, for a registry that asks for one (mutual TLS)');
  return prefixed(`${prefix}.`, {
    'schema.registry.url': {
      doc: `Schema registry base URL (http or https, one URL) for a ${part} converter that uses one (Avro, Protobuf, JSON Schema).`,
      format: str(),
      default: null,
    },
    'basic.auth.credentials.source': {
      doc: `Where the registry credentials come from: \`USER_INFO\` (\`${prefix}.basic.auth.user.info\`) or \`URL\` (the URL's \`user:password@\`, none if absent).`,
      format: oneOf(CREDENTIALS_SOURCES),
      default: 'URL',
    },
    'schema.registry.basic.auth.credentials.source': {
      doc: `The older spelling of \`${prefix}.basic.auth.credentials.source\`, accepted as Confluent accepts it.`,
      format: oneOf(CREDENTIALS_SOURCES),
      default: null,
    },
    'basic.auth.user.info': {
      doc: '`user:password` for the registry\'s basic auth, split at the first colon (the password may hold colons).',
      format: str(),
      default: null,
      sensitive: true,
    },
    'schema.registry.basic.auth.user.info': {
      doc: `The older spelling of \`${prefix}.basic.auth.user.info\`, accepted as Confluent accepts it.`,
      format: str(),
      default: null,
      sensitive: true,
    },
    'schema.registry.ssl.ca.location': {
      doc: 'PEM file with the CA certificate(s) the registry\'s https certificate is checked against, instead of the default CAs (with a trust store: both).',
      format: str(),
      default: null,
    },
    'schema.registry.ssl.truststore.location': trust.location,
    'schema.registry.ssl.truststore.password': trust.password('truststore'),
    'schema.registry.ssl.truststore.type': trust.type,
    'schema.registry.ssl.keystore.location': keys.location,
    'schema.registry.ssl.keystore.password': keys.password('keystore'),
    'schema.registry.ssl.keystore.type': keys.type,
    'schema.registry.ssl.key.password': {
      doc: `Password of the private key in \`${prefix}.schema.registry.ssl.keystore.location\` when it differs from the store's (or of an encrypted PEM key).`,
      format: str(),
      default: null,
      sensitive: true,
    },
  } satisfies ConfigSpec);
}

export const registryConfigSpec = {
  ...registryKeys('key'),
  ...registryKeys('value'),
  'decimal.format': {
    doc: 'How the schema-registry converters write decimals in the body, as Kafka Connect\'s JsonConverter: `BASE64` (the unscaled two\'s-complement bytes, base64) or `NUMERIC` (a JSON number).',
    format: oneOf(['BASE64', 'NUMERIC']),
    default: 'BASE64',
  },
} satisfies ConfigSpec;

export function decimalFormat(values: ConfigValues<typeof registryConfigSpec>): DecimalFormat {
  return values.get('decimal.format');
}

/** The registry a `part` converter talks to, checked (and its store files read) before anything connects. */
export function registryClientOptions(part: 'key' | 'value', values: ConfigValues): RegistryClientOptions {
  const prefix = `${part}.converter`;
  const urlKey = `${prefix}.schema.registry.url`;
  const given = values.optionalString(urlKey);
  if (!given) throw new ConfigError(urlKey, `is required with ${values.string(prefix)}`);
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new ConfigError(urlKey, 'must be one absolute http:// or https:// URL');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || given.includes(',')) throw new ConfigError(urlKey, 'must be one absolute http:// or https:// URL');
  const credentials = credentialsFrom(prefix, values, url);
  url.username = '';
  url.password = '';
  const caKey = `${prefix}.schema.registry.ssl.ca.location`;
  const certKey = `${prefix}.schema.registry.ssl.keystore.location`;
  return { url: url.toString().replace(/\/+$/, ''), ...credentials, ca: trustedCas(prefix, values), ...clientCertificate(prefix, values), urlKey, caKey, certKey };
}

/**
 * The value of a setting Confluent reads under two names, and the name it was given under (errors name that one).
 * Neither given: the first name and its default.
 */
function eitherSpelling(values: ConfigValues, current: string, older: string): { key: string; value: string | undefined } {
  const [hasCurrent, hasOlder] = [values.isSet(current), values.isSet(older)];
  if (hasCurrent && hasOlder && values.optionalString(current) !== values.optionalString(older)) {
    throw new ConfigError(current, `and ${older} are the same setting under two names and are given different values; keep one`);
  }
  const key = hasOlder && !hasCurrent ? older : current;
  return { key, value: values.optionalString(key) };
}

function credentialsFrom(prefix: string, values: ConfigValues, url: URL): Pick<RegistryClientOptions, 'username' | 'password' | 'credentialsKey'> {
  const source = eitherSpelling(values, `${prefix}.basic.auth.credentials.source`, `${prefix}.schema.registry.basic.auth.credentials.source`);
  const userInfo = eitherSpelling(values, `${prefix}.basic.auth.user.info`, `${prefix}.schema.registry.basic.auth.user.info`);
  if ((source.value ?? 'URL') === 'URL') {
    if (url.username === '') return { credentialsKey: `${prefix}.schema.registry.url` };
    return { username: decodeURIComponent(url.username), password: new Secret(decodeURIComponent(url.password)), credentialsKey: `${prefix}.schema.registry.url` };
  }
  const colon = userInfo.value?.indexOf(':') ?? -1;
  if (userInfo.value === undefined || colon <= 0) throw new ConfigError(userInfo.key, `must be user:password with ${source.key} USER_INFO`);
  return { username: userInfo.value.slice(0, colon), password: new Secret(userInfo.value.slice(colon + 1)), credentialsKey: userInfo.key };
}

const secret = (values: ConfigValues, key: string): Secret | undefined => {
  const value = values.optionalString(key);
  return value === undefined || value === '' ? undefined : new Secret(value);
};

/** The CAs of the PEM file and of the trust store together; undefined when neither is set (Node's default CAs). */
function trustedCas(prefix: string, values: ConfigValues): Buffer | undefined {
  const bundle = pem(values, `${prefix}.schema.registry.ssl.ca.location`);
  const keys = storeKeys(`${prefix}.schema.registry.ssl`, 'truststore');
  const location = values.optionalString(keys.location);
  if (location === undefined || location === '') {
    if (values.isSet(keys.password)) throw new ConfigError(keys.location, `is required when ${keys.password} is set`);
    return bundle;
  }
  const store = readTrustStore({ keys, location, password: secret(values, keys.password), type: values.optionalString(keys.type) });
  return Buffer.concat([...(bundle ? [bundle, Buffer.from('\n')] : []), Buffer.from(store.join('\n'))]);
}

/** The client certificate and key of the key store, for a registry that asks for one; none when it is not set. */
function clientCertificate(prefix: string, values: ConfigValues): Pick<RegistryClientOptions, 'cert' | 'key' | 'passphrase'> {
  const keys = storeKeys(`${prefix}.schema.registry.ssl`, 'keystore');
  const location = values.optionalString(keys.location);
  if (location === undefined || location === '') {
    for (const key of [keys.password, keys.keyPassword!]) if (values.isSet(key)) throw new ConfigError(keys.location, `is required when ${key} is set`);
    return {};
  }
  const keyPassword = secret(values, keys.keyPassword!);
  const material = readKeyStorePem({ keys, location, password: secret(values, keys.password), type: values.optionalString(keys.type), keyPassword });
  return { cert: Buffer.from(material.cert), key: material.key, passphrase: keyPassword };
}

/** Connector-file keys for the schema-registry converters (Confluent's names, per `key.`/`value.` converter). */
import { oneOf, str } from '../common/config/formats.js';
import { Secret } from '../common/config/secret.js';
import type { ConfigSpec, ConfigValues } from '../common/config/spec.js';
import { ConfigError } from '../common/errors.js';
import { pem } from '../common/net/tls-config.js';
import type { DecimalFormat } from './connect-json.js';
import type { RegistryClientOptions } from './registry-client.js';

const JKS_HINT = 'JKS trust stores are not supported; export the CA as PEM (keytool -exportcert -rfc -keystore <store> -alias <alias>) and set';

function registryKeys(part: 'key' | 'value'): ConfigSpec {
  const prefix = `${part}.converter`;
  return {
    [`${prefix}.schema.registry.url`]: {
      doc: `Schema registry base URL (http or https, one URL) for a ${part} converter that uses one (Avro, Protobuf, JSON Schema).`,
      format: str(),
      default: null,
    },
    [`${prefix}.basic.auth.credentials.source`]: {
      doc: `Where the registry credentials come from: \`USER_INFO\` (\`${prefix}.schema.registry.basic.auth.user.info\`) or \`URL\` (the URL's \`user:password@\`, none if absent).`,
      format: oneOf(['URL', 'USER_INFO']),
      default: 'URL',
    },
    [`${prefix}.schema.registry.basic.auth.user.info`]: {
      doc: '`user:password` for the registry\'s basic auth, split at the first colon (the password may hold colons).',
      format: str(),
      default: null,
      sensitive: true,
    },
    [`${prefix}.schema.registry.ssl.ca.location`]: {
      doc: 'PEM file with the CA certificate(s) the registry\'s https certificate is checked against, instead of the default CAs.',
      format: str(),
      default: null,
    },
    [`${prefix}.schema.registry.ssl.truststore.location`]: {
      doc: `Confluent's JKS trust store: rejected with a hint. Export the CA as PEM and set \`${prefix}.schema.registry.ssl.ca.location\`.`,
      format: str(),
      default: null,
    },
    [`${prefix}.schema.registry.ssl.truststore.password`]: { doc: 'JKS trust store password: rejected (see above).', format: str(), default: null, sensitive: true },
  };
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

export function decimalFormat(values: ConfigValues): DecimalFormat {
  return values.string('decimal.format') as DecimalFormat;
}

/** The registry a `part` converter talks to, checked before anything connects. */
export function registryClientOptions(part: 'key' | 'value', values: ConfigValues): RegistryClientOptions {
  const prefix = `${part}.converter`;
  const urlKey = `${prefix}.schema.registry.url`;
  for (const key of [`${prefix}.schema.registry.ssl.truststore.location`, `${prefix}.schema.registry.ssl.truststore.password`]) {
    if (values.isSet(key)) throw new ConfigError(key, `${JKS_HINT} ${prefix}.schema.registry.ssl.ca.location`);
  }
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
  return { url: url.toString().replace(/\/+$/, ''), ...credentials, ca: pem(values, caKey), urlKey, caKey };
}

function credentialsFrom(prefix: string, values: ConfigValues, url: URL): Pick<RegistryClientOptions, 'username' | 'password' | 'credentialsKey'> {
  const userInfoKey = `${prefix}.schema.registry.basic.auth.user.info`;
  if (values.string(`${prefix}.basic.auth.credentials.source`) === 'URL') {
    if (url.username === '') return { credentialsKey: `${prefix}.schema.registry.url` };
    return { username: decodeURIComponent(url.username), password: new Secret(decodeURIComponent(url.password)), credentialsKey: `${prefix}.schema.registry.url` };
  }
  const userInfo = values.optionalString(userInfoKey);
  const colon = userInfo?.indexOf(':') ?? -1;
  if (userInfo === undefined || colon <= 0) throw new ConfigError(userInfoKey, 'must be user:password with basic.auth.credentials.source USER_INFO');
  return { username: userInfo.slice(0, colon), password: new Secret(userInfo.slice(colon + 1)), credentialsKey: userInfoKey };
}

/**
 * Java key and trust store properties (`ssl.truststore.*`, `ssl.keystore.*`, as `kafka.*` or override keys) turned
 * into what librdkafka takes: a trust store's CAs as `ssl.ca.pem`; a key store (JKS, PKCS12 or PEM) as
 * `ssl.certificate.pem` and `ssl.key.pem`, so librdkafka opens no store file itself. The stores
 * are opened now, so a wrong password is a config error naming the key before anything connects.
 */
import { ConfigError } from '../common/errors.js';
import { Secret } from '../common/config/secret.js';
import { readKeyStorePem, readTrustStore, type StoreKeys } from '../common/net/key-stores.js';

export type ClientProperties = Record<string, string | number | boolean>;

const TRUST = ['ssl.truststore.location', 'ssl.truststore.password', 'ssl.truststore.type', 'ssl.truststore.certificates'];
const KEY = ['ssl.keystore.location', 'ssl.keystore.password', 'ssl.keystore.type', 'ssl.keystore.certificate.chain', 'ssl.keystore.key'];

/**
 * Replaces the Java store properties in `properties` (in place) by librdkafka's. `origin` tells which config key set
 * each property (`kafka.ssl.truststore.location`, `consumer.override.ssl.keystore.password`, ...), for errors.
 */
export function applyStores(properties: ClientProperties, origin: ReadonlyMap<string, string>): void {
  const take = (names: readonly string[]): Record<string, string | undefined> => {
    const taken = Object.fromEntries(names.map((n) => [n, properties[n] === undefined ? undefined : String(properties[n])]));
    for (const n of names) delete properties[n];
    return taken;
  };
  const keysOf = (store: 'truststore' | 'keystore'): StoreKeys => {
    const from = origin.get(`ssl.${store}.location`) ?? origin.get(`ssl.${store}.password`) ?? `kafka.ssl.${store}.location`;
    const prefix = from.slice(0, from.indexOf(`ssl.${store}.`));
    return {
      location: `${prefix}ssl.${store}.location`,
      password: origin.get(`ssl.${store}.password`) ?? `${prefix}ssl.${store}.password`,
      type: origin.get(`ssl.${store}.type`) ?? `${prefix}ssl.${store}.type`,
      ...(store === 'keystore' ? { keyPassword: origin.get('ssl.key.password') ?? `${prefix}ssl.key.password` } : {}),
    };
  };
  const secret = (value: string | undefined): Secret | undefined => (value === undefined || value === '' ? undefined : new Secret(value));

  const trust = take(TRUST);
  if (trust['ssl.truststore.location'] !== undefined || trust['ssl.truststore.certificates'] !== undefined) {
    const keys = keysOf('truststore');
    if (properties['ssl.ca.location'] !== undefined || properties['ssl.ca.pem'] !== undefined) {
      throw new ConfigError(keys.location, `set either a trust store or ${origin.get('ssl.ca.location') ?? origin.get('ssl.ca.pem')}, not both`);
    }
    properties['ssl.ca.pem'] =
      trust['ssl.truststore.certificates'] ??
      readTrustStore({ keys, location: trust['ssl.truststore.location']!, password: secret(trust['ssl.truststore.password']), type: trust['ssl.truststore.type'] }).join('\n');
  } else if (trust['ssl.truststore.password'] !== undefined) {
    throw new ConfigError(keysOf('truststore').location, `is required when ${keysOf('truststore').password} is set`);
  }

  const key = take(KEY);
  if (key['ssl.keystore.certificate.chain'] !== undefined || key['ssl.keystore.key'] !== undefined) {
    if (key['ssl.keystore.certificate.chain'] === undefined || key['ssl.keystore.key'] === undefined) {
      throw new ConfigError(keysOf('keystore').location.replace(/location$/, 'key'), 'ssl.keystore.key and ssl.keystore.certificate.chain go together');
    }
    properties['ssl.certificate.pem'] = key['ssl.keystore.certificate.chain'];
    properties['ssl.key.pem'] = key['ssl.keystore.key'];
  } else if (key['ssl.keystore.location'] !== undefined) {
    const keys = keysOf('keystore');
    const source = {
      keys,
      location: key['ssl.keystore.location'],
      password: secret(key['ssl.keystore.password']),
      type: key['ssl.keystore.type'],
      keyPassword: secret(properties['ssl.key.password'] === undefined ? undefined : String(properties['ssl.key.password'])),
    };
    // Always as PEM text (a PKCS12 store too): librdkafka never opens a store file itself.
    const pem = readKeyStorePem(source);
    properties['ssl.certificate.pem'] = pem.cert;
    properties['ssl.key.pem'] = pem.key.reveal();
    // The key came out decrypted from a JKS or PKCS12 store; a PEM store's key may still need ssl.key.password.
    if (!/ENCRYPTED/.test(pem.key.reveal())) delete properties['ssl.key.password'];
  } else if (key['ssl.keystore.password'] !== undefined) {
    throw new ConfigError(keysOf('keystore').location, `is required when ${keysOf('keystore').password} is set`);
  }
}

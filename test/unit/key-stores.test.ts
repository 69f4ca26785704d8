/**
 * Java key and trust stores made with keytool and openssl from the test certificates: what comes out is the CA and
 * the client certificate that went in; a wrong password or a store without the needed entry names the key to fix.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { readKeyStore, readKeyStorePem, readTrustStore, type StoreSource, storeKeys } from '../../src/common/net/key-stores.js';
import { Secret } from '../../src/common/config/secret.js';
import { makeTestCerts, type TestCerts } from '../support/certs.js';
import { makeStores, STORE_PASSWORD } from '../support/key-stores.js';
import { configErrorOf as errorOf } from './fakes.js';


describe('key and trust stores', () => {
  let certs: TestCerts;
  let stores: ReturnType<typeof makeStores>;
  /** `password` null: none given. */
  const trust = (location: string, password: string | null = STORE_PASSWORD): StoreSource => ({
    keys: storeKeys('http.ssl', 'truststore'),
    location,
    password: password === null ? undefined : new Secret(password),
  });
  const key = (location: string, password: string | null = STORE_PASSWORD): StoreSource => ({
    keys: storeKeys('kafka.ssl', 'keystore'),
    location,
    password: password === null ? undefined : new Secret(password),
  });
  const fingerprint = (pem: string | Buffer): string => new X509Certificate(pem).fingerprint256;

  beforeAll(() => {
    certs = makeTestCerts();
    stores = makeStores(certs);
  });
  afterAll(() => certs?.remove());

  it.each(['trustJks', 'trustP12'] as const)('a %s trust store gives the CA that was put in', (which) => {
    const cas = readTrustStore(trust(stores[which]));
    expect(cas.map(fingerprint)).toEqual([fingerprint(certs.ca)]);
  });

  it.each(['trustJks', 'trustP12'] as const)('a wrong password for the %s trust store names the password key, and not the password', (which) => {
    const error = errorOf(() => readTrustStore(trust(stores[which], 'not-the-password')));
    expect(error.key).toBe('http.ssl.truststore.password');
    expect(error.message).toMatch(/^http\.ssl\.truststore\.password: does not open .* \(wrong password/);
    expect(error.message).not.toContain('not-the-password');
  });

  it('a PKCS12 key store goes to Node as pfx, and TLS loads it', () => {
    const material = readKeyStore(key(stores.keyP12));
    expect(material.kind).toBe('pfx');
    if (material.kind !== 'pfx') return;
    expect(() => createSecureContext({ pfx: material.pfx, passphrase: material.passphrase?.reveal() })).not.toThrow();
  });

  it.each(['keyJks', 'keyP12'] as const)('the %s key store gives the client certificate and its key as PEM', (which) => {
    const { cert, key: privateKey } = readKeyStorePem(key(stores[which]));
    expect(fingerprint(cert)).toBe(fingerprint(readFileSync(certs.clientCertFile)));
    expect(String(privateKey)).toBe('[redacted]');
    expect(() => createSecureContext({ cert, key: privateKey.reveal() })).not.toThrow();
  });

  it('a wrong key store password names kafka.ssl.keystore.password; none at all says it is required', () => {
    expect(errorOf(() => readKeyStore(key(stores.keyJks, 'wrong'))).key).toBe('kafka.ssl.keystore.password');
    expect(errorOf(() => readKeyStore(key(stores.keyP12, 'wrong'))).key).toBe('kafka.ssl.keystore.password');
    expect(errorOf(() => readKeyStore(key(stores.keyP12, null))).message).toMatch(/^kafka\.ssl\.keystore\.password: is required to open /);
  });

  it('a trust store given as a key store has no private key entry: the location key is named', () => {
    expect(errorOf(() => readKeyStore(key(stores.trustJks))).message).toMatch(/^kafka\.ssl\.keystore\.location: .* holds no private key/);
    expect(errorOf(() => readKeyStore(key(stores.trustP12))).key).toBe('kafka.ssl.keystore.location');
  });

  it('a missing file or a file that is no store names the location key', () => {
    expect(errorOf(() => readTrustStore(trust(join(certs.dir, 'absent.jks')))).message).toMatch(/^http\.ssl\.truststore\.location: cannot read .*absent\.jks \(ENOENT\)$/);
    expect(errorOf(() => readTrustStore(trust(join(certs.dir, 'ca.srl')))).message).toMatch(/is not a JKS, PKCS12 or PEM store$/);
  });

  it('a PEM file declared JKS is refused naming the type key', () => {
    const error = errorOf(() => readTrustStore({ ...trust(certs.caFile), type: 'JKS' }));
    expect(error.message).toMatch(/^http\.ssl\.truststore\.type: is JKS but .* is a PEM file$/);
  });
});

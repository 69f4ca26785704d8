/** Java trust and key stores made with keytool and openssl from the test certificates (test/support/certs.ts). */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import { makeTestCerts, type TestCerts } from './certs.js';

export const STORE_PASSWORD = 'store-pass-7c1e';

/** A JKS and a PKCS12 trust store with the test CA, and a PKCS12 and a JKS key store with the client certificate. */
export interface TestStores {
  readonly trustJks: string;
  readonly trustP12: string;
  readonly keyP12: string;
  readonly keyJks: string;
}

export function makeStores(certs: TestCerts): TestStores {
  const dir = certs.dir;
  const run = (command: string, args: string[]): void => {
    execFileSync(command, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  };
  for (const type of ['JKS', 'PKCS12']) {
    run('keytool', ['-importcert', '-noprompt', '-alias', 'ca', '-file', certs.caFile, '-keystore', join(dir, `trust.${type}`), '-storetype', type, '-storepass', STORE_PASSWORD]);
  }
  run('openssl', ['pkcs12', '-export', '-inkey', certs.clientKeyFile, '-in', certs.clientCertFile, '-certfile', certs.caFile, '-name', 'client', '-out', join(dir, 'key.p12'), '-passout', `pass:${STORE_PASSWORD}`]);
  run('keytool', ['-importkeystore', '-noprompt', '-srckeystore', join(dir, 'key.p12'), '-srcstoretype', 'PKCS12', '-srcstorepass', STORE_PASSWORD, '-destkeystore', join(dir, 'key.jks'), '-deststoretype', 'JKS', '-deststorepass', STORE_PASSWORD]);
  return { trustJks: join(dir, 'trust.JKS'), trustP12: join(dir, 'trust.PKCS12'), keyP12: join(dir, 'key.p12'), keyJks: join(dir, 'key.jks') };
}

/**
 * For a describe block: the test certificates and the stores made from them before its first test, removed after
 * its last. Read `certs` and `stores` inside the tests (they exist from then on).
 */
export function storesForSuite(): { readonly certs: TestCerts; readonly stores: TestStores } {
  let certs: TestCerts | undefined;
  let stores: TestStores | undefined;
  beforeAll(() => {
    certs = makeTestCerts();
    stores = makeStores(certs);
  });
  afterAll(() => certs?.remove());
  return {
    get certs() {
      return certs!;
    },
    get stores() {
      return stores!;
    },
  };
}

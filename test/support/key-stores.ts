/** Java trust and key stores made with keytool and openssl from the test certificates (test/support/certs.ts). */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestCerts } from './certs.js';

export const STORE_PASSWORD = 'store-pass-7c1e';

/** A JKS and a PKCS12 trust store with the test CA, and a PKCS12 and a JKS key store with the client certificate. */
export function makeStores(certs: TestCerts): { trustJks: string; trustP12: string; keyP12: string; keyJks: string } {
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

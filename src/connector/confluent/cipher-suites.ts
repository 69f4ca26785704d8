/**
 * `https.ssl.cipher.suites`: Java (IANA) cipher-suite names -> OpenSSL's, which Node's TLS takes. TLS 1.3 suites have
 * the same name in both; the TLS 1.2 suites are the ECDHE/DHE/RSA AES-GCM, AES-CBC-SHA2 and ChaCha20 ones. A name
 * with no OpenSSL counterpart here is refused by name rather than dropped from the list.
 */
import { getCiphers } from 'node:tls';
import { ConfigError } from '../../common/errors.js';

/** `TLS_<kx>_WITH_<cipher>` pieces -> OpenSSL's spelling. */
const KEY_EXCHANGE: Readonly<Record<string, string>> = { ECDHE_ECDSA: 'ECDHE-ECDSA-', ECDHE_RSA: 'ECDHE-RSA-', DHE_RSA: 'DHE-RSA-', RSA: '' };
const CIPHER: Readonly<Record<string, string>> = {
  AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  AES_128_CBC_SHA256: 'AES128-SHA256',
  AES_256_CBC_SHA384: 'AES256-SHA384',
  AES_256_CBC_SHA256: 'AES256-SHA256',
  CHACHA20_POLY1305_SHA256: 'CHACHA20-POLY1305',
};

/** The OpenSSL cipher list of a Java list (comma-separated); undefined when the list is empty (Node's defaults). */
export function openSslCiphers(javaList: string): string | undefined {
  const names = javaList.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) return undefined;
  const known = new Set(getCiphers());
  return names
    .map((name) => {
      const openSsl = /^TLS_(AES|CHACHA20)_/.test(name) ? name : toOpenSsl(name);
      if (openSsl === undefined || !known.has(openSsl.toLowerCase())) {
        throw new ConfigError('https.ssl.cipher.suites', `${name} has no OpenSSL counterpart this sink knows (TLS 1.3 suites and the ECDHE/DHE/RSA AES-GCM, AES-SHA2 and ChaCha20 suites do); remove it`);
      }
      return openSsl;
    })
    .join(':');
}

function toOpenSsl(name: string): string | undefined {
  const match = /^TLS_(ECDHE_ECDSA|ECDHE_RSA|DHE_RSA|RSA)_WITH_(\w+)$/.exec(name);
  if (!match) return undefined;
  const cipher = CIPHER[match[2]!];
  return cipher === undefined ? undefined : `${KEY_EXCHANGE[match[1]!]}${cipher}`;
}

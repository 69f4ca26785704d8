/**
 * A PKCS12 store read with node-forge into PEM text: its trusted certificates (certificate bags not tied to a key),
 * and its private keys each with the certificate(s) sharing its `localKeyId`. RSA and other key types (EC) alike.
 * Node's TLS cannot take a PKCS12 file as CA certificates, and librdkafka's `ssl.ca.pem` wants PEM, hence this.
 */
import type Forge from 'node-forge';
import { lazyRequire } from '../lazy-require.js';

const forge = lazyRequire<typeof Forge>('node-forge');

export interface StoreEntries {
  /** Trusted certificates, one PEM block each. */
  readonly cas: string[];
  /** Key entries: the certificate chain (leaf first) and the unencrypted private key, PEM. */
  readonly keys: { cert: string; key: string }[];
}

type Bag = Forge.pkcs12.Bag & { asn1?: Forge.asn1.Asn1 };

/** Throws node-forge's error for a wrong password ("PKCS#12 MAC could not be verified. Invalid password?") or bad data. */
export function readPkcs12(content: Buffer, password: string): StoreEntries {
  const pfx = forge().pkcs12.pkcs12FromAsn1(forge().asn1.fromDer(forge().util.createBuffer(content.toString('binary'))), password);
  const bags = pfx.safeContents.flatMap((contents) => contents.safeBags) as Bag[];
  const keyId = (bag: Bag): string | undefined => {
    const id = (bag.attributes as Record<string, unknown[] | undefined>).localKeyId?.[0];
    return typeof id === 'string' ? forge().util.bytesToHex(id) : undefined;
  };
  const certs = bags.filter((bag) => bag.type === forge().pki.oids.certBag);
  const keys = bags.filter((bag) => bag.type === forge().pki.oids.pkcs8ShroudedKeyBag || bag.type === forge().pki.oids.keyBag);
  return {
    cas: certs.filter((bag) => keyId(bag) === undefined).map(certificatePem),
    keys: keys.map((bag) => {
      const chain = certs.filter((c) => keyId(c) === keyId(bag));
      const others = certs.filter((c) => keyId(c) === undefined);
      return { cert: [...chain, ...others].map(certificatePem).join('\n'), key: privateKeyPem(bag) };
    }).filter((entry) => entry.cert !== ''),
  };
}

function certificatePem(bag: Bag): string {
  const pem = bag.cert ? forge().pki.certificateToPem(bag.cert) : encode('CERTIFICATE', bag.asn1!);
  return pem.replace(/\r\n/g, '\n').trim();
}

/** RSA keys come back parsed, others (EC) as their PKCS#8 structure: both written as PKCS#8 PEM. */
function privateKeyPem(bag: Bag): string {
  const info = bag.key ? forge().pki.wrapRsaPrivateKey(forge().pki.privateKeyToAsn1(bag.key as Forge.pki.rsa.PrivateKey)) : bag.asn1!;
  return encode('PRIVATE KEY', info).replace(/\r\n/g, '\n').trim();
}

function encode(type: string, asn1: Forge.asn1.Asn1): string {
  return forge().pem.encode({ type, body: forge().asn1.toDer(asn1).getBytes() });
}

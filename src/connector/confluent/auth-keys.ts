/** Confluent's HTTP Sink keys for authorization (basic, OAuth2) and TLS to the endpoint (Confluent's defaults). */
import { bool, oneOf, str } from '../../common/config/formats.js';
import type { ConfluentSpec } from './key-spec.js';

const JCA_ONLY = 'Names a Java (JCA) implementation, which Node\'s TLS (OpenSSL) does not have: accepted at its default, any other value is refused by name.';

export const confluentAuthKeys = {
  'auth.type': {
    doc: '`NONE`, `BASIC` (`connection.user` and `connection.password`) or `OAUTH2` (client credentials grant); any case.',
    format: str(),
    default: 'NONE',
  },
  'connection.user': { doc: 'For `BASIC`: the user name.', format: str(), default: '' },
  'connection.password': { doc: 'For `BASIC`: the password.', format: str(), default: '', sensitive: true },
  'oauth2.token.url': { doc: 'For `OAUTH2`: the token endpoint. Tokens are cached, refreshed before they expire and fetched again when the endpoint answers 401.', format: str(), default: '' },
  'oauth2.client.id': { doc: 'For `OAUTH2`: the client id.', format: str(), default: '' },
  'oauth2.client.secret': { doc: 'For `OAUTH2`: the client secret.', format: str(), default: '', sensitive: true },
  'oauth2.client.auth.mode': {
    doc: '`header`: the client authenticates with `Authorization: Basic base64(id:secret)`; `url`: id and secret are form fields of the token request.',
    format: oneOf(['header', 'url']),
    default: 'header',
  },
  'oauth2.client.scope': { doc: 'Sent as the `scope` form field of the token request.', format: str(), default: 'any' },
  'oauth2.token.property': { doc: 'Field of the JSON token response holding the token.', format: str(), default: 'access_token' },
  'oauth2.client.headers': {
    doc: 'Extra headers of every token request, `Name:value` pairs separated by `oauth2.client.header.separator` (a `Content-Type` is replaced by the form\'s own).',
    format: str(),
    default: '',
    sensitive: true,
  },
  'oauth2.client.header.separator': { doc: 'Separator of the pairs in `oauth2.client.headers`.', format: str(), default: '|' },
  'oauth2.jwt.enabled': {
    doc: '`false`: the client authenticates with its secret. `true` is refused by name.',
    format: bool(),
    default: false,
    differs: 'Client authentication with a signed JWT assertion (RFC 7523) is not implemented: a file that enables it is refused at start rather than sent without its assertion.',
  },
  'oauth2.jwt.claimset': { doc: 'Used only with `oauth2.jwt.enabled=true` (refused); accepted and unused otherwise, as Confluent does.', format: str(), default: '' },
  'oauth2.jwt.signature.algorithm': { doc: 'Used only with `oauth2.jwt.enabled=true` (refused); accepted and unused otherwise.', format: str(), default: 'RS256' },
  'oauth2.jwt.keystore.path': { doc: 'Used only with `oauth2.jwt.enabled=true` (refused); accepted and unused otherwise.', format: str(), default: '' },
  'oauth2.jwt.keystore.type': { doc: 'Used only with `oauth2.jwt.enabled=true` (refused); accepted and unused otherwise.', format: str(), default: 'JKS' },
  'oauth2.jwt.keystore.password': { doc: 'Used only with `oauth2.jwt.enabled=true` (refused); accepted and unused otherwise.', format: str(), default: '', sensitive: true },
} satisfies ConfluentSpec;

export const confluentTlsKeys = {
  'ssl.enabled': {
    doc: 'Whether the `https.ssl.*` keys apply. `false`: an `https` endpoint is checked against the default CAs and the `https.ssl.*` keys are not read (as Confluent).',
    format: bool(),
    default: false,
  },
  'https.ssl.truststore.location': { doc: 'Trust store (JKS, PKCS12 or PEM) with the CAs the endpoint\'s certificate is checked against, instead of the default CAs.', format: str(), default: null },
  'https.ssl.truststore.password': { doc: 'Password of the trust store.', format: str(), default: null, sensitive: true },
  'https.ssl.truststore.type': { doc: '`JKS`, `PKCS12` or `PEM`; JKS and PKCS12 are told apart by the file\'s content, as Java does.', format: str(), default: 'JKS' },
  'https.ssl.keystore.location': { doc: 'Key store (JKS, PKCS12 or PEM) with the client certificate and key, for mutual TLS.', format: str(), default: null },
  'https.ssl.keystore.password': { doc: 'Password of the key store.', format: str(), default: null, sensitive: true },
  'https.ssl.keystore.type': { doc: '`JKS`, `PKCS12` or `PEM`.', format: str(), default: 'JKS' },
  'https.ssl.key.password': { doc: 'Password of the private key in the key store, when it differs from the store\'s.', format: str(), default: null, sensitive: true },
  'https.ssl.protocol': {
    doc: 'The newest TLS version offered (`TLSv1.2` or `TLSv1.3`).',
    format: oneOf(['TLSv1.2', 'TLSv1.3', 'TLS']),
    default: 'TLSv1.3',
  },
  'https.ssl.enabled.protocols': {
    doc: 'The TLS versions allowed, comma-separated (`TLSv1.2`, `TLSv1.3`): the oldest and newest listed bound the handshake.',
    format: str(),
    default: 'TLSv1.2,TLSv1.3',
    differs: 'A list with a gap cannot be expressed (Node takes a lowest and a highest version); TLSv1 and TLSv1.1 are refused (OpenSSL 3 disables them).',
  },
  'https.ssl.cipher.suites': {
    doc: 'The cipher suites allowed, Java (IANA) names, comma-separated; empty: the defaults of Node\'s TLS. Each name is translated to OpenSSL\'s.',
    format: str(),
    default: '',
    differs: 'Only TLS 1.3 suites and the ECDHE/DHE/RSA AES-GCM, AES-SHA2 and ChaCha20 suites have a translation; another name is refused by name rather than silently dropped.',
  },
  'https.ssl.endpoint.identification.algorithm': {
    doc: '`https`: the endpoint\'s host name must match its certificate. Empty: only the certificate chain is checked.',
    format: str(),
    default: 'https',
  },
  'https.host.verifier.enabled': { doc: '`false`: the host name is not checked against the certificate (the chain still is).', format: bool(), default: true },
  'https.ssl.provider': { doc: JCA_ONLY, format: str(), default: '' },
  'https.ssl.keymanager.algorithm': { doc: JCA_ONLY, format: str(), default: 'SunX509' },
  'https.ssl.trustmanager.algorithm': { doc: JCA_ONLY, format: str(), default: 'PKIX' },
  'https.ssl.secure.random.implementation': { doc: JCA_ONLY, format: str(), default: '' },
} satisfies ConfluentSpec;

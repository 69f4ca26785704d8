/**
 * Which network error codes mean "the peer's certificate was not verified" (Node's TLS codes): a configuration
 * problem to name, not a flaky network to retry. Shared by every HTTP client (endpoint, token endpoint, registry).
 */

const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME/;

/** @example isCertificateError('UNABLE_TO_VERIFY_LEAF_SIGNATURE') // true; isCertificateError('ECONNREFUSED') // false */
export function isCertificateError(code: string | undefined): boolean {
  return code !== undefined && CERTIFICATE_CODES.test(code);
}

/** The peer's TLS alert that it wanted a (different) client certificate: mutual TLS is not set up as it expects. */
const CLIENT_CERTIFICATE_ALERTS = /ALERT_CERTIFICATE_REQUIRED|ALERT_BAD_CERTIFICATE|ALERT_UNKNOWN_CA|ALERT_CERTIFICATE_UNKNOWN|ALERT_UNSUPPORTED_CERTIFICATE/;

/** @example isClientCertificateRefused('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') // true */
export function isClientCertificateRefused(code: string | undefined): boolean {
  return code !== undefined && CLIENT_CERTIFICATE_ALERTS.test(code);
}

/**
 * Node's TLS error text without the hint Node 24 appends to it ("; if the root CA is installed locally, try running
 * Node.js with --use-system-ca"): our own hint names the connector key that fixes it.
 * @example withoutNodeCaHint('unable to verify the first certificate; if the root CA is installed locally, ...') // 'unable to verify the first certificate'
 */
export function withoutNodeCaHint(message: string): string {
  const at = message.indexOf('; if the root CA is installed locally');
  return at < 0 ? message : message.slice(0, at);
}

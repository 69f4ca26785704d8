/**
 * The settings our keys gave a translated Confluent file, completed with what only Confluent's keys say (see
 * translate.ts): body rendering and batch key, the regex rewrite, the error behaviour, token-request headers, TLS
 * versions, host check and client key store, the report format and producer.
 */
import { redactedWhenPrinted, Secret } from '../../common/config/secret.js';
import { readKeyStorePem, storeKeys } from '../../common/net/key-stores.js';
import { overrideProperties } from '../../source/client-overrides.js';
import type { ConnectorSettings } from '../connector-config.js';
import type { ConfluentExtras } from './extras.js';

export function applyConfluent(settings: ConnectorSettings, extras: ConfluentExtras, redacted: Record<string, unknown>): ConnectorSettings {
  const { post, http, request, reporter } = settings;
  const authorization = post.authorization.type === 'oauth2' ? { ...post.authorization, oauth2: { ...post.authorization.oauth2, headers: extras.tokenHeaders } } : post.authorization;
  const drop = extras.onError !== 'fail';
  return {
    ...settings,
    request: {
      ...request,
      jsonValues: extras.jsonBody,
      rewrite: extras.rewrite,
      groupBy: extras.batchKeyPattern,
      groupByHeaders: true,
    },
    post: { ...post, authorization, policy: drop ? { ...post.policy, otherwise: 'drop', onError: 'drop' } : post.policy },
    http: extras.tls === undefined ? http : { ...http, transport: { ...http.transport, tls: { ...http.transport.tls, ...tlsOf(extras.tls) } } },
    reporter: { ...reporter, confluent: extras.report, producer: reporterProducer(settings, extras) },
    notices: [...(settings.notices ?? []), ...extras.notices],
    warnings: [...settings.warnings, ...extras.warnings],
    redacted,
  };
}

function tlsOf(tls: NonNullable<ConfluentExtras['tls']>): Partial<ConnectorSettings['http']['transport']['tls']> {
  const versions = { minVersion: tls.minVersion, maxVersion: tls.maxVersion, checkHost: tls.checkHost };
  const store = tls.keyStore;
  if (store === undefined) return versions;
  const secret = (text: string | undefined): Secret | undefined => (text === undefined ? undefined : new Secret(text));
  const client = readKeyStorePem({
    keys: storeKeys('https.ssl', 'keystore'),
    location: store.location,
    password: secret(store.password),
    type: store.type,
    keyPassword: secret(store.keyPassword),
  });
  return { ...versions, cert: Buffer.from(client.cert), key: client.key };
}

/** The reports' producer when it differs from the connector's own (another cluster, or `reporter.producer.*`). */
function reporterProducer(settings: ConnectorSettings, extras: ConfluentExtras): Record<string, string | number | boolean> | undefined {
  if (extras.reporterBootstrap === undefined && Object.keys(extras.reporterProducer).length === 0) return undefined;
  const properties: Record<string, string | number | boolean> = { ...settings.source.producer };
  if (extras.reporterBootstrap !== undefined) properties['bootstrap.servers'] = extras.reporterBootstrap;
  for (const [name, value] of Object.entries(extras.reporterProducer)) {
    for (const mapped of overrideProperties('producer', `producer.override.${name}`, value)) properties[mapped.property] = mapped.value;
  }
  return redactedWhenPrinted(properties);
}

/**
 * The settings our keys gave a translated Confluent file, completed with what only Confluent's keys say (see
 * translate.ts): body rendering and batch key, the regex rewrite, the error behaviour, token-request headers, TLS
 * versions, host check and client key store, the report format and producer.
 */
import { Secret } from '../../common/config/secret.js';
import { readKeyStorePem, storeKeys } from '../../common/net/key-stores.js';
import type { DerivedClient } from '../../source/kafka-config.js';
import type { ConnectorSettings } from '../connector-settings.js';
import type { ConfluentExtras } from './extras.js';
import type { ReportTopic } from '../../outcomes/report-topics.js';

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
    reporter: {
      ...reporter,
      confluent: extras.report,
      producer: settings.source.derived?.[REPORTER_PRODUCER],
      admin: settings.source.derived?.[REPORTER_ADMIN] ?? settings.source.producer,
      topics: reportTopics(reporter, extras),
    },
    notices: [...(settings.notices ?? []), ...extras.notices],
    warnings: [...settings.warnings, ...extras.warnings],
    redacted,
  };
}

function tlsOf(tls: NonNullable<ConfluentExtras['tls']>): Partial<ConnectorSettings['http']['transport']['tls']> {
  const versions = { minVersion: tls.minVersion, maxVersion: tls.maxVersion, checkHost: tls.checkHost, ciphers: tls.ciphers };
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

/** The reporting topics to create when missing, with Confluent's shape keys. */
function reportTopics(reporter: ConnectorSettings['reporter'], extras: ConfluentExtras): ReportTopic[] {
  const topics: ReportTopic[] = [];
  for (const kind of ['result', 'error'] as const) {
    const name = kind === 'result' ? reporter.resultTopic : reporter.errorTopic;
    if (name !== undefined) topics.push({ name, key: `reporter.${kind}.topic.name`, ...extras.reportTopics[kind] });
  }
  return topics;
}

const REPORTER_PRODUCER = 'reporterProducer';
const REPORTER_ADMIN = 'reporterAdmin';

/**
 * The reports' own clients where they differ from the connector's producer (another cluster, or `reporter.producer.*`
 * / `reporter.admin.*` given as Java names): built by the source's client builder with the connector's other clients
 * (kafkaSourceOptions), so their keys are mapped and gated like every client key of the connector.
 */
export function reporterClients(extras: ConfluentExtras): Record<string, DerivedClient> {
  const derived: Record<string, DerivedClient> = {};
  const wanted = [
    [REPORTER_PRODUCER, 'reporter.producer.', extras.reporterProducer],
    [REPORTER_ADMIN, 'reporter.admin.', extras.reporterAdmin],
  ] as const;
  for (const [name, prefix, overrides] of wanted) {
    if (extras.reporterBootstrap === undefined && Object.keys(overrides).length === 0) continue;
    const java = Object.entries(overrides).map(([property, value]) => ({ key: `${prefix}${property}`, name: property, value }));
    derived[name] = extras.reporterBootstrap === undefined ? { java } : { bootstrap: extras.reporterBootstrap, java };
  }
  return derived;
}

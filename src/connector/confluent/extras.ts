/**
 * What a Confluent file asks for that our own keys cannot say, read once at start: body rendering, the batch key,
 * the regex rewrite, the error behaviour, the token request's headers, TLS details and the report format.
 */
import { ConfigError } from '../../common/errors.js';
import { regexRewrite } from '../../request/regex-rewrite.js';
import type { ConfluentReportFormat, TextFormat } from '../../outcomes/confluent-reports.js';
import { confluentHeaders } from './values.js';
import { openSslCiphers } from './cipher-suites.js';

export interface ConfluentTlsExtras {
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3';
  readonly maxVersion: 'TLSv1.2' | 'TLSv1.3';
  /** false: the host name is not checked against the certificate (the chain still is). */
  readonly checkHost: boolean;
  /** OpenSSL cipher list; undefined: Node's defaults. */
  readonly ciphers?: string;
  readonly keyStore?: { readonly location: string; readonly password?: string; readonly type?: string; readonly keyPassword?: string };
}

export interface TopicShape {
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface ConfluentExtras {
  /** `request.body.format=json`: each record's value rendered as JSON. */
  readonly jsonBody: boolean;
  readonly batchKeyPattern: string;
  readonly rewrite: ((text: string) => string) | undefined;
  readonly onError: 'fail' | 'log' | 'ignore';
  readonly tokenHeaders: Readonly<Record<string, string>>;
  /** Undefined when `ssl.enabled` is false. */
  readonly tls: ConfluentTlsExtras | undefined;
  readonly report: ConfluentReportFormat;
  /** `reporter.bootstrap.servers`, and the `reporter.producer.*` keys (Java names, mapped at build time). */
  readonly reporterBootstrap: string | undefined;
  readonly reporterProducer: Readonly<Record<string, string>>;
  /** `reporter.admin.*` (Java names), for the client that creates the topics. */
  readonly reporterAdmin: Readonly<Record<string, string>>;
  /** Partitions and replication factor the reporting topics are created with when missing. */
  readonly reportTopics: { readonly result: TopicShape; readonly error: TopicShape };
  /** Info lines for the start (licence keys), and warnings. */
  readonly notices: readonly string[];
  readonly warnings: readonly string[];
}

const JCA_DEFAULTS: Readonly<Record<string, string>> = {
  'https.ssl.provider': '',
  'https.ssl.keymanager.algorithm': 'SunX509',
  'https.ssl.trustmanager.algorithm': 'PKIX',
  'https.ssl.secure.random.implementation': '',
};

/** `present`: the Confluent keys the file sets; `families`: its keys under a prefix (`reporter.producer.*`), resolved. */
export function confluentExtras(get: (key: string) => unknown, present: ReadonlySet<string>, families: Readonly<Record<string, string>>): ConfluentExtras {
  const value = (key: string): string => String(get(key) ?? '');
  let rewrite: ConfluentExtras['rewrite'];
  try {
    rewrite = regexRewrite(value('regex.patterns'), value('regex.replacements'), value('regex.separator'));
  } catch (error) {
    throw new ConfigError((error as { key?: string }).key ?? 'regex.patterns', (error as Error).message);
  }
  const notices: string[] = [];
  const licence = ['confluent.license', 'confluent.topic', 'confluent.topic.bootstrap.servers', 'confluent.topic.replication.factor'];
  if (licence.some((key) => present.has(key)) || Object.keys(families).some((key) => key.startsWith('confluent.topic.'))) {
    notices.push('confluent.license and confluent.topic.* are accepted and not used: this sink needs no licence');
  }
  const unused = Object.keys(families).filter((key) => /^reporter\.(result|error)\.topic\./.test(key));
  if (unused.length > 0) notices.push(`not used (only the partitions and replication factor of a reporting topic are set at its creation): ${unused.join(', ')}`);
  const warnings: string[] = [];
  const sslKeys = Object.keys(JCA_DEFAULTS);
  for (const key of sslKeys) if (value(key) !== JCA_DEFAULTS[key]) throw new ConfigError(key, `names a Java (JCA) implementation, which Node's TLS does not have; remove it (default ${JSON.stringify(JCA_DEFAULTS[key])})`);
  const tls = get('ssl.enabled') === true ? tlsExtras(get) : undefined;
  if (tls === undefined && (get('https.ssl.truststore.location') != null || get('https.ssl.keystore.location') != null)) {
    warnings.push('https.ssl.* key or trust store is set but ssl.enabled is false: it is not used (as Confluent); set ssl.enabled=true to use it');
  }
  const under = (prefix: string): Record<string, string> => Object.fromEntries(Object.entries(families).filter(([key]) => key.startsWith(prefix)).map(([key, v]) => [key.slice(prefix.length), v]));
  const shape = (kind: 'result' | 'error'): TopicShape => ({ partitions: Number(get(`reporter.${kind}.topic.partitions`)), replicationFactor: Number(get(`reporter.${kind}.topic.replication.factor`)) });
  return {
    jsonBody: value('request.body.format') === 'json',
    batchKeyPattern: value('batch.key.pattern'),
    rewrite,
    onError: value('behavior.on.error') as ConfluentExtras['onError'],
    tokenHeaders: confluentHeaders('oauth2.client.headers', value('oauth2.client.headers'), value('oauth2.client.header.separator')),
    tls,
    report: {
      errorsAs: value('report.errors.as') as ConfluentReportFormat['errorsAs'],
      result: { key: textFormat(get, 'reporter.result.topic.key'), value: textFormat(get, 'reporter.result.topic.value') },
      error: { key: textFormat(get, 'reporter.error.topic.key'), value: textFormat(get, 'reporter.error.topic.value') },
    },
    reporterBootstrap: (get('reporter.bootstrap.servers') as string | null) ?? undefined,
    reporterProducer: under('reporter.producer.'),
    reporterAdmin: under('reporter.admin.'),
    reportTopics: { result: shape('result'), error: shape('error') },
    notices,
    warnings,
  };
}

function textFormat(get: (key: string) => unknown, prefix: string): TextFormat {
  return { json: get(`${prefix}.format`) === 'json', schemas: get(`${prefix}.format.schemas.enable`) === true };
}

const VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;

function tlsExtras(get: (key: string) => unknown): ConfluentTlsExtras {
  const listed = String(get('https.ssl.enabled.protocols')).split(',').map((p) => p.trim()).filter(Boolean);
  for (const protocol of listed) {
    if (!(VERSIONS as readonly string[]).includes(protocol)) throw new ConfigError('https.ssl.enabled.protocols', `${protocol} is not supported: list TLSv1.2 and/or TLSv1.3`);
  }
  if (listed.length === 0) throw new ConfigError('https.ssl.enabled.protocols', 'must list TLSv1.2 and/or TLSv1.3');
  const protocol = String(get('https.ssl.protocol'));
  const newest = protocol === 'TLSv1.2' ? 'TLSv1.2' : 'TLSv1.3';
  const minVersion = listed.includes('TLSv1.2') ? 'TLSv1.2' : 'TLSv1.3';
  const maxVersion = listed.includes('TLSv1.3') && newest === 'TLSv1.3' ? 'TLSv1.3' : 'TLSv1.2';
  if (minVersion === 'TLSv1.3' && maxVersion === 'TLSv1.2') throw new ConfigError('https.ssl.protocol', `${protocol} is older than every protocol of https.ssl.enabled.protocols`);
  const location = get('https.ssl.keystore.location') as string | null;
  const optional = (key: string): string | undefined => (get(key) as string | null) ?? undefined;
  return {
    minVersion,
    maxVersion,
    checkHost: String(get('https.ssl.endpoint.identification.algorithm')).trim() !== '' && get('https.host.verifier.enabled') !== false,
    ciphers: openSslCiphers(String(get('https.ssl.cipher.suites'))),
    keyStore: location ? { location, password: optional('https.ssl.keystore.password'), type: optional('https.ssl.keystore.type'), keyPassword: optional('https.ssl.key.password') } : undefined,
  };
}

/**
 * A Confluent HTTP Sink connector file -> the same connector in this sink's own keys, plus what those keys cannot say
 * (body rendering, batch key, regex rewrite, error behaviour, TLS details, report format), applied by `applyConfluent`.
 * Confluent's keys are checked against Confluent's spec with Confluent's defaults; Kafka Connect's common keys
 * (`topics`, converters, `transforms.*`, `errors.*`, overrides) and this sink's extensions pass through unchanged.
 */
import { validatedWith } from '../../common/config/convict-validate.js';
import { type ProviderPolicy, resolveReferences } from '../../common/config/providers.js';
import { redactConfig } from '../../common/config/secret.js';
import { ConfigError } from '../../common/errors.js';
import { CONFLUENT_SPEC, isConfluentKey, isConfluentSecret } from './confluent-spec.js';
import { type ConfluentExtras, confluentExtras } from './extras.js';
import { CONFLUENT_HTTP_SINK_CLASS } from './key-spec.js';
import { confluentHeaders, confluentStatusCodes, oneOfIgnoringCase } from './values.js';
import { suggestKey } from '../key-suggestion.js';

/** Whether a connector file names Confluent's class. */
export function isConfluentConfig(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>)['connector.class'] === CONFLUENT_HTTP_SINK_CLASS;
}

/** Our keys that the translation writes: under Confluent's class the Confluent key sets them, so giving them is refused. */
const WRITTEN: Readonly<Record<string, string>> = {
  'http.url': 'http.api.url',
  'http.method': 'request.method',
  'http.headers.additional': 'headers',
  'http.headers.content.type': 'headers',
  'http.authorization.type': 'auth.type',
  'http.headers.authorization': 'sensitive.headers',
  'http.basic.auth.username': 'connection.user',
  'http.basic.auth.password': 'connection.password',
  'oauth2.access.token.url': 'oauth2.token.url',
  'oauth2.client.authorization.mode': 'oauth2.client.auth.mode',
  'oauth2.response.token.property': 'oauth2.token.property',
  'batching.enabled': 'batch.max.size',
  'batch.format': 'request.body.format',
  'http.timeout': 'http.request.timeout.ms',
  'behavior.on.status.error': 'behavior.on.error',
  'http.ssl.truststore.location': 'https.ssl.truststore.location',
  'http.ssl.truststore.password': 'https.ssl.truststore.password',
  'http.ssl.truststore.type': 'https.ssl.truststore.type',
  'http.ssl.ca.location': 'https.ssl.truststore.location',
  'http.ssl.certificate.location': 'https.ssl.keystore.location',
  'http.ssl.key.location': 'https.ssl.keystore.location',
  'http.ssl.key.password': 'https.ssl.key.password',
  'http.ssl.trust.all.certs': 'https.ssl.endpoint.identification.algorithm',
};

export interface ConfluentTranslation {
  /** The connector in this sink's keys (values not yet resolved where copied as they are). */
  readonly internal: Record<string, unknown>;
  /** Our key -> the Confluent key it came from: a problem found in ours names the user's key. */
  readonly origin: ReadonlyMap<string, string>;
  readonly extras: ConfluentExtras;
  /** The file as given, secrets redacted. */
  readonly redacted: Record<string, unknown>;
}

export function translateConfluent(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, providers: ProviderPolicy | undefined, isSensitive: (key: string) => boolean): ConfluentTranslation {
  const redacted = redactConfig(raw, (key) => isConfluentSecret(key) || isSensitive(key));
  const given: Record<string, unknown> = {};
  const families: Record<string, string> = {};
  const internal: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key in WRITTEN) throw new ConfigError(key, `is a key of Aiven's connector; under ${CONFLUENT_HTTP_SINK_CLASS} set ${WRITTEN[key]} instead`);
    if (!isConfluentKey(key)) {
      internal[key] = value;
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new ConfigError(key, 'must be a string, number or boolean');
    const resolved = typeof value === 'string' ? resolveReferences(key, value, env, providers) : value;
    if (key in CONFLUENT_SPEC) given[key] = resolved;
    else families[key] = String(resolved);
  }
  if (given['http.api.url'] === undefined || given['http.api.url'] === '') throw new ConfigError('http.api.url', 'is required: the endpoint the records are sent to');
  const get = validatedWith(CONFLUENT_SPEC, given, redacted);
  const value = (key: string): string => String(get(key) ?? '');
  const origin = new Map<string, string>();
  const set = (ours: string, confluentKey: string, v: unknown): void => {
    internal[ours] = v;
    origin.set(ours, confluentKey);
  };
  const copy = (ours: string, confluentKey: string): void => set(ours, confluentKey, raw[confluentKey] ?? get(confluentKey));

  set('http.url', 'http.api.url', raw['http.api.url']);
  set('http.method', 'request.method', oneOfIgnoringCase('request.method', value('request.method'), ['POST', 'PUT', 'PATCH']));
  const headers = { ...confluentHeaders('headers', value('headers'), value('header.separator')), ...confluentHeaders('sensitive.headers', value('sensitive.headers'), value('header.separator')) };
  // A Content-Type of `headers` is the request's content type: a JSON array body must not replace it with its own.
  const contentType = Object.keys(headers).find((name) => name.toLowerCase() === 'content-type');
  if (contentType !== undefined) {
    set('http.headers.content.type', 'headers', headers[contentType]);
    delete headers[contentType];
  }
  if (Object.keys(headers).length > 0) set('http.headers.additional', 'headers', JSON.stringify(headers));

  const auth = oneOfIgnoringCase('auth.type', value('auth.type'), ['NONE', 'BASIC', 'OAUTH2'], ': no other authentication is implemented (a fixed header goes in sensitive.headers)');
  set('http.authorization.type', 'auth.type', auth.toLowerCase());
  if (auth === 'BASIC') {
    copy('http.basic.auth.username', 'connection.user');
    copy('http.basic.auth.password', 'connection.password');
  }
  if (auth === 'OAUTH2') {
    if (get('oauth2.jwt.enabled') === true) {
      throw new ConfigError('oauth2.jwt.enabled', 'true is not supported: client authentication with a signed JWT assertion is not implemented; authenticate with oauth2.client.secret');
    }
    for (const key of ['oauth2.token.url', 'oauth2.client.id', 'oauth2.client.secret']) {
      if (value(key) === '') throw new ConfigError(key, 'is required when auth.type is OAUTH2');
    }
    copy('oauth2.access.token.url', 'oauth2.token.url');
    copy('oauth2.client.id', 'oauth2.client.id');
    copy('oauth2.client.secret', 'oauth2.client.secret');
    set('oauth2.client.authorization.mode', 'oauth2.client.auth.mode', value('oauth2.client.auth.mode').toUpperCase());
    set('oauth2.client.scope', 'oauth2.client.scope', value('oauth2.client.scope'));
    set('oauth2.response.token.property', 'oauth2.token.property', value('oauth2.token.property'));
  }

  const json = value('request.body.format') === 'json';
  const asArray = json && get('batch.json.as.array') === true;
  if (json && !asArray && Number(get('batch.max.size')) > 1) {
    throw new ConfigError('batch.json.as.array', 'must be true when request.body.format is json and batch.max.size is above 1 (as Confluent requires)');
  }
  set('batching.enabled', 'batch.max.size', true);
  set('batch.max.size', 'batch.max.size', get('batch.max.size'));
  set('batch.format', 'request.body.format', asArray ? 'json_array' : 'custom');
  for (const key of ['batch.prefix', 'batch.suffix', 'batch.separator']) set(key, key, get(key));
  internal['batch.linger.ms'] ??= 0; // Confluent's batches are what one poll hands over; our extension key may lengthen it

  set('max.retries', 'max.retries', get('max.retries'));
  set('retry.backoff.ms', 'retry.backoff.ms', get('retry.backoff.ms'));
  set('retry.backoff.policy', 'retry.backoff.policy', get('retry.backoff.policy') === 'CONSTANT_VALUE' ? 'fixed' : 'exponential_with_jitter');
  set('retry.on.status.codes', 'retry.on.status.codes', confluentStatusCodes(value('retry.on.status.codes')));
  set('http.timeout', 'http.request.timeout.ms', Math.max(1, Math.ceil(Number(get('http.request.timeout.ms')) / 1000)));
  const onError = value('behavior.on.error');
  // A refused tombstone is an error like any other: with behavior.on.error log or ignore the connector goes on.
  const onNull = value('behavior.on.null.values') === 'fail' && onError !== 'fail' ? (onError === 'log' ? 'log' : 'ignore') : value('behavior.on.null.values');
  set('behavior.on.null.values', 'behavior.on.null.values', onNull);
  if (onError !== 'fail') set('behavior.on.status.error', 'behavior.on.error', 'drop');

  if (value('http.proxy.host') !== '') {
    copy('http.proxy.host', 'http.proxy.host');
    copy('http.proxy.port', 'http.proxy.port');
    if (value('http.proxy.user') !== '') copy('http.proxy.user', 'http.proxy.user');
    if (value('http.proxy.password') !== '') copy('http.proxy.password', 'http.proxy.password');
  } else if (value('http.proxy.user') !== '' || value('http.proxy.password') !== '') {
    throw new ConfigError('http.proxy.host', 'is required when http.proxy.user or http.proxy.password is set');
  }
  if (get('ssl.enabled') === true && value('https.ssl.truststore.location') !== '') {
    copy('http.ssl.truststore.location', 'https.ssl.truststore.location');
    if (value('https.ssl.truststore.password') !== '') copy('http.ssl.truststore.password', 'https.ssl.truststore.password');
    if (raw['https.ssl.truststore.type'] !== undefined) set('http.ssl.truststore.type', 'https.ssl.truststore.type', value('https.ssl.truststore.type').toUpperCase());
  }

  const name = typeof raw.name === 'string' ? raw.name : '';
  for (const kind of ['result', 'error'] as const) {
    const key = `reporter.${kind}.topic.name`;
    const topic = value(key).replaceAll('${connector}', name).trim();
    if (topic !== '') set(key, key, topic);
  }
  internal['reporter.response.body.max.bytes'] ??= 1_048_576; // Confluent reports the whole response body
  return { internal, origin, extras: confluentExtras(get, new Set(Object.keys(given)), families), redacted };
}

/**
 * A problem found in our keys, named by the Confluent key the user wrote; an unknown key gets its suggestion from
 * Confluent's keys and our extensions (`ownKeys`), never from an Aiven key the class refuses.
 */
export function inConfluentTerms(error: unknown, origin: ReadonlyMap<string, string>, ownKeys: readonly string[]): unknown {
  if (!(error instanceof ConfigError) || error.key === undefined) return error;
  if (!origin.has(error.key)) {
    if (!error.message.startsWith(`${error.key}: unknown key`)) return error;
    const known = [...Object.keys(CONFLUENT_SPEC), ...ownKeys.filter((key) => !(key in WRITTEN))];
    return new ConfigError(error.key, `unknown key${suggestKey(error.key, known)}; see docs/migrating-from-confluent.md for Confluent's keys`);
  }
  const ours = error.key;
  const message = error.message.startsWith(`${ours}: `) ? error.message.slice(ours.length + 2) : error.message;
  return new ConfigError(origin.get(ours), message.replaceAll(ours, origin.get(ours)!));
}

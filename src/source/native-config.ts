/**
 * The one gate for what reaches librdkafka. node-rdkafka (src/config.cc) turns each key and value of a client's config
 * object into a C string: `Nan::Utf8String` (ToString, then UTF-8 with lone surrogates replaced by U+FFFD), copied into
 * a `std::string` from a `char*`, so the first NUL ends it; `RdKafka::Conf::set` hands `.c_str()` to
 * `rd_kafka_conf_set`, which matches names exactly (strcmp), follows its aliases, and tries a name starting `topic.`
 * once more without that prefix as a topic property. So "ssl.providers\u0000" IS ssl.providers to librdkafka.
 * Here a key or value holding a NUL or another control character is refused, and the allow/deny decision is made
 * on the name librdkafka ends up with.
 *
 * @example
 *   nativeNames('ssl.providers\u0000') // ['ssl.providers']
 *   checkNativeEntry('ssl.providers\u0000', '/tmp/x.so') // throws ConfigError "ssl.providers\u0000: the name holds a control character ..."
 */
import { allowedFilePath, type ProviderPolicy, TRUSTED_PROVIDERS } from '../common/config/providers.js';
import { ConfigError } from '../common/errors.js';

export type NativeValue = string | number | boolean;

/** The C string librdkafka receives for a key or value given to node-rdkafka. */
export function nativeString(value: NativeValue): string {
  // Node's UTF-8 encoder replaces lone surrogates with U+FFFD, as V8's WriteUtf8 does for Nan::Utf8String.
  const text = Buffer.from(String(value), 'utf8').toString('utf8');
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}

/** C0 controls (NUL included), DEL and C1 controls: never part of a librdkafka name or value. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Properties whose values are PEM text: line breaks and tabs are part of them (never a NUL or another control). */
const PEM_VALUE = /(\.pem|^ssl\.truststore\.certificates|^ssl\.keystore\.certificate\.chain|^ssl\.keystore\.key)$/;

/** Why `text` may not reach librdkafka, or undefined. */
function controlProblem(what: 'name' | 'value', text: string): string | undefined {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(text)) return undefined;
  return `the ${what} holds a control character (${text.includes('\0') ? 'a NUL would end it where librdkafka reads it' : 'librdkafka takes none'}); remove it`;
}

/** librdkafka's aliases (rdkafka_conf.c, `_RK_C_ALIAS`): the property each name really sets. */
const ALIASES: Readonly<Record<string, string>> = {
  'bootstrap.servers': 'metadata.broker.list',
  'max.in.flight': 'max.in.flight.requests.per.connection',
  'sasl.mechanism': 'sasl.mechanisms',
  'sasl.oauthbearer.client.credentials.client.id': 'sasl.oauthbearer.client.id',
  'sasl.oauthbearer.client.credentials.client.secret': 'sasl.oauthbearer.client.secret',
  'max.partition.fetch.bytes': 'fetch.message.max.bytes',
  'linger.ms': 'queue.buffering.max.ms',
  retries: 'message.send.max.retries',
  'compression.type': 'compression.codec',
  acks: 'request.required.acks',
  'delivery.timeout.ms': 'message.timeout.ms',
  'enable.auto.commit': 'auto.commit.enable',
};

/**
 * Every property name librdkafka may read `name` as: the C string, its alias target, and without a `topic.` prefix
 * (librdkafka matches exactly; the trimmed, lower-case spelling is added so a near miss is judged the same way).
 */
export function nativeNames(name: string): string[] {
  const c = nativeString(name);
  const spellings = [c, c.trim().toLowerCase()];
  const names = spellings.flatMap((n) => (n.startsWith('topic.') ? [n, n.slice('topic.'.length)] : [n]));
  return [...new Set(names.flatMap((n) => [n, ALIASES[n] ?? n]))];
}

/**
 * librdkafka properties that load code (plugins, OpenSSL engines and providers), run commands or read credential
 * caches (Kerberos), call out on their own (OAuth/OIDC token endpoints, Azure IMDS), write files (the file offset
 * store), log internals (`debug`), start mock brokers (`test.*`), or are librdkafka's callbacks, pointers and
 * internals (names with `_`: set through code, a string there would be taken as a pointer).
 */
const UNSAFE = /^(plugin\.|interceptors$|ssl\.engine\.|ssl\.providers$|sasl\.kerberos\.|sasl\.oauthbearer\.(method|token\.endpoint\.url|metadata\.|assertion\.(file|jwt\.))|offset\.store\.|debug$|test\.)|_/;

/** Names librdkafka reads a local file from, each with the property that takes the same content inline. */
export const FILE_TO_INLINE: Readonly<Record<string, string>> = {
  'ssl.ca.location': 'ssl.ca.pem',
  'ssl.certificate.location': 'ssl.certificate.pem',
  'ssl.key.location': 'ssl.key.pem',
  'https.ca.location': 'https.ca.pem',
  'sasl.oauthbearer.assertion.private.key.file': 'sasl.oauthbearer.assertion.private.key.pem',
};

/** File properties with no inline twin: librdkafka gets the checked real path. */
const FILE_AS_PATH: readonly string[] = ['ssl.crl.location'];

/** Java store locations (store-properties.ts reads them; librdkafka never sees them). */
export const STORE_FILES: readonly string[] = ['ssl.truststore.location', 'ssl.keystore.location'];

/** Every file property the sink reads itself. */
const READ_HERE: readonly string[] = [...Object.keys(FILE_TO_INLINE), ...FILE_AS_PATH, ...STORE_FILES];

/** A name that reads like a path key but is none of the above: librdkafka would open it itself. */
const OTHER_FILE = /\.(location|locations|file|path|paths)$/;

/** Why a connector from the API may not set the librdkafka property `name` (any of its native names), or undefined. */
export function unsafeNameProblem(name: string): string | undefined {
  const names = nativeNames(name);
  const unsafe = names.find((n) => UNSAFE.test(n) && n !== 'log_level');
  if (unsafe !== undefined) {
    return `the Kafka client property ${unsafe} may not be set by connectors created through the worker's API (it loads code, runs commands, calls out or is librdkafka-internal); put it in a connector file the operator runs`;
  }
  const file = names.find((n) => OTHER_FILE.test(n) && !READ_HERE.includes(n));
  if (file !== undefined) return `the Kafka client property ${file} names a file librdkafka would open itself, which connectors created through the worker's API may not do`;
  return undefined;
}

/** The native name (its alias target, without `topic.`) under which `name` is a file property, or undefined. */
export function fileProperty(name: string): string | undefined {
  return nativeNames(name).find((n) => READ_HERE.includes(n));
}

/**
 * Refuses a key or value that would not reach librdkafka as written (a control character; a NUL would cut it).
 * `keyOf` names the config key a property came from (`kafka.ssl.ca.location`), printable, for the error.
 */
export function checkNativeEntry(name: string, value: unknown, keyOf: (name: string) => string = (n) => n): void {
  const text = typeof value === 'function' ? '' : String(value);
  const problem = controlProblem('name', name) ?? controlProblem('value', PEM_VALUE.test(name) ? text.replace(/[\t\n\r]/g, '') : text);
  if (problem !== undefined) throw new ConfigError(keyOf(name), problem);
}

/**
 * The config a node-rdkafka client is created with, checked: every client (consumer, producers, admin) takes its
 * config through here, so no key or value with a control character reaches librdkafka whoever built it.
 */
export function nativeConfig<T extends Record<string, unknown>>(config: T): T {
  for (const [name, value] of Object.entries(config)) checkNativeEntry(name, value);
  return config;
}

/**
 * The gate, on a client's properties as mapped from the connector's keys (`origin` names the key each came from):
 * every name and value checked; for a connector from the API (`policy` not TRUSTED_PROVIDERS) an unsafe name is
 * refused and each file property's path checked against the allowed paths and replaced by its real path (in place).
 */
export function gateClientProperties(properties: Record<string, NativeValue>, origin: ReadonlyMap<string, string>, policy: ProviderPolicy): void {
  const keyOf = (name: string): string => origin.get(name) ?? name;
  for (const [name, value] of Object.entries(properties)) {
    checkNativeEntry(name, value, keyOf);
    if (policy === TRUSTED_PROVIDERS) continue;
    const unsafe = unsafeNameProblem(name);
    if (unsafe !== undefined) throw new ConfigError(keyOf(name), unsafe);
    const file = fileProperty(name);
    if (file === undefined || (file === 'ssl.ca.location' && value === 'probe')) continue;
    properties[name] = allowedFilePath(keyOf(name), String(value), policy);
  }
}

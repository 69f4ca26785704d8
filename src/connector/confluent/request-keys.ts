/** Confluent's HTTP Sink keys for the request, its batching, the regex rewrite, retries and errors (Confluent's defaults). */
import { bool, int, oneOf, str } from '../../common/config/formats.js';
import type { ConfluentSpec } from './key-spec.js';

export const confluentConnectionKeys = {
  'http.api.url': {
    doc: 'The endpoint. `${topic}` and `${key}` are filled per record, and so are `${partition}`, `${offset}` and `${value.<field>}` (values percent-encoded); records that render different URLs go in different requests.',
    format: str(),
    default: null,
    required: true,
    differs: 'Templates may fill only the path and query, never the scheme, host or port: a record must not choose the host it is sent to.',
  },
  'request.method': { doc: '`POST`, `PUT` or `PATCH` (any case). Tombstones with `behavior.on.null.values=delete` are sent as `DELETE`.', format: str(), default: 'POST' },
  'behavior.on.null.values': {
    doc: 'A tombstone (null value): `ignore` (skip and commit), `log` (skip, commit, log its coordinates), `delete` (a `DELETE` without body to its URL), `fail` (an error, handled per `behavior.on.error`: `log` and `ignore` skip it, `fail` leaves it to `errors.tolerance`).',
    format: oneOf(['ignore', 'delete', 'log', 'fail']),
    default: 'ignore',
  },
  'behavior.on.error': {
    doc: 'A request that failed for good (retries spent, or a status not retried): `fail` stops the connector (with `errors.tolerance=all` and a dead-letter topic the records go there instead), `log` logs the error and goes on, `ignore` goes on. The records of a request that failed for good are reported to the error topic whenever the connector goes on.',
    format: oneOf(['fail', 'log', 'ignore']),
    default: 'fail',
    differs: '`ignore` also logs one warning line per failed request (records and error): dropping data without a trace is not offered.',
  },
  headers: {
    doc: 'Headers of every request, `Name:value` pairs separated by `header.separator` (e.g. `Content-Type:application/json|X-Env:prod`). Values may hold record templates.',
    format: str(),
    default: '',
  },
  'sensitive.headers': {
    doc: 'Headers holding secrets (e.g. `Authorization:Bearer ...`), same syntax as `headers`: sent the same way, never logged or shown.',
    format: str(),
    default: '',
    sensitive: true,
  },
  'header.separator': { doc: 'Separator of the pairs in `headers` and `sensitive.headers`.', format: str(), default: '|' },
  'http.connect.timeout.ms': {
    doc: 'Longest wait for a connection, in ms; the request timeout bounds it too.',
    format: int(1, 3_600_000),
    default: 30_000,
    differs: 'Not a separate limit: connecting counts against `http.request.timeout.ms`, which bounds the whole attempt (Node\'s clients time the request as a whole).',
  },
  'http.request.timeout.ms': {
    doc: 'Longest time one attempt may take, in ms (rounded up to whole seconds); a timed-out attempt is retried.',
    format: int(1, 3_600_000),
    default: 30_000,
    differs: 'The limit covers the whole attempt (connect, send, response), not only the wait for the response.',
  },
  'request.body.format': {
    doc: '`string`: each record\'s value as text (a decoded JSON value as compact JSON). `json`: each value as JSON (a string holding JSON text is embedded as is, other strings become JSON strings).',
    format: oneOf(['string', 'json']),
    default: 'string',
    differs: 'With `string`, a structured value (Avro, JSON with schema, Protobuf) is written as JSON, not as Java\'s `Struct{...}` text, which no endpoint can parse.',
  },
  'report.errors.as': {
    doc: 'The value of an error-topic record: `error_string` (a readable line with status, reason, URL, response and error) or `http_response` (the response body alone). The headers carry every detail in both cases.',
    format: oneOf(['error_string', 'http_response']),
    default: 'error_string',
  },
  'http.proxy.host': { doc: 'HTTP proxy host; requests and token requests go through it (CONNECT tunnels for https). Empty: no proxy.', format: str(), default: '' },
  'http.proxy.port': { doc: 'HTTP proxy port (with `http.proxy.host`).', format: int(0, 65535), default: 0 },
  'http.proxy.user': { doc: 'Proxy user: sent as `Proxy-Authorization: Basic` with `http.proxy.password`.', format: str(), default: '' },
  'http.proxy.password': { doc: 'Proxy password.', format: str(), default: '', sensitive: true },
} satisfies ConfluentSpec;

export const confluentBatchKeys = {
  'batch.key.pattern': {
    doc: 'Records whose pattern renders differently never share a request (`${key}`, `${topic}` and the other templates of `http.api.url`). The default, a constant, groups nothing apart.',
    format: str(),
    default: 'someKey',
  },
  'batch.max.size': {
    doc: 'Most records in one request. Batches are cut from the records of one poll, per partition, as Connect hands them to the connector; records whose Kafka header values differ are not batched together.',
    format: int(1, 1_000_000),
    default: 1,
    differs: 'Batches never mix partitions (so one partition\'s order is kept while partitions are sent in parallel): with several partitions per poll, requests may hold fewer records.',
  },
  'batch.prefix': { doc: 'Written before the records of a request body.', format: str(), default: '' },
  'batch.suffix': { doc: 'Written after the records of a request body.', format: str(), default: '' },
  'batch.separator': { doc: 'Written between the records of a request body.', format: str(), default: ',' },
  'batch.json.as.array': {
    doc: 'With `request.body.format=json`: the body is a JSON array of the records (`[v1,v2]`), prefix, suffix and separator unused. `false` is allowed only with `batch.max.size=1` (as Confluent requires).',
    format: bool(),
    default: false,
  },
} satisfies ConfluentSpec;

export const confluentRegexKeys = {
  'regex.patterns': {
    doc: 'Regular expressions, separated by `regex.separator`, applied in order to each record\'s text before it goes into the body; each match is replaced by the replacement at the same position (`$1` refers to a group).',
    format: str(),
    default: '',
    differs: 'Patterns run on JavaScript\'s regular expressions: the common syntax is the same; Java-only constructs (possessive quantifiers, `\\p{javaLowerCase}`) are refused at start, naming the pattern.',
  },
  'regex.replacements': { doc: 'The replacements, separated by `regex.separator`, one per pattern.', format: str(), default: '' },
  'regex.separator': { doc: 'Separator of `regex.patterns` and `regex.replacements`.', format: str(), default: '~' },
} satisfies ConfluentSpec;

export const confluentRetryKeys = {
  'max.retries': { doc: 'Retries after the first attempt of a request; then `behavior.on.error` decides.', format: int(0, 1_000_000), default: 10 },
  'retry.backoff.ms': { doc: 'The wait before the first retry, in ms (`CONSTANT_VALUE`: every retry).', format: int(0, 86_400_000), default: 3000 },
  'retry.backoff.policy': {
    doc: '`EXPONENTIAL_WITH_JITTER`: the wait doubles each retry (up to 60 s), each a random time between half and all of it; `CONSTANT_VALUE`: always `retry.backoff.ms`.',
    format: oneOf(['EXPONENTIAL_WITH_JITTER', 'CONSTANT_VALUE']),
    default: 'EXPONENTIAL_WITH_JITTER',
  },
  'retry.on.status.codes': {
    doc: 'Statuses that are retried: codes and ranges separated by commas, a range open at one end (`400-`: 400 and above; `-499`). Any other non-2xx status fails the request at once. Network errors and timeouts are always retried.',
    format: str(),
    default: '400-',
  },
} satisfies ConfluentSpec;

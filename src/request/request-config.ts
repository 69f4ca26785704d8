/** Connector-file keys that shape a request: URL, headers, batching and body framing (Aiven's keys and defaults). */
import { ConfigError } from '../common/errors.js';
import { bool, httpUrl, int, oneOf, str } from '../common/config/formats.js';
import type { UnrenderablePolicy } from './checkValues.js';
import { compileTemplate, compileUrlTemplate } from './template.js';
import type { ConfigSpec, ConfigValues } from '../common/config/spec.js';

export const requestConfigSpec = {
  'http.url': {
    doc: 'The endpoint (http or https). Path and query may hold record templates: `${topic}`, `${partition}`, `${offset}`, `${key}`, `${value.<field path>}` (values percent-encoded; a missing field is empty). Records of a batch that render different URLs go in different requests.',
    format: httpUrl(),
    default: null,
    required: true,
  },
  'http.method': { doc: 'Method of every request: `POST` (Aiven), `PUT` or `PATCH`. Tombstones with `behavior.on.null.values=delete` are sent as `DELETE`.', format: oneOf(['POST', 'PUT', 'PATCH']), default: 'POST' },
  'http.headers.content.type': { doc: 'Content-Type header of every request; none is sent when unset (as Aiven). A blank value is refused, as Aiven refuses it.', format: str(), default: null },
  'http.headers.additional': {
    doc: 'Extra headers as comma-separated `Name:value` pairs, e.g. `X-Env:prod,X-Team:iot`, or as a JSON object (`{"X-Tags":"a,b:c"}`) when a value holds commas. Names are unique ignoring case. Values may hold record templates (as `http.url`, not encoded).',
    format: str(),
    default: '',
  },
  'http.headers.forward.prefix': {
    doc: 'Kafka record headers whose name starts with this prefix (ignoring case) are sent as HTTP headers, name unchanged. Unset: none are. Records of a batch with different forwarded headers go in different requests.',
    format: str(),
    default: null,
  },
  'http.idempotency.key.header': {
    doc: 'When set, each request carries this header (e.g. `Idempotency-Key`) with `<topic>/<partition>/<first offset>-<last offset>` of its records: the same on every retry and, for the same batch, after a restart.',
    format: str(),
    default: null,
  },
  'behavior.on.unrenderable.values': {
    doc: 'Not an Aiven key. A value that is not text, a map or a struct (bytes from ByteArrayConverter, a number, a boolean, an array): `send` it (its bytes, or its JSON text); `fail`: a record error, handled per `errors.tolerance` (the task stops, or the record is dead-lettered or skipped), as Aiven\'s connector fails on such values (or reports them, with Connect\'s errant-record reporter). Null values follow `behavior.on.null.values`.',
    format: oneOf(['send', 'fail']),
    default: 'send',
  },
  'http.compression': { doc: '`gzip`: bodies are gzip-compressed and sent with `Content-Encoding: gzip`. `none` (Aiven).', format: oneOf(['none', 'gzip']), default: 'none' },
  'batching.enabled': { doc: 'Send many records per request. Off: one request per record, body = the value.', format: bool(), default: false },
  'batch.max.size': { doc: 'Most records in one request.', format: int(1, 1_000_000), default: 500 },
  'batch.linger.ms': { doc: 'A batch that is not full is sent at most this long after it was started. 0: batches are cut from each poll alone, as Aiven does.', format: int(0, 600_000), default: 100 },
  'batch.prefix': { doc: 'Written before the records of a batch body.', format: str(), default: '' },
  'batch.suffix': { doc: 'Written after the records of a batch body.', format: str(), default: '\n' },
  'batch.separator': { doc: 'Written between the records of a batch body.', format: str(), default: '\n' },
  'batch.format': {
    doc: '`custom`: prefix, separator and suffix as set. `json_array`: `[v1,v2]` of the values as JSON (a string that is JSON text is embedded as is). `ndjson`: one JSON value per line. The shortcuts replace the three keys above and set Content-Type (`application/json`, `application/x-ndjson`) unless `http.headers.content.type` is set.',
    format: oneOf(['custom', 'json_array', 'ndjson']),
    default: 'custom',
  },
} satisfies ConfigSpec;

export type BodyFormat = 'custom' | 'json_array' | 'ndjson';

export interface RequestOptions {
  /** The URL, possibly a record template (see ./template.ts). */
  readonly url: string;
  /** Static headers; values may be record templates. */
  readonly headers: Readonly<Record<string, string>>;
  readonly batching: boolean;
  readonly prefix: string;
  readonly suffix: string;
  readonly separator: string;
  /** Default POST. */
  readonly method?: 'POST' | 'PUT' | 'PATCH';
  /** Default custom (prefix/separator/suffix). */
  readonly format?: BodyFormat;
  /** Kafka headers with this name prefix become HTTP headers; undefined: none. */
  readonly forwardHeaderPrefix?: string;
  /** Header carrying the idempotency key; undefined: none. */
  readonly idempotencyHeader?: string;
  readonly compression?: 'none' | 'gzip';
  /** `behavior.on.unrenderable.values`: `fail` makes a value that is not text, a map or a struct a record error. */
  readonly unrenderable?: UnrenderablePolicy;
  /** Each record's value rendered as JSON in the body (Confluent's `request.body.format=json`). */
  readonly jsonValues?: boolean;
  /** Applied to each record's text before it goes into the body (Confluent's `regex.*`). */
  readonly rewrite?: (text: string) => string;
  /** A record template: records that render it differently go in different requests (Confluent's `batch.key.pattern`). */
  readonly groupBy?: string;
  /** Records whose Kafka header values differ go in different requests (as Confluent's connector batches). */
  readonly groupByHeaders?: boolean;
}

const FORMAT_CONTENT_TYPE: Record<BodyFormat, string | undefined> = { custom: undefined, json_array: 'application/json', ndjson: 'application/x-ndjson' };

export function requestOptions(values: ConfigValues<typeof requestConfigSpec>): RequestOptions {
  const headers: Record<string, string> = parseAdditionalHeaders(values.string('http.headers.additional'));
  const format = values.get('batch.format');
  const givenType = values.optionalString('http.headers.content.type');
  if (givenType !== undefined && givenType.trim() === '') throw new ConfigError('http.headers.content.type', 'must not be blank (leave it out to send no Content-Type)');
  const contentType = givenType ?? FORMAT_CONTENT_TYPE[format];
  if (contentType !== undefined) headers['Content-Type'] = contentType;
  const { url, authorization } = withoutCredentials(values.string('http.url'));
  if (authorization !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) headers.Authorization = authorization;
  checkTemplates(url, headers);
  return {
    url,
    headers,
    method: values.get('http.method'),
    format,
    forwardHeaderPrefix: values.optionalString('http.headers.forward.prefix'),
    idempotencyHeader: headerName('http.idempotency.key.header', values.optionalString('http.idempotency.key.header')),
    compression: values.get('http.compression'),
    unrenderable: values.get('behavior.on.unrenderable.values'),
    batching: values.boolean('batching.enabled'),
    prefix: values.string('batch.prefix'),
    suffix: values.string('batch.suffix'),
    separator: values.string('batch.separator'),
  };
}

/**
 * `https://user:password@host/...`: the credentials leave the URL and become a Basic Authorization header (as curl
 * and got do), so every transport sends them alike; an `http.authorization.type` authorizer still sets its own.
 */
function withoutCredentials(given: string): { url: string; authorization?: string } {
  const { username, password } = new URL(given); // http.url is checked as an absolute URL before this runs
  if (username === '' && password === '') return { url: given };
  const basic = Buffer.from(`${decodeURIComponent(username)}:${decodeURIComponent(password)}`).toString('base64');
  return { url: given.replace(USER_INFO, '$1'), authorization: `Basic ${basic}` };
}

/** `scheme://user:password@`: the user info up to the last `@` before the path, query or fragment. */
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

/** Templates are compiled at start, so a bad placeholder is a config error naming the key. */
function checkTemplates(url: string, headers: Readonly<Record<string, string>>): void {
  try {
    compileUrlTemplate(url);
  } catch (error) {
    throw new ConfigError('http.url', (error as Error).message);
  }
  try {
    for (const value of Object.values(headers)) compileTemplate(value);
  } catch (error) {
    throw new ConfigError('http.headers.additional', (error as Error).message);
  }
}

function headerName(key: string, name: string | undefined): string | undefined {
  if (name !== undefined && !HEADER_NAME.test(name)) throw new ConfigError(key, 'must be a header name (letters, digits and -)');
  return name;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `Name:value,Name2:value2` (the first colon splits name from value), or a JSON object of names to string values. */
export function parseAdditionalHeaders(text: string): Record<string, string> {
  if (text.trim().startsWith('{')) return parseJsonHeaders(text);
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [index, pair] of text.split(',').entries()) {
    if (pair.trim() === '') continue;
    const colon = pair.indexOf(':');
    const name = colon < 0 ? '' : pair.slice(0, colon).trim();
    if (!HEADER_NAME.test(name)) {
      // The entry may hold a secret (an API key header): name its position, never its text.
      throw new ConfigError('http.headers.additional', `entry ${index + 1} is not a Name:value pair (expected e.g. X-Env:prod,X-Team:iot)`);
    }
    if (seen.has(name.toLowerCase())) throw new ConfigError('http.headers.additional', `header ${name} is given twice`);
    seen.add(name.toLowerCase());
    headers[name] = pair.slice(colon + 1).trim();
  }
  return headers;
}

function parseJsonHeaders(text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError('http.headers.additional', 'starts with { but is not a JSON object of "Name": "value" pairs');
  }
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!HEADER_NAME.test(name) || typeof value !== 'string') {
      throw new ConfigError('http.headers.additional', `entry ${JSON.stringify(name)} must be a header name with a string value`);
    }
    if (seen.has(name.toLowerCase())) throw new ConfigError('http.headers.additional', `header ${name} is given twice`);
    seen.add(name.toLowerCase());
    headers[name] = value;
  }
  return headers;
}

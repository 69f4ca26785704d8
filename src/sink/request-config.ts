/** Connector-file keys that shape a request: URL, headers, batching and body framing (Aiven's keys and defaults). */
import { ConfigError } from '../errors.js';
import { bool, httpUrl, int, str } from '../config/formats.js';
import type { ConfigSpec, ConfigValues } from '../config/spec.js';

export const requestConfigSpec = {
  'http.url': { doc: 'The endpoint every request goes to (http or https).', format: httpUrl(), default: null, required: true },
  'http.headers.content.type': { doc: 'Content-Type header of every request; none is sent when unset (as Aiven).', format: str(), default: null },
  'http.headers.additional': {
    doc: 'Extra headers as comma-separated `Name:value` pairs, e.g. `X-Env:prod,X-Team:iot`. Names are unique ignoring case.',
    format: str(),
    default: '',
  },
  'batching.enabled': { doc: 'Send many records per request. Off: one request per record, body = the value.', format: bool(), default: false },
  'batch.max.size': { doc: 'Most records in one request.', format: int(1, 1_000_000), default: 500 },
  'batch.linger.ms': { doc: 'A batch that is not full is sent at most this long after it was started. 0: batches are cut from each poll alone, as Aiven does.', format: int(0, 600_000), default: 100 },
  'batch.prefix': { doc: 'Written before the records of a batch body.', format: str(), default: '' },
  'batch.suffix': { doc: 'Written after the records of a batch body.', format: str(), default: '\n' },
  'batch.separator': { doc: 'Written between the records of a batch body.', format: str(), default: '\n' },
} satisfies ConfigSpec;

export interface RequestOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly batching: boolean;
  readonly prefix: string;
  readonly suffix: string;
  readonly separator: string;
}

export function requestOptions(values: ConfigValues): RequestOptions {
  const headers: Record<string, string> = parseAdditionalHeaders(values.string('http.headers.additional'));
  const contentType = values.optionalString('http.headers.content.type');
  if (contentType !== undefined) headers['Content-Type'] = contentType;
  return {
    url: values.string('http.url'),
    headers,
    batching: values.boolean('batching.enabled'),
    prefix: values.string('batch.prefix'),
    suffix: values.string('batch.suffix'),
    separator: values.string('batch.separator'),
  };
}

/** `Name:value,Name2:value2` -> headers; the first colon splits name from value. */
export function parseAdditionalHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [index, pair] of text.split(',').entries()) {
    if (pair.trim() === '') continue;
    const colon = pair.indexOf(':');
    const name = colon < 0 ? '' : pair.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      // The entry may hold a secret (an API key header): name its position, never its text.
      throw new ConfigError('http.headers.additional', `entry ${index + 1} is not a Name:value pair (expected e.g. X-Env:prod,X-Team:iot)`);
    }
    if (seen.has(name.toLowerCase())) throw new ConfigError('http.headers.additional', `header ${name} is given twice`);
    seen.add(name.toLowerCase());
    headers[name] = pair.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Record templates for URLs and header values: `${topic}`, `${partition}`, `${offset}`, `${key}` and
 * `${value.<field path>}`. In a URL the values are percent-encoded and may only fill the path and query.
 * (Config-provider references like `${env:X}` hold a colon and are resolved before; templates hold none.)
 */
import type { SinkRecord } from '../records/record.js';
import { TransformError } from '../common/errors.js';
import { jsonText } from '../common/json-text.js';

const PLACEHOLDER = /\$\{([^}:]*)\}/g;
const FIELD = /^(topic|partition|offset|key|value(\.[^.\s]+)*)$/;

type Part = string | ((record: SinkRecord) => string);

export interface Template {
  readonly text: string;
  /** False when the text has no placeholder: every record renders the same. */
  readonly dynamic: boolean;
  render(record: SinkRecord): string;
}

type Encode = (value: string) => string;

const verbatim: Encode = (value) => value;

/** Compiled templates per encoder (one map each, so a header's sanitising template is never a URL's or a plain one). */
const cache = new WeakMap<Encode, Map<string, Template>>();

/** Compiles `text`; throws a plain Error naming the first unknown placeholder. `encode` is applied to each value. */
export function compileTemplate(text: string, encode: Encode = verbatim): Template {
  let compiled = cache.get(encode);
  if (compiled === undefined) cache.set(encode, (compiled = new Map()));
  const known = compiled.get(text);
  if (known) return known;
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const field = match[1]!.trim();
    if (!FIELD.test(field)) throw new Error(`\${${match[1]}} is not a template field; use \${topic}, \${partition}, \${offset}, \${key} or \${value.<field>}`);
    parts.push(text.slice(last, match.index));
    const read = reader(field);
    parts.push((record) => encode(read(record)));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  const dynamic = parts.some((p) => typeof p !== 'string');
  const template: Template = { text, dynamic, render: (record) => parts.map((p) => (typeof p === 'string' ? p : p(record))).join('') };
  if (compiled.size < 1000) compiled.set(text, template);
  return template;
}

/** A URL template: placeholders only after the host, values percent-encoded (a `/` or `?` in a key stays inside its segment). */
export function compileUrlTemplate(url: string): Template {
  const authorityEnd = url.indexOf('/', url.indexOf('//') + 2);
  const origin = authorityEnd < 0 ? url : url.slice(0, authorityEnd);
  if (origin.includes('${')) throw new Error('templates may fill only the path and query, never the scheme, host or port');
  const template = compileTemplate(url, encodeURIComponent);
  if (!template.dynamic) return template;
  const checked = urlTemplates.get(template);
  if (checked) return checked;
  // Rendered once per record: checkUrls, the request builder's grouping and the request itself all ask for it. A
  // record is never changed in place (a transform makes a new one), so its URL is kept as long as the record lives.
  const renderedFor = new WeakMap<SinkRecord, string>();
  const render = (record: SinkRecord): string => {
    const known = renderedFor.get(record);
    if (known !== undefined) return known;
    const rendered = template.render(record);
    const segment = dotSegment(rendered.slice(origin.length));
    if (segment !== undefined) {
      throw new TransformError(record, 'http.url', `the URL template renders the path segment "${segment}", which URL parsers resolve to another path of the host; the record is refused`);
    }
    renderedFor.set(record, rendered);
    return rendered;
  };
  const result: Template = { text: template.text, dynamic: true, render };
  urlTemplates.set(template, result);
  return result;
}

/** URL templates with their path check, per compiled template. */
const urlTemplates = new WeakMap<Template, Template>();

/**
 * The first `.` or `..` segment of a URL's path (`/a/../b`), also spelled with `%2e` as URL parsers read it; undefined
 * when there is none. A record value of `..` in `/items/${key}` would otherwise send the request to `/`. A `\` ends a
 * segment too: the WHATWG URL parser reads it as `/` in an http(s) URL (`/items\..` is `/`).
 */
export function dotSegment(pathAndQuery: string): string | undefined {
  const path = pathAndQuery.split(/[?#]/, 1)[0]!;
  return path.split(/[/\\]/).find((segment) => /^(\.|%2e){1,2}$/i.test(segment));
}

function reader(field: string): (record: SinkRecord) => string {
  switch (field) {
    case 'topic':
      return (r) => r.topic;
    case 'partition':
      return (r) => String(r.partition);
    case 'offset':
      return (r) => String(r.offset);
    case 'key':
      return (r) => text(r.key);
    default: {
      const path = field.split('.').slice(1);
      return (r) => text(path.reduce<unknown>((v, name) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[name] : undefined), r.value));
    }
  }
}

/** Strings and numbers as they are, bytes as UTF-8, objects as JSON; null and missing fields as ''. */
function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'object') return jsonText(value);
  return String(value);
}

/** Confluent's value syntaxes read into ours: separated header pairs, open status ranges, enum values in any case. */
import { ConfigError } from '../../common/errors.js';

/**
 * `Name:value|Name2:value2` (the first colon splits) -> headers. A problem names the entry's position, never its text
 * (it may hold a secret).
 */
export function confluentHeaders(key: string, text: string, separator: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (text.trim() === '') return headers;
  if (separator === '') throw new ConfigError(key, 'needs a non-empty header.separator');
  for (const [index, pair] of text.split(separator).entries()) {
    if (pair.trim() === '') continue;
    const colon = pair.indexOf(':');
    const name = colon < 0 ? '' : pair.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new ConfigError(key, `entry ${index + 1} is not a Name:value pair (pairs are separated by "${separator}", e.g. Content-Type:application/json${separator}X-Env:prod)`);
    }
    const existing = Object.keys(headers).find((n) => n.toLowerCase() === name.toLowerCase());
    if (existing !== undefined) throw new ConfigError(key, `header ${name} is given twice`);
    headers[name] = pair.slice(colon + 1).trim();
  }
  return headers;
}

/** `400-` (400 and above), `-499`, `500-599`, `429` -> our syntax (`>=400`, `<=499`, ranges and codes as they are). */
export function confluentStatusCodes(text: string): string {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const open = /^(\d{3})\s*-$/.exec(entry);
      if (open) return `>=${open[1]}`;
      const upTo = /^-\s*(\d{3})$/.exec(entry);
      if (upTo) return `<=${upTo[1]}`;
      return entry;
    })
    .join(',');
}

/** `value` matched ignoring case against `allowed`, returned as spelled there; `why` says why other values are refused. */
export function oneOfIgnoringCase<const W extends string>(key: string, value: string, allowed: readonly W[], why = ''): W {
  const match = allowed.find((word) => word.toLowerCase() === value.trim().toLowerCase());
  if (match === undefined) throw new ConfigError(key, `must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}${why}`);
  return match;
}

/** RegexRouter: renames the topic with a regular expression and a replacement (`$1` for groups). */
import type { OperatorFunction } from 'rxjs';
import { str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import { type SinkRecord, withTopic } from '../records/record.js';
import type { RecordTransform, TransformDefinition, TransformRunOptions } from './record-transform.js';
import { transformRecords } from './transformRecords.js';

export interface RegexRouterOptions {
  /** Must match the whole topic name (as Java's `Matcher.matches`). */
  readonly regex: string | RegExp;
  /** `$1`, `${name}` for groups, as in Java; `\$` for a dollar sign. */
  readonly replacement: string;
}

/**
 * A topic the regex matches as a whole is renamed to `replacement` (with its groups); others keep theirs. The new
 * topic is what `${topic}` renders; the committed offset stays the source record's.
 *
 * @example
 * decoded$.pipe(regexRouter({ regex: '(.*)-raw', replacement: '$1' }))
 * @see https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.RegexRouter
 */
export function regexRouter(options: RegexRouterOptions & TransformRunOptions): OperatorFunction<readonly SinkRecord[], SinkRecord[]> {
  return transformRecords(regexRouterTransform(options), options);
}

export function regexRouterTransform(options: RegexRouterOptions): RecordTransform {
  const whole = wholeMatch(options.regex);
  const replacement = jsReplacement(options.replacement);
  const topics = new Map<string, string>();
  return (record) => {
    let topic = topics.get(record.topic);
    if (topic === undefined) {
      topic = whole.test(record.topic) ? record.topic.replace(whole, replacement) : record.topic;
      if (topics.size < 10_000) topics.set(record.topic, topic);
    }
    return withTopic(record, topic);
  };
}

/** The pattern anchored at both ends. */
export function wholeMatch(regex: string | RegExp): RegExp {
  const source = typeof regex === 'string' ? regex : regex.source;
  return new RegExp(`^(?:${source})$`, typeof regex === 'string' ? '' : regex.flags.replace('g', ''));
}

/** Java's replacement syntax (`$1`, `${name}`, `\$`, `\\`) in JavaScript's (`$1`, `$<name>`, `$$`, `\`). */
function jsReplacement(java: string): string {
  return java.replace(/\\(.)|\$\{(\w+)\}|\$/g, (match, escaped: string | undefined, group: string | undefined) => {
    if (escaped !== undefined) return escaped === '$' ? '$$' : escaped;
    if (group !== undefined) return `$<${group}>`;
    return match;
  });
}

export const regexRouterDefinition: TransformDefinition = {
  className: 'org.apache.kafka.connect.transforms.RegexRouter',
  variants: false,
  doc: 'Renames topics the regex matches as a whole to the replacement (`$1` for groups); the committed offset stays the source record\'s.',
  options: {
    regex: { doc: 'A regular expression that must match the whole topic name (required).', format: str(), default: '' },
    replacement: { doc: 'The new topic name; `$1`... for the regex\'s groups (required).', format: str(), default: null },
  } satisfies ConfigSpec,
  create: (read) => {
    const regex = read.string('regex');
    if (regex === '') throw new ConfigError('regex', 'is required: a regular expression matching whole topic names');
    try {
      new RegExp(regex);
    } catch (error) {
      throw new ConfigError('regex', `is not a valid regular expression: ${(error as Error).message}`);
    }
    const replacement = read.optionalString('replacement');
    if (replacement === undefined) throw new ConfigError('replacement', 'is required: the new topic name');
    return regexRouterTransform({ regex, replacement });
  },
};

/**
 * Kafka Connect's predicates (`predicates.<name>.type`): TopicNameMatches, HasHeaderKey, RecordIsTombstone. A
 * transform with `predicate=<name>` applies only to the records it holds for (`negate=true`: the others).
 * @see https://kafka.apache.org/documentation/#connect_predicates
 */
import { str } from '../common/config/formats.js';
import { ConfigError } from '../common/errors.js';
import type { ConfigSpec } from '../common/config/spec.js';
import type { PredicateDefinition, RecordPredicate } from './record-transform.js';
import { wholeMatch } from './regexRouter.js';

/** True for records whose topic the pattern matches as a whole. */
export function topicNameMatches(options: { readonly pattern: string | RegExp }): RecordPredicate {
  const regex = wholeMatch(options.pattern);
  return (record) => regex.test(record.topic);
}

/** True for records with at least one header called `name`. */
export function hasHeaderKey(options: { readonly name: string }): RecordPredicate {
  return (record) => record.headers.some((h) => h.key === options.name);
}

/** True for records whose value is null (tombstones). */
export function recordIsTombstone(): RecordPredicate {
  return (record) => record.value === null;
}

export const PREDICATE_DEFINITIONS: readonly PredicateDefinition[] = [
  {
    className: 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
    doc: 'Records whose topic the regular expression matches as a whole.',
    options: { pattern: { doc: 'A regular expression (required).', format: str(), default: '' } } satisfies ConfigSpec,
    create: (read) => {
      const pattern = read.string('pattern');
      if (pattern === '') throw new ConfigError('pattern', 'is required: a regular expression for topic names');
      try {
        return topicNameMatches({ pattern });
      } catch (error) {
        throw new ConfigError('pattern', `is not a valid regular expression: ${(error as Error).message}`);
      }
    },
  },
  {
    className: 'org.apache.kafka.connect.transforms.predicates.HasHeaderKey',
    doc: 'Records with at least one header of this name.',
    options: { name: { doc: 'The header name (required).', format: str(), default: '' } } satisfies ConfigSpec,
    create: (read) => {
      const name = read.string('name');
      if (name === '') throw new ConfigError('name', 'is required: a header name');
      return hasHeaderKey({ name });
    },
  },
  {
    className: 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
    doc: 'Records whose value is null (tombstones).',
    options: {},
    create: () => recordIsTombstone(),
  },
];

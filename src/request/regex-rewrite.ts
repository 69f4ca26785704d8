/**
 * Confluent's `regex.patterns` / `regex.replacements`: each record's text goes through every pattern in order, each
 * match replaced (all of them) by the replacement at the same position. Java's replacement syntax (`$1`, `${name}`,
 * `\$`) is read into JavaScript's; Java-only pattern constructs are refused, naming the pattern.
 */

/** A problem with one of the lists: `key` is the config key to fix. */
export class RegexRewriteError extends Error {
  constructor(
    readonly key: 'regex.patterns' | 'regex.replacements',
    message: string,
  ) {
    super(message);
  }
}

/** Java constructs JavaScript reads differently or not at all: possessive quantifiers, atomic groups, \Q..\E, \A \Z \z, \p{javaX}. */
const JAVA_ONLY = /(?<!\\)[*+?}]\+|\(\?>|\\Q|\\[AZz]|\\p\{java/;

/** The rewrite of `patterns` (undefined when there is none). Throws a RegexRewriteError naming the list at fault. */
export function regexRewrite(patterns: string, replacements: string, separator: string): ((text: string) => string) | undefined {
  if (patterns === '') {
    if (replacements !== '') throw new RegexRewriteError('regex.replacements', 'is set but regex.patterns is empty');
    return undefined;
  }
  if (separator === '') throw new RegexRewriteError('regex.patterns', 'regex.separator must not be empty');
  const sources = patterns.split(separator);
  const targets = replacements.split(separator);
  if (targets.length !== sources.length) {
    throw new RegexRewriteError('regex.replacements', `has ${targets.length} replacement(s) for ${sources.length} pattern(s) in regex.patterns (separated by "${separator}")`);
  }
  const rules = sources.map((source, i) => {
    if (JAVA_ONLY.test(source)) throw new RegexRewriteError('regex.patterns', `pattern ${i + 1} uses a Java-only construct (possessive quantifier, atomic group, \\Q, \\A, \\Z or \\p{java...}); rewrite it without`);
    try {
      return { pattern: new RegExp(source, 'g'), replacement: javaReplacement(targets[i]!) };
    } catch (error) {
      throw new RegexRewriteError('regex.patterns', `pattern ${i + 1} is not a valid regular expression: ${(error as Error).message}`);
    }
  });
  return (text) => rules.reduce((current, rule) => current.replace(rule.pattern, rule.replacement), text);
}

/** Java's `$0`, `$1`, `${name}`, `\$`, `\\` -> JavaScript's `$&`, `$1`, `$<name>`, `$$`, `\`. */
function javaReplacement(text: string): string {
  return text.replace(/\\(.)|\$\{(\w+)\}|\$(\d+)|\$/g, (match, escaped: string | undefined, name: string | undefined, group: string | undefined) => {
    if (escaped !== undefined) return escaped === '$' ? '$$' : escaped;
    if (name !== undefined) return `$<${name}>`;
    if (group !== undefined) return group === '0' ? '$&' : `$${group}`;
    return '$$';
  });
}

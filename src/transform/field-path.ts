/**
 * Field paths as Kafka Connect 3.8+ reads them with `field.syntax.version` (KIP-821): `V1` (the default) names one
 * top-level field, dots and all; `V2` names a nested field by dotted steps (`order.customer.id`), a step holding dots
 * in backticks (`` `foo.bar`.baz ``; a backtick inside one is escaped with a backslash when a dot follows it).
 */
import { ConfigError } from '../common/errors.js';

export type FieldSyntaxVersion = 'V1' | 'V2';

/** The option every transform with field paths takes (its values case-insensitive, as Connect reads them). */
export const FIELD_SYNTAX_VERSION = 'field.syntax.version';

/** `field.syntax.version`'s value, or a ConfigError naming it. */
export function fieldSyntaxVersion(value: string): FieldSyntaxVersion {
  const upper = value.trim().toUpperCase();
  if (upper !== 'V1' && upper !== 'V2') throw new ConfigError(FIELD_SYNTAX_VERSION, `must be V1 or V2, not ${JSON.stringify(value)}`);
  return upper;
}

/**
 * The steps of `path`; `option` names the key in a ConfigError for a backtick without its pair.
 *
 * @example
 * fieldPathSteps('`a.b`.c', 'V2', 'field') // ['a.b', 'c']
 */
export function fieldPathSteps(path: string, version: FieldSyntaxVersion, option: string): string[] {
  if (version === 'V1') return [path];
  const steps: string[] = [];
  let i = 0;
  while (i >= 0 && i < path.length) {
    if (path[i] !== '`') {
      const dot = path.indexOf('.', i);
      steps.push(path.slice(i, dot < 0 ? undefined : dot));
      i = dot < 0 ? -1 : dot + 1;
      continue;
    }
    i = quotedStep(path, i, steps, option);
  }
  if (path.endsWith('.')) steps.push('');
  return steps;
}

/** Reads the backtick-quoted step opening at `open` into `steps`; the index after it (past its dot). */
function quotedStep(path: string, open: number, steps: string[], option: string): number {
  const incomplete = (): never => {
    throw new ConfigError(option, `Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${open} to escape it`);
  };
  let step = '';
  let start = open + 1;
  let i = start;
  for (;;) {
    i = path.indexOf('`', i);
    if (i < 0) return incomplete();
    const escaped = path[i - 1] === '\\';
    if (i >= path.length - 1) {
      if (escaped) incomplete();
      steps.push(step + path.slice(start, i));
      return i + 1;
    }
    if (path[i + 1] !== '.') {
      i++; // a backtick inside the step
      continue;
    }
    if (escaped) {
      step += `${path.slice(start, i - 1)}\``;
      start = ++i;
      continue;
    }
    steps.push(step + path.slice(start, i));
    return i + 2;
  }
}

/**
 * Validation of a set of keys against their KeySpecs with convict, shared by connector files and worker settings:
 * one schema builder, and convict's first problem turned into a ConfigError naming the key.
 */
import convict from 'convict';
import { ConfigError } from '../errors.js';
import type { ConfigSpec } from './spec.js';

/** Convict reads `.` as nesting; keys are flat here. */
const encode = (key: string): string => key.replaceAll('.', '__');
const decode = (key: string): string => key.replaceAll('__', '.');

/**
 * Validates `values` (key -> value, keys of `spec` only) and returns a getter that gives each key's value or its
 * default. `shown` is how each value may be printed (the file's own text, secrets redacted): convict would print the
 * value it checked, which for a `${env:...}` reference is the secret itself. Without `shown`, convict's text stays.
 */
export function validatedWith(spec: ConfigSpec, values: Readonly<Record<string, unknown>>, shown?: Readonly<Record<string, unknown>>): (key: string) => unknown {
  const schema = Object.fromEntries(
    Object.entries(spec).map(([key, s]) => [encode(key), { doc: s.doc, format: s.format, default: s.default, nullable: s.default === null, sensitive: s.sensitive === true }]),
  ) as convict.Schema<Record<string, unknown>>;
  const config = convict(schema, { env: {}, args: [] });
  config.load(Object.fromEntries(Object.entries(values).map(([key, value]) => [encode(key), value])));
  try {
    config.validate({ allowed: 'strict' });
  } catch (error) {
    throw firstProblem(error as Error, shown);
  }
  return (key) => config.get(encode(key) as never);
}

function firstProblem(error: Error, shown: Readonly<Record<string, unknown>> | undefined): ConfigError {
  const first = error.message.split('\n')[0] ?? error.message;
  const match = /^([^:]+): (.*?)(: value was .*)?$/s.exec(first);
  if (!match) return new ConfigError(undefined, first.replace(/: value was .*$/s, ''));
  const key = decode(match[1]!);
  const convictValue = match[3] ?? '';
  const value = shown === undefined ? convictValue : convictValue && key in shown ? `: value was ${JSON.stringify(shown[key])}` : '';
  return new ConfigError(key, `${match[2]!.replace(/^\s+/, '')}${value}`);
}

// `node --import ./test/support/log-packages.mjs ...`: prints "package loaded: NAME" on stderr for every npm package
// the process imports (its bare specifier, once per importing file), so a test can check what a run loaded.
import { register } from 'node:module';

const hooks = `
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (!/^(node:|file:|data:|\\.|\\/)/.test(specifier)) process.stderr.write('package loaded: ' + specifier + '\\n');
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

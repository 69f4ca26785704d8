/** `npm run docs`: rewrites the generated tables (connector keys, worker variables, transforms) in README.md and docs/. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { withConfigTables } from '../src/cli/config-docs.js';

const files = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const updated = withConfigTables(text);
  if (updated !== text) {
    writeFileSync(file, updated);
    process.stdout.write(`${file}: generated tables updated\n`);
  }
}

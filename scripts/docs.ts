/** `npm run docs`: rewrites the generated tables (connector keys, worker variables, transforms, Confluent's keys) in README.md and docs/. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { withConfigTables } from '../src/cli/config-docs.js';
import { CONFLUENT_DOCS_START, withConfluentTable } from '../src/cli/confluent-docs.js';

const files = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const withKeys = withConfigTables(text);
  const updated = withKeys.includes(CONFLUENT_DOCS_START) ? withConfluentTable(withKeys) : withKeys;
  if (updated !== text) {
    writeFileSync(file, updated);
    process.stdout.write(`${file}: generated tables updated\n`);
  }
}

/** `npm run docs`: rewrites the connector-key tables in README.md and docs/ from the config specs. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigTables } from '../src/cli/config-docs.js';
import { withConfluentTable } from '../src/cli/confluent-docs.js';

writeFileSync('README.md', withConfigTables(readFileSync('README.md', 'utf8')));
const guide = 'docs/migrating-from-confluent.md';
writeFileSync(guide, withConfluentTable(readFileSync(guide, 'utf8')));
process.stdout.write(`README.md, ${guide}: connector-key tables updated\n`);

/** `npm run docs`: rewrites the connector-key tables in README.md from the config specs. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigTables } from '../src/cli/config-docs.js';

writeFileSync('README.md', withConfigTables(readFileSync('README.md', 'utf8')));
process.stdout.write('README.md: connector-key tables updated\n');

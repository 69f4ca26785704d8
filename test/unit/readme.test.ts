/** The README documents every connector key with its default: the tables are the ones the specs render. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { withConfigTables } from '../../src/cli/config-docs.js';

describe('README', () => {
  it('has the connector-key tables of the current config specs (run `npm run docs` after changing a key)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toBe(withConfigTables(readme));
  });

  it('shows the quick start commands', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('npm install && npm run demo');
    expect(readme).toContain('npm test');
  });
});

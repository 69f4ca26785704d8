/** The migration guide lists every key the Confluent translation reads: its table is the one the specs render. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { withConfluentTable } from '../../src/cli/confluent-docs.js';
import { CONFLUENT_SPEC } from '../../src/connector/confluent/confluent-spec.js';

describe('docs/migrating-from-confluent.md', () => {
  const guide = readFileSync('docs/migrating-from-confluent.md', 'utf8');

  it('has the key table of the current Confluent specs (run `npm run docs` after changing a key)', () => {
    expect(guide).toBe(withConfluentTable(guide));
  });

  it('lists every Confluent key', () => {
    const missing = Object.keys(CONFLUENT_SPEC).filter((key) => !guide.includes(`| \`${key}\` |`));
    expect(missing).toEqual([]);
  });
});

/**
 * The README and docs/: the quick start's two commands, every connector key with its default (the tables are the ones
 * the specs render), and links that lead somewhere (files exist, `#anchors` name a heading of the file they point to).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { GENERATED_BLOCKS, generatedBlocksIn, withConfigTables } from '../../src/cli/config-docs.js';

const DOCS = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const read = (file: string) => readFileSync(file, 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchorsOf(text: string): Set<string> {
  const withoutCode = text.replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!)));
}

/** Every `[text](target)` outside code, as file-relative targets (web links left out). */
function linksOf(text: string): string[] {
  const withoutCode = text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/i.test(t));
}

describe('README and docs/', () => {
  it('have the generated tables of the current specs, each in exactly one file (run `npm run docs` after changing a key)', () => {
    for (const file of DOCS) expect({ file, text: read(file) }).toEqual({ file, text: withConfigTables(read(file)) });
    const holders = GENERATED_BLOCKS.map((block) => [block, DOCS.filter((f) => generatedBlocksIn(read(f)).includes(block))]);
    expect(holders).toEqual(GENERATED_BLOCKS.map((block) => [block, [expect.any(String)]]));
  });

  it('show the quick start commands', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm install && npm run demo');
    expect(readme).toContain('npm test');
  });

  it('link only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const file of DOCS) {
      for (const link of linksOf(read(file))) {
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? file : normalize(join(dirname(file), path));
        if (!existsSync(target)) broken.push(`${file}: ${link} (no such file)`);
        else if (anchor !== undefined && target.endsWith('.md') && !anchorsOf(read(target)).has(anchor)) broken.push(`${file}: ${link} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('keep the README short: what it is, the two commands, running a file, the worker, where to read on', () => {
    expect(read('README.md').split('\n').length).toBeLessThan(150);
    for (const file of DOCS.filter((f) => f !== 'README.md')) expect(read('README.md')).toContain(`](${file})`);
  });
});

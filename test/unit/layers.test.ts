/**
 * The folders of src/ are layers in the data's order; an import may only point to the same folder or one listed
 * before it. This keeps one composition root (connector/) and nothing lower importing it.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const LAYERS = ['common', 'records', 'source', 'decode', 'transform', 'request', 'deliver', 'outcomes', 'connector', 'worker', 'cli'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The layer of a file under src/: its top folder's place in LAYERS; src/index.ts (the public API) is above all. */
function layerOf(file: string): number {
  const top = relative(SRC, file).split('/')[0]!;
  return top === 'index.ts' ? LAYERS.length : LAYERS.indexOf(top);
}

describe('src/ layers', () => {
  const files = sourceFiles(SRC);

  it('has every top folder in the layer list', () => {
    const unknown = files.filter((file) => layerOf(file) < 0).map((file) => relative(SRC, file));
    expect(unknown).toEqual([]);
  });

  it('has no import pointing to a later layer', () => {
    const upward: string[] = [];
    for (const file of files) {
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = normalize(join(dirname(file), match[1]!)).replace(/\.js$/, '.ts');
        if (layerOf(target) > layerOf(file)) upward.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/common/errors.js';
import { fileStateStore } from '../../src/worker/state-store.js';

describe('worker state file', () => {
  it('keeps connectors across a reload, owner-only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    await fileStateStore(dir).save(new Map([['iot', { config: { topics: 'iot' }, paused: true }]]));

    expect(fileStateStore(dir).load()).toEqual(new Map([['iot', { config: { topics: 'iot' }, paused: true }]]));
    expect(statSync(join(dir, 'connectors.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses a damaged file with an error naming it, and leaves it in place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const file = join(dir, 'connectors.json');
    writeFileSync(file, '{"connectors": {"iot": ');

    expect(() => fileStateStore(dir).load()).toThrow(ConfigError);
    expect(() => fileStateStore(dir).load()).toThrow(`the worker state ${file} cannot be read`);
    expect(readFileSync(file, 'utf8')).toBe('{"connectors": {"iot": ');
  });
});

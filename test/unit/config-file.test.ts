/** Files named by config keys are read only when they are regular files of bounded size: a FIFO or device never hangs the process. */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CONFIG_FILE_BYTES, readConfigFile } from '../../src/common/config/config-file.js';
import { connectorSettings } from '../../src/connector/connector-config.js';

const base = { name: 'c', topics: 't', 'http.url': 'https://sink.test/', 'http.authorization.type': 'none' };

describe('files named by config keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-file-'));

  it('reads a regular file', () => {
    writeFileSync(join(dir, 'ok.txt'), 'hello');
    expect(readConfigFile('k', join(dir, 'ok.txt')).toString()).toBe('hello');
  });

  it('refuses a FIFO at once (no writer: reading would block forever), naming the key', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => connectorSettings({ ...base, 'http.ssl.truststore.location': fifo })).toThrow(`http.ssl.truststore.location: cannot read ${fifo}: not a regular file`);
  });

  it('refuses a device and a file over the size bound', () => {
    expect(() => readConfigFile('http.ssl.ca.location', '/dev/zero')).toThrow('http.ssl.ca.location: cannot read /dev/zero: not a regular file');
    const big = join(dir, 'big.pem');
    writeFileSync(big, Buffer.alloc(MAX_CONFIG_FILE_BYTES + 1));
    expect(() => connectorSettings({ ...base, 'http.ssl.ca.location': big })).toThrow(/^http\.ssl\.ca\.location: cannot read .*big\.pem: larger than/);
  });
});

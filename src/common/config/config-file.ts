/**
 * Reads a file a config key names (a PEM file, a key or trust store, a `${file:...}` properties file): only a regular
 * file, at most MAX_CONFIG_FILE_BYTES, so a key naming a FIFO, a device (`/dev/zero`, `/dev/stdin`) or a huge file
 * is a config error naming the key instead of a hung or exhausted process.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { ConfigError } from '../errors.js';

export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/** The file's bytes; a ConfigError naming `key` when it cannot be read, is not a regular file or is too large. */
export function readConfigFile(key: string, path: string): Buffer {
  try {
    return readBoundedFile(path);
  } catch (error) {
    throw new ConfigError(key, (error as Error).message);
  }
}

/** The file's bytes; an Error saying what is wrong (`cannot read <path> (ENOENT)`, not a regular file, too large). */
export function readBoundedFile(path: string): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new Error(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error(`cannot read ${path}: not a regular file`);
    if (stat.size > MAX_CONFIG_FILE_BYTES) throw new Error(`cannot read ${path}: larger than ${MAX_CONFIG_FILE_BYTES} bytes`);
    const content = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, content, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return content.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

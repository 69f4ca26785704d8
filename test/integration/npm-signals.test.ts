/**
 * SIGTERM through npm, as a supervisor sends it: `npm run pipeline -- <file>` must stop the pipeline gracefully (it
 * drains and commits), exit 0, and leave no process behind. npm 11 answers SIGTERM by exiting 143 and leaves a child
 * shell's process running, so the script must `exec` its process (npm then forwards the signal to it and waits).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { baseConnector, bootstrap, committed, eventually, freshTopic } from '../support/harness.js';

const LIMIT_MS = 60_000;

/** The processes below `pid` (children, grandchildren ...) with their command lines, read from /proc. */
function descendants(pid: number): Array<{ pid: number; command: string }> {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8'); // "pid (comm) state ppid ..."
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const found: Array<{ pid: number; command: string }> = [];
  const walk = (parent: number): void => {
    for (const [child, ppid] of parentOf) {
      if (ppid !== parent) continue;
      let command = '';
      try {
        command = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').join(' ').trim();
      } catch {
        // ended meanwhile
      }
      found.push({ pid: child, command });
      walk(child);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run pipeline under a supervisor', () => {
  let receiver: Receiver | undefined;
  let npm: ChildProcessWithoutNullStreams | undefined;
  let pipelinePids: number[] = [];
  afterEach(async () => {
    npm?.kill('SIGKILL');
    for (const pid of pipelinePids.filter(alive)) process.kill(pid, 'SIGKILL'); // orphans: the test failed
    await receiver?.close();
  });

  it('SIGTERM to npm stops the pipeline gracefully: npm exits 0, no process left, what was delivered is committed', async () => {
    const topic = await freshTopic('npm_signals', 1);
    await produce(bootstrap(), topic, [{ value: 'one' }, { value: 'two' }]);
    receiver = await startReceiver();
    const name = `npm_signals_${topic}`;
    const file = join(mkdtempSync(join(tmpdir(), 'connector-')), 'http_sink.json');
    writeFileSync(file, JSON.stringify(baseConnector(name, topic, '${env:SERVER_URL}')));

    npm = spawn('npm', ['run', 'pipeline', '--', file], {
      env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: bootstrap(), SERVER_URL: receiver.url, LOG_LEVEL: 'info' },
    });
    let output = '';
    npm.stdout.on('data', (c: Buffer) => (output += c.toString()));
    npm.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const limit = setTimeout(() => npm?.kill('SIGKILL'), LIMIT_MS);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      npm!.on('exit', (code, signal) => {
        clearTimeout(limit);
        resolve({ code, signal });
      }),
    );

    await receiver.waitForAccepted(2, 30_000);
    // The pipeline's process (and, were the script not exec'ing, the shell in between).
    pipelinePids = descendants(npm.pid!).filter((p) => p.command.includes('kafka-http-sink.mjs run')).map((p) => p.pid);
    expect(pipelinePids.length).toBeGreaterThan(0);
    npm.kill('SIGTERM'); // straight after delivery: the commit is left to the graceful stop

    const exit = await exited;
    await eventually(() => !pipelinePids.some(alive), 5_000, 'the pipeline process to end').catch(() => undefined);
    expect({ exit, left: pipelinePids.filter(alive) }).toEqual({ exit: { code: 0, signal: null }, left: [] });
    expect(output).toContain('SIGTERM received');
    expect(output).toContain('pipeline stopped cleanly');
    expect(await committed(name, topic, 1)).toEqual([2]);
    expect(receiver.requests.map((r) => r.body.toString())).toEqual(['one', 'two']);
  });
});

/** Runs a Node.js script as a user would from a shell, with a time limit, collecting its output and exit code. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `node <args>` with `env` on top of this process's environment. `whileRunning` may talk to the process (it sees
 * the stdout so far) and must end it; if it throws, the process is killed and the run rejects. Killed after `limitMs`
 * (60 s unless given).
 */
export function runNode(
  args: readonly string[],
  env: Record<string, string> = {},
  whileRunning?: (child: ChildProcessWithoutNullStreams, stdout: () => string) => Promise<void>,
  limitMs = 60_000,
): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr });
    });
    void whileRunning?.(child, () => stdout).catch((error: unknown) => {
      child.kill('SIGKILL');
      reject(error as Error);
    });
  });
}

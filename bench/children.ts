/** Starts the bench's child processes (receiver, pipeline) as TypeScript through tsx, and talks to them over IPC. */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { LatencySummary, ReceiverMode, ReceiverReport } from './receiver-protocol.js';

export function forkTs(file: string, args: readonly string[], options: { execArgv?: readonly string[]; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  const path = fileURLToPath(new URL(file, import.meta.url));
  return fork(path, [...args], { execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])], env: options.env ?? process.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** Where a pipeline process takes the sink from: the compiled dist/ under plain node, as users run it, or src/ through tsx. */
export type PipelineFrom = 'dist' | 'src';

/**
 * Forks a bench child that imports the sink (`../src/...`). From `dist`: the file is transpiled once (TypeScript's
 * transpileModule, types erased), its `../src/` imports pointed at the compiled `dist/`, and it runs under plain node
 * with no tsx loaded, as `run` runs from the package; from `src`: through tsx, as before.
 */
export function forkSink(file: string, from: PipelineFrom, args: readonly string[], options: { execArgv?: readonly string[]; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  if (from === 'src') return forkTs(file, args, options);
  const path = compiledAgainstDist(file);
  return fork(path, [...args], { execArgv: [...(options.execArgv ?? [])], env: options.env ?? process.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** dist/index.js when `npm run build` has run, else undefined. */
export function distEntry(): string | undefined {
  const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  return existsSync(entry) ? entry : undefined;
}

function compiledAgainstDist(file: string): string {
  const source = fileURLToPath(new URL(file, import.meta.url));
  const dist = pathToFileURL(fileURLToPath(new URL('../dist/', import.meta.url))).href;
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  });
  const out = fileURLToPath(new URL(`./results/compiled/${file.replace(/^\.\//, '').replace(/\.ts$/, '.mjs')}`, import.meta.url));
  mkdirSync(fileURLToPath(new URL('./results/compiled/', import.meta.url)), { recursive: true });
  writeFileSync(out, outputText.replaceAll("from '../src/", `from '${dist}`));
  return out;
}

/** The next message of `type` from the child, or a rejection when it exits first or after `timeoutMs`. */
export function nextMessage<T>(child: ChildProcess, type: string, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no ${type} message from child after ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: { type?: string }): void => {
      if (message.type === type) done(undefined, message as T);
    };
    const onExit = (code: number | null): void => done(new Error(`child exited (${String(code)}) before sending ${type}`));
    const done = (error?: Error, message?: T): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export interface BenchReceiver {
  readonly url: string;
  setMode(mode: ReceiverMode): Promise<void>;
  measureLatencySince(since: number): Promise<void>;
  report(): Promise<ReceiverReport>;
  latency(): Promise<LatencySummary | undefined>;
  close(): Promise<void>;
}

export async function startBenchReceiver(): Promise<BenchReceiver> {
  const child = forkTs('./receiver-process.ts', []);
  const { port } = await nextMessage<{ port: number }>(child, 'listening');
  const ask = async <T>(command: object, reply: string): Promise<T> => {
    const answer = nextMessage<T>(child, reply);
    child.send(command);
    return answer;
  };
  return {
    url: `http://127.0.0.1:${port}/ingest`,
    setMode: async (mode) => void (await ask({ type: 'mode', mode }, 'ack')),
    measureLatencySince: async (since) => void (await ask({ type: 'latency', since }, 'ack')),
    report: async () => (await ask<{ report: ReceiverReport }>({ type: 'report' }, 'report')).report,
    latency: async () => (await ask<{ latency?: LatencySummary }>({ type: 'report', withLatency: true }, 'report')).latency,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'close' });
      const force = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(force);
    },
  };
}

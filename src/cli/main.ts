/** The `kafka-http-sink` command line: run, worker, validate, kafka; `--help` on each. Exit code as each command says. */
import { HELP } from './help.js';
import { limitHeapGrowth } from './heap-growth.js';
import { reportFailure } from './run-command.js';
import { WORKER_TASK_COMMAND } from '../worker/task-processes.js';

// Each command's module is loaded when it runs: a task process or `run` does not hold the worker's REST server,
// metrics and cluster code in memory (docs/performance.md).

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  limitHeapGrowth();
  const [command, ...args] = argv;
  const print = (text: string): void => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  if (command === undefined || command === '--help' || command === '-h') {
    print(HELP.main!);
    return command === undefined ? 2 : 0;
  }
  if (command === 'help') {
    const text = HELP[args[0] ?? 'main'];
    print(text ?? HELP.main!);
    return text ? 0 : 2;
  }
  // internal: one task process of a worker's connector (tasks.max > 1), started by the worker with an IPC channel
  if (command === WORKER_TASK_COMMAND && args.length === 0) return (await import('../worker/task-process.js')).runWorkerTask();
  const help = HELP[command];
  if (help === undefined || command === 'main') {
    process.stderr.write(`unknown command ${command}; commands: run, worker, validate, offsets, kafka (kafka-http-sink --help)\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    print(help);
    return 0;
  }
  try {
    switch (command) {
      case 'run':
        if (args.length !== 1) return usage(help);
        return await (await import('./run-command.js')).runFromCommandLine(args[0]);
      case 'validate':
        if (args.length !== 1) return usage(help);
        return await (await import('./validate-command.js')).validateCommand(args[0]!, env, print);
      case 'worker':
        return await (await import('./worker-command.js')).workerCommand(args, env);
      case 'offsets':
        return await (await import('./offsets-command.js')).offsetsCommand(args, env, print);
      case 'kafka':
        if (args.length !== 0) return usage(help);
        return await (await import('./kafka-command.js')).kafkaCommand(env);
      default:
        return usage(help);
    }
  } catch (error) {
    return reportFailure(error);
  }
}

function usage(help: string): number {
  process.stderr.write(help);
  return 2;
}

/** `/admin/loggers` reaches task processes (`tasks.max` > 1): a level change sent to a running task changes what it logs. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { baseConnector, bootstrap, eventually, freshTopic } from '../support/harness.js';
import { produce } from '../support/kafka-tools.js';
import { startReceiver } from '../support/receiver.js';

describe('task process log level', () => {
  it('logs DEBUG lines only after the worker sends it the DEBUG level', async () => {
    const topic = await freshTopic('task_log_level', 1);
    const receiver = await startReceiver();
    const child = spawn(process.execPath, ['bin/kafka-http-sink.mjs', 'worker-task'], {
      env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: bootstrap(), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'], // its log goes to stderr
    });
    const limit = setTimeout(() => child.kill('SIGKILL'), 90_000);
    let output = '';
    const colours = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString().replace(colours, ''))); // without colours
    try {
      const messages: { type: string }[] = [];
      child.on('message', (m: { type: string }) => messages.push(m));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.send({ type: 'start', taskId: 0, connector: baseConnector(`level_${topic}`, topic, receiver.url), policy: 'trusted', statisticsIntervalMs: 500, held: false });
      await eventually(() => messages.some((m) => m.type === 'started'), 30_000, 'the task started');
      await produce(bootstrap(), topic, [{ value: 'one' }]);
      await receiver.waitForAccepted(1, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // its commit is done (a DEBUG line, not printed at INFO)
      expect(output).not.toMatch(/ debug /);
      child.send({ type: 'log-level', level: 'debug' });
      await produce(bootstrap(), topic, [{ value: 'two' }]);
      await receiver.waitForAccepted(2, 30_000);
      await eventually(() => / debug offsets committed/.test(output), 20_000, 'the task\'s DEBUG line "offsets committed"');
      child.disconnect();
      expect(await exited).toBe(0);
    } finally {
      clearTimeout(limit);
      await receiver.close();
    }
  });
});

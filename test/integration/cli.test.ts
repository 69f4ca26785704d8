/** The `kafka-http-sink` command line as a user runs it: help on every command, validate's exit codes, the worker. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { bootstrap } from '../support/harness.js';
import { type NodeRun, runNode } from '../support/spawn-node.js';

/** Runs bin/kafka-http-sink.mjs; `whileRunning` may talk to it and must end it (`stop` sends SIGTERM). */
function cli(args: string[], env: Record<string, string> = {}, whileRunning?: (stdout: () => string, stop: () => void) => Promise<void>): Promise<NodeRun> {
  return runNode(['bin/kafka-http-sink.mjs', ...args], env, whileRunning && ((child, stdout) => whileRunning(stdout, () => child.kill('SIGTERM'))));
}

describe('kafka-http-sink command line', () => {
  it('has --help on every command, with the seed\'s examples', async () => {
    const main = await cli(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/Commands:\n {2}run <file\|name>/);
    for (const command of ['run', 'worker', 'validate', 'kafka']) {
      const help = await cli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: kafka-http-sink ${command}`);
      expect(help.stdout).toContain('iot_measurements_sink');
    }
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command frobnicate');
  });

  it('validate lists every problem with its key and exits 2; a valid file exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'iot_measurements_sink', topics: 'iot_measurements', 'http.url': '${env:SERVER_URL}', 'http.timeout': 'soon', 'batch.max.size': 0 }));
    const invalid = await cli(['validate', bad], { SERVER_URL: '' });
    expect(invalid.code).toBe(2);
    expect(invalid.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/bad\.json: http\.url: is required/), // SERVER_URL is empty
      expect.stringMatching(/bad\.json: http\.authorization\.type: is required/),
      expect.stringMatching(/bad\.json: batch\.max\.size: must be a whole number/),
      expect.stringMatching(/bad\.json: http\.timeout: must be a whole number/),
      `${bad}: 4 problem(s)`,
    ]);
    const valid = await cli(['validate', 'pipelines/iot_measurements_sink.json'], { SERVER_URL: 'https://example.com/ingest' });
    expect(valid).toMatchObject({ code: 0, stdout: 'pipelines/iot_measurements_sink.json: valid (connector iot_measurements_sink)\n' });
  });

  it('worker serves the API until SIGTERM, then exits 0', async () => {
    const state = mkdtempSync(join(tmpdir(), 'worker-cli-'));
    const run = await cli(['worker', '--port', '0', '--no-pipelines'], { WORKER_STATE_DIR: state, KAFKA_BOOTSTRAP_SERVERS: bootstrap() }, async (stdout, stop) => {
      const deadline = Date.now() + 30_000;
      while (!/listening on (\S+)/.test(stdout()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const url = /listening on (\S+)/.exec(stdout())?.[1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/health`)).status).toBe(200);
      expect(await (await fetch(`${url}/connectors`)).json()).toEqual([]);
      stop();
    });
    expect(run.code).toBe(0);
  });
});

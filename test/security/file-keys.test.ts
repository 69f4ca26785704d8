/**
 * The attacker can call the worker's REST API and names files in Kafka and HTTP file keys: a FIFO inside the allowed
 * directory (nobody ever writes to it), /dev/ptmx (a device that never answers, through the NUL trick or a link),
 * and links inside the allowed directory that lead outside it. Nothing may be read outside the allowed paths, no
 * answer may tell whether a path exists out there, and nothing may stall: every attempt answers 400 at once, the
 * worker (a real process, as a user runs it) goes on delivering for its other connectors, a kept connector naming
 * the FIFO fails and deletes at once, and SIGTERM stops the worker within a bound.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { produce } from '../support/kafka-tools.js';
import { startReceiver } from '../support/receiver.js';
import { bootstrap, eventually, freshTopic } from '../support/harness.js';
import { runNode } from '../support/spawn-node.js';
import { type ApiAnswer, call, stateOf } from '../support/worker-client.js';

const OUTSIDE_SECRET = 'OUTSIDE-FILE-CONTENT-5e2b';

/** The message of a 400, its time, and that it came within `withinMs`. */
async function refused(url: string, config: Record<string, unknown>, withinMs = 5000): Promise<string> {
  const started = Date.now();
  const answer: ApiAnswer = await call(url, 'POST', '/connectors', config);
  expect(answer.status).toBe(400);
  expect(Date.now() - started).toBeLessThan(withinMs);
  expect(answer.text).not.toContain(OUTSIDE_SECRET);
  return (answer.body as { message: string }).message;
}

describe('file keys an API client names', () => {
  it('FIFO, /dev/ptmx and links leading out are refused at once, say nothing of what lies outside, and stall nothing', async () => {
    const topic = await freshTopic('file_keys', 1);
    const receiver = await startReceiver();
    const dir = mkdtempSync(join(tmpdir(), 'file-keys-'));
    const allowed = join(dir, 'allowed');
    mkdirSync(allowed);
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside', 'ca.pem'), `-----BEGIN CERTIFICATE-----\n${OUTSIDE_SECRET}\n-----END CERTIFICATE-----\n`);
    execFileSync('mkfifo', [join(allowed, 'fifo.pem')]);
    symlinkSync(join(dir, 'outside', 'ca.pem'), join(allowed, 'link-out.pem'));
    symlinkSync(join(dir, 'outside', 'none.pem'), join(allowed, 'link-gone.pem'));
    symlinkSync('/dev/ptmx', join(allowed, 'link-ptmx.pem'));
    const connector = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      name, 'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector', topics: topic, 'http.url': receiver.url, 'http.authorization.type': 'none', ...extra,
    });
    // Kept from before (a state file written under a laxer worker): a connector naming the FIFO.
    const stateDir = join(dir, 'state');
    mkdirSync(stateDir);
    const kept = `kept_${topic}`;
    const keptConfig = connector(kept, { 'kafka.security.protocol': 'SSL', 'kafka.ssl.ca.location': join(allowed, 'fifo.pem') });
    writeFileSync(join(stateDir, 'connectors.json'), JSON.stringify({ version: 1, connectors: { [kept]: { config: keptConfig, paused: false } } }), { mode: 0o600 });

    let stoppedWithinMs = Number.POSITIVE_INFINITY;
    const env = { KAFKA_BOOTSTRAP_SERVERS: bootstrap(), WORKER_CONFIG_PROVIDERS: 'env,file', WORKER_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: allowed, WORKER_STATE_DIR: stateDir };
    const run = await runNode(['bin/kafka-http-sink.mjs', 'worker', '--port', '0', '--no-pipelines'], env, async (child, stdout) => {
      await eventually(() => /listening on (\S+)/.test(stdout()), 45_000, 'the worker listening');
      const url = /listening on (\S+)/.exec(stdout())![1]!;

      // A FIFO inside the allowed directory, four times (as many as libuv has threads to block).
      for (let i = 0; i < 4; i++) {
        expect(await refused(url, connector(`fifo${i}_${topic}`, { 'kafka.security.protocol': 'SSL', 'kafka.ssl.ca.location': join(allowed, 'fifo.pem') })))
          .toMatch(/kafka\.ssl\.ca\.location: cannot read .*fifo\.pem: not a regular file/);
      }
      expect(await refused(url, connector(`fifo_http_${topic}`, { 'http.ssl.ca.location': join(allowed, 'fifo.pem') }))).toMatch(/http\.ssl\.ca\.location: cannot read .*: not a regular file/);
      // /dev/ptmx through the NUL trick, and through a link inside the allowed directory.
      for (let i = 0; i < 4; i++) {
        expect(await refused(url, connector(`ptmx${i}_${topic}`, { 'kafka.security.protocol': 'SSL', 'kafka.ssl.ca.location\u0000': '/dev/ptmx' })))
          .toContain('kafka.ssl.ca.location\\u0000: the name holds a control character');
      }
      const notInside = (file: string, key: string): string => `${key}: may not read ${join(allowed, file)}: no such file inside the allowed paths ${allowed}`;
      for (const key of ['kafka.ssl.ca.location', 'consumer.override.ssl.certificate.location', 'http.ssl.ca.location']) {
        // The same answer for a link to a file that exists outside, to one that does not, and to a device.
        for (const file of ['link-out.pem', 'link-gone.pem', 'link-ptmx.pem']) {
          expect(await refused(url, connector(`link_${topic}`, { 'kafka.security.protocol': 'SSL', [key]: join(allowed, file) }))).toContain(notInside(file, key));
        }
      }

      // The kept connector naming the FIFO fails (it never reached librdkafka) and its DELETE answers at once.
      await eventually(async () => (await stateOf(url, kept)) === 'FAILED', 30_000, 'kept FIFO connector FAILED');
      const deleteStarted = Date.now();
      expect((await call(url, 'DELETE', `/connectors/${kept}`)).status).toBe(204);
      expect(Date.now() - deleteStarted).toBeLessThan(5000);

      // The worker goes on: a new connector starts and delivers, /health answers.
      expect((await call(url, 'POST', '/connectors', connector(`good_${topic}`))).status).toBe(201);
      await produce(bootstrap(), topic, [{ key: '1', value: '{"n":1}' }, { key: '2', value: '{"n":2}' }]);
      await receiver.waitForAccepted(2, 60_000);
      expect((await call(url, 'GET', '/health')).status).toBe(200);

      const stopping = Date.now();
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => child.once('exit', () => resolve()));
      stoppedWithinMs = Date.now() - stopping;
    }, 110_000); // its own waits allow more than runNode's default 60 s (45 s alone to listen); under the test's 120 s
    await receiver.close();
    expect(run.code).toBe(0);
    expect(stoppedWithinMs).toBeLessThan(20_000);
    expect(run.stdout + run.stderr).not.toContain(OUTSIDE_SECRET);
  });
});

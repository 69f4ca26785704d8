/**
 * The attacker names connectors and writes records so that a URL parser rewrites a path: `..`, `.`, a 100,000-character
 * name, `/` and control characters are refused at create with a 400 naming the problem (a stored odd name from an
 * older version is still deleted through its encoded path); a record key `..` in `http.url`'s path template is
 * dead-lettered instead of reaching another path of the host; `/ready` without the API's credentials tells no names.
 */
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Secret } from '../../src/common/config/secret.js';
import { bootstrap, committedIs, eventually, freshTopic } from '../support/harness.js';
import { createTopic, produce, readTopic } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { call, closeAfterEach, startTestWorker, tempStateDir } from '../support/worker-client.js';
import type { Worker } from '../../src/worker/worker.js';

const TOKEN = 'api-token-5e11';
const AUTH = { authorization: `Bearer ${TOKEN}` };

function connector(name: string, topic: string, url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, 'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector', topics: topic, 'http.url': url, 'http.authorization.type': 'none', ...extra };
}

/** A request whose path is sent exactly as given (fetch and `new URL` would resolve `%2E%2E`). */
function rawCall(base: string, method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers, timeout: 20_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('connector names, URL paths and /ready', () => {
  let worker: Worker | undefined;
  let receiver: Receiver | undefined;
  closeAfterEach(() => [worker, receiver], () => (worker = receiver = undefined));

  it('refuses names that leave their path segment, deletes a stored one, and keeps /ready\'s details behind the credentials', async () => {
    const topic = await freshTopic('sec_names', 1);
    // A connector named `..` that an older version accepted and stored.
    const stateDir = tempStateDir();
    const odd = connector('..', topic, 'http://127.0.0.1:9/');
    writeFileSync(join(stateDir, 'connectors.json'), JSON.stringify({ version: 1, connectors: { '..': { config: odd, paused: false } } }));
    worker = await startTestWorker({ stateDir, auth: { token: new Secret(TOKEN) } });

    const refused: [string, RegExp][] = [
      ['..', /^Connector name may not be "\.\.": URL parsers remove it/],
      ['.', /^Connector name may not be "\.": URL parsers remove it/],
      ['n'.repeat(100_000), /^Connector name is 100000 characters long; a connector name has at most 249$/],
      ['a/b', /^Connector name may only contain letters, digits, "\.", "_" and "-" \(no "\/", spaces or control characters\)$/],
      ['a\u0007b', /^Connector name may only contain letters, digits/],
    ];
    for (const [name, message] of refused) {
      const answer = await call(worker.url, 'POST', '/connectors', connector(name, topic, 'http://127.0.0.1:9/'), AUTH);
      expect({ name: name.slice(0, 10), status: answer.status }).toEqual({ name: name.slice(0, 10), status: 400 });
      expect((answer.body as { message: string }).message).toMatch(message);
    }
    expect((await rawCall(worker.url, 'PUT', '/connectors/%2E/config', AUTH)).status).toBe(400);
    expect((await call(worker.url, 'GET', '/connectors', undefined, AUTH)).body).toEqual(['..']);

    // The stored `..` fails at start (its name is refused now): /ready says so, naming it only to a caller with credentials.
    // (503 comes while it is still starting too: the wait is for its start to have failed)
    const failedDetails = JSON.stringify({ status: 'not ready', connectors: { '..': 'FAILED' } });
    await eventually(async () => JSON.stringify((await call(worker!.url, 'GET', '/ready', undefined, AUTH)).body) === failedDetails, 30_000, '/ready to say the stored `..` FAILED');
    const anonymous = await call(worker.url, 'GET', '/ready');
    expect(anonymous.body).toEqual({ status: 'not ready' });
    expect((await call(worker.url, 'GET', '/ready', undefined, { authorization: 'Bearer wrong' })).body).toEqual({ status: 'not ready' });
    expect((await call(worker.url, 'GET', '/ready', undefined, AUTH)).body).toEqual({ status: 'not ready', connectors: { '..': 'FAILED' } });

    // Deleted through its encoded path, sent as it is.
    expect((await rawCall(worker.url, 'DELETE', '/connectors/%2E%2E', AUTH)).status).toBe(204);
    expect((await call(worker.url, 'GET', '/connectors', undefined, AUTH)).body).toEqual([]);
    expect((await call(worker.url, 'GET', '/ready')).body).toEqual({ status: 'ready' });
  });

  it.each([
    ['renders `.` or `..` into the URL path', 'paths', '/items/${key}'],
    ['is `..` after a backslash in the template (WHATWG URL reads `\\` as `/` in an http URL)', 'bslash', '/items\\${key}'],
  ])('dead-letters a record whose key %s; the host sees only its own path', async (_case, prefix, path) => {
    const topic = await freshTopic(`sec_${prefix}`, 1);
    const dlq = `${topic}_dlq`;
    await createTopic(bootstrap(), dlq, 1);
    receiver = await startReceiver();
    worker = await startTestWorker();
    const name = `${prefix}_${topic}`;
    await produce(bootstrap(), topic, ['a', '..', '.', 'b'].map((key) => ({ key, value: `v-${key}` })));
    const config = connector(name, topic, `${receiver.url}${path}`, {
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
    });
    expect((await call(worker.url, 'POST', '/connectors', config)).status).toBe(201);

    await eventually(() => committedIs(name, topic, 4), 60_000, 'all four records committed');
    const dead = await readTopic(bootstrap(), dlq, 2);
    expect(dead.map((d) => d.key?.toString())).toEqual(['..', '.']);
    expect(receiver.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/items/a'],
      ['POST', '/items/b'],
    ]);
  });
});

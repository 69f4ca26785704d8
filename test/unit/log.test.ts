import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import winston from 'winston';
import { Secret } from '../../src/common/config/secret.js';
import { createLogger, type LoggerOptions } from '../../src/common/log.js';

/** A logger writing to memory; `written(n)` resolves with the output once the transport logged n entries. */
function capture(options: LoggerOptions): { log: winston.Logger; written: (entries: number) => Promise<string[]> } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const transport = new winston.transports.Stream({ stream });
  let logged = 0;
  const waiting: (() => void)[] = [];
  transport.on('logged', () => {
    logged += 1;
    waiting.splice(0).forEach((wake) => wake());
  });
  const written = async (entries: number): Promise<string[]> => {
    while (logged < entries) await new Promise<void>((resolve) => waiting.push(resolve));
    return lines;
  };
  return { log: createLogger({ ...options, transports: [transport] }), written };
}

describe.each(['text', 'json'] as const)('createLogger (%s format)', (format) => {
  it('redacts values under secret-looking keys at any depth, and Secret instances anywhere', async () => {
    const { log, written } = capture({ format });

    log.warn('request refused', {
      authorization: 'Bearer x-top-level',
      request: { url: 'http://sink.test/ingest', headers: { Authorization: 'Bearer x-nested', 'X-Env': 'prod' } },
      credentials: [{ password: 'hunter2' }],
      header: new Secret('s3cret-instance'),
      topic: 'iot_measurements',
    });
    const output = (await written(1)).join('');

    expect(output).toContain('request refused');
    expect(output).toContain('iot_measurements');
    expect(output).toContain('http://sink.test/ingest');
    expect(output).toContain('[redacted]');
    for (const secret of ['Bearer x-top-level', 'Bearer x-nested', 'hunter2', 's3cret-instance']) expect(output).not.toContain(secret);
  }, 5000);

  it('writes the level, message, fields and default meta, and drops entries below the level', async () => {
    const { log, written } = capture({ format, level: 'info', defaultMeta: { connector: 'iot_sink' } });

    log.debug('not shown at info level');
    log.info('partitions assigned', { partitions: ['iot/0', 'iot/1'] });
    const lines = await written(1);

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/info/);
    expect(lines[0]).toContain('partitions assigned');
    expect(lines[0]).toContain('iot_sink');
    expect(lines[0]).toContain('iot/1');
  }, 5000);
});

describe('createLogger (json format)', () => {
  it('writes one parseable JSON object per entry, secrets replaced', async () => {
    const { log, written } = capture({ format: 'json' });

    log.info('sending', { headers: { authorization: 'Bearer abc' }, offset: 7 });
    const [line] = await written(1);

    expect(JSON.parse(line!)).toMatchObject({ level: 'info', message: 'sending', headers: { authorization: '[redacted]' }, offset: 7 });
  }, 5000);
});

describe('createLogger with errors in the fields', () => {
  it('keeps the message and code of an Error (regression: redaction dropped non-enumerable fields)', async () => {
    const { log, written } = capture({ format: 'json', level: 'info' });
    const error = Object.assign(new Error('delivery failed for topic iot partition 0 offset 3: HTTP 400'), { code: 'DELIVERY_FAILED' });
    log.error('pipeline stopped', { error });
    const [line] = await written(1);
    expect(JSON.parse(line!)).toMatchObject({ error: { message: 'delivery failed for topic iot partition 0 offset 3: HTTP 400', code: 'DELIVERY_FAILED' } });
  });
});

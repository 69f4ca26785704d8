/** Reporting topics: one record per input record, to the result or the error topic, committed after the report. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { produce, readTopic } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { RunningPipeline } from '../../src/connector/startPipeline.js';
import { baseConnector, bootstrap, committedIs, eventually, freshTopic, runConnector } from '../support/harness.js';

describe('reporting topics', () => {
  let receiver: Receiver | undefined;
  let running: RunningPipeline | undefined;
  afterEach(async () => {
    await running?.stop();
    await receiver?.close();
  });

  it('reports delivered records with the response and dropped ones with the error', async () => {
    const topic = await freshTopic('report', 1);
    const results = await freshTopic('report_ok', 1);
    const errors = await freshTopic('report_err', 1);
    await produce(bootstrap(), topic, [
      { key: 'a', value: 'good' },
      { key: 'b', value: 'bad' },
      { key: 'c', value: 'good' },
    ]);
    receiver = await startReceiver({ respond: (r) => (r.body.toString() === 'bad' ? { status: 422, body: 'no' } : { status: 201, body: 'y'.repeat(50) }) });
    const name = `report_${topic}`;
    running = await runConnector({
      ...baseConnector(name, topic, receiver.url),
      'behavior.on.status.error': 'drop',
      'reporter.result.topic.name': results,
      'reporter.error.topic.name': errors,
      'reporter.response.body.max.bytes': 10,
    });

    await eventually(() => committedIs(name, topic, 3), 30_000, 'all three committed');
    const ok = await readTopic(bootstrap(), results, 2);
    const failed = await readTopic(bootstrap(), errors, 1);
    expect(ok.map((r) => [r.key?.toString(), JSON.parse(r.value!.toString()), r.headers])).toEqual(
      [0, 2].map((offset) => [
        offset === 0 ? 'a' : 'c',
        { status: 201, body: 'yyyyyyyyyy', attempts: 1 },
        { 'input.topic': topic, 'input.partition': '0', 'input.offset': String(offset), 'input.key': offset === 0 ? 'a' : 'c' },
      ]),
    );
    expect(JSON.parse(failed[0]!.value!.toString())).toMatchObject({ status: 422, body: 'no', error: expect.stringContaining('HTTP 422') });
    expect(failed[0]!.headers['input.offset']).toBe('1');
  });
});

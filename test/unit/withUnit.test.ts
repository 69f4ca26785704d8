/** The example custom operator shipped in pipelines/operators. */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom, of } from 'rxjs';
import { withUnit } from '../../pipelines/operators/withUnit.js';
import type { SinkRecord } from '../../src/index.js';

const record = (value: unknown): SinkRecord => ({
  topic: 'iot_measurements',
  partition: 0,
  offset: 0,
  timestamp: undefined,
  headers: [],
  key: '1',
  value,
  raw: { key: Buffer.from('1'), value: Buffer.from(JSON.stringify(value)) },
  handle: { ack: () => {} },
});

describe('withUnit', () => {
  it('adds the unit of known metrics and null for others, keeping the rest of the record', async () => {
    const input = [
      record({ iot_id: 1, metric: 'Temperature', measurement: 14 }),
      record({ iot_id: 2, metric: 'Humidity', measurement: 60 }),
      record({ iot_id: 3, metric: 'Radiation', measurement: 1 }),
    ];
    const output = await firstValueFrom(of(input).pipe(withUnit()));
    expect(output.map((r) => r.value)).toEqual([
      { iot_id: 1, metric: 'Temperature', measurement: 14, unit: 'Cel' },
      { iot_id: 2, metric: 'Humidity', measurement: 60, unit: '%RH' },
      { iot_id: 3, metric: 'Radiation', measurement: 1, unit: null },
    ]);
    expect(output[0]!.handle).toBe(input[0]!.handle);
    expect(output[0]!.raw).toBe(input[0]!.raw);
  });
});

import { describe, expect, it } from '@jest/globals';
import { DeliveryError, describeRecords, HttpStatusError } from '../../src/common/errors.js';

const ref = (partition: number, offset: number, topic = 'iot') => ({ topic, partition, offset });

describe('describeRecords', () => {
  it('names a single record by topic, partition and offset', () => {
    expect(describeRecords([ref(0, 5)])).toBe('topic iot partition 0 offset 5');
  });

  it('gives the offset range of the records of one partition, whatever their order', () => {
    expect(describeRecords([ref(0, 9), ref(0, 5), ref(0, 7)])).toBe('topic iot partition 0 offsets 5-9');
  });

  it('lists each partition and topic separately, in the order first seen', () => {
    const text = describeRecords([ref(1, 3), ref(0, 5), ref(1, 4), ref(0, 9), ref(0, 2, 'alerts')]);

    expect(text).toBe('topic iot partition 1 offsets 3-4, topic iot partition 0 offsets 5-9, topic alerts partition 0 offset 2');
  });

  it('is what a DeliveryError message names', () => {
    const error = new DeliveryError([ref(2, 10), ref(2, 11)], 3, new HttpStatusError(503, 'busy', true));

    expect(error.message).toMatch(/topic iot partition 2 offsets 10-11 .*3 attempt.*HTTP 503: busy/);
    expect(error).toMatchObject({ code: 'DELIVERY_FAILED', retriable: false, attempts: 3 });
  });
});

/** After a router renames topics, ordering and idempotency keys still follow the partition the record was read from. */
import { describe, expect, it } from '@jest/globals';
import { of } from 'rxjs';
import { orderingKey } from '../../../src/request/ordering.js';
import { idempotencyKey } from '../../../src/request/request-builder.js';
import { regexRouter } from '../../../src/transform/regexRouter.js';
import type { SinkRecord } from '../../../src/records/record.js';
import { sinkRecord } from '../fakes.js';

async function routed(records: SinkRecord[]): Promise<SinkRecord[]> {
  let out: SinkRecord[] = [];
  of(records).pipe(regexRouter({ regex: '(orders|refunds)', replacement: 'all' })).subscribe((r) => (out = r));
  return out;
}

describe('routers and ordering', () => {
  it('keeps one ordering key per source partition, and distinct idempotency keys for merged topics', async () => {
    const [a, b] = await routed([sinkRecord({ topic: 'orders', partition: 0, offset: 7 }), sinkRecord({ topic: 'refunds', partition: 0, offset: 7 })]);
    expect([a!.topic, b!.topic]).toEqual(['all', 'all']);
    const byPartition = orderingKey('partition');
    expect(byPartition(a!)).toBe('orders/0');
    expect(byPartition(b!)).toBe('refunds/0');
    expect(idempotencyKey([a!])).not.toBe(idempotencyKey([b!]));
  });
});

describe('routers and what failures name', () => {
  it('dead letters, report headers and error text name the topic the record was read from', async () => {
    const { deadLetterMessage } = await import('../../../src/outcomes/dead-letters.js');
    const { HttpStatusError, describeRecords } = await import('../../../src/common/errors.js');
    const [record] = await routed([sinkRecord({ topic: 'orders', partition: 2, offset: 9 })]);
    expect(record!.topic).toBe('all');
    const error = new HttpStatusError(400, 'bad', false);
    const message = deadLetterMessage({ record: record!, error }, { connector: 'c', contextHeaders: true });
    const topicHeader = message.headers.find((h) => '__connect.errors.topic' in h);
    expect(topicHeader?.['__connect.errors.topic']?.toString()).toBe('orders');
    expect(describeRecords([record!])).toContain('orders');
    expect(describeRecords([record!])).not.toContain('all');
  });
});

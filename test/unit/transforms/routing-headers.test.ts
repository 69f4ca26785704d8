/**
 * TimestampRouter, RegexRouter, Filter, InsertHeader, DropHeaders, HeaderFrom and the predicates TopicNameMatches,
 * HasHeaderKey, RecordIsTombstone. Expected behaviour from Kafka Connect's documentation
 * (https://kafka.apache.org/documentation/#connect_included_transformation and #connect_predicates) and Confluent's
 * SMT reference pages for the same classes.
 */
import { describe, expect, it } from '@jest/globals';
import { lastValueFrom, map, of } from 'rxjs';
import { commit } from '../../../src/outcomes/commit.js';
import { PartitionTracker } from '../../../src/source/offset-tracker.js';
import { dropHeaders } from '../../../src/transform/dropHeaders.js';
import { filter } from '../../../src/transform/filter.js';
import { headerFrom } from '../../../src/transform/headerFrom.js';
import { insertHeader } from '../../../src/transform/insertHeader.js';
import { hasHeaderKey, recordIsTombstone, topicNameMatches } from '../../../src/transform/predicates.js';
import { regexRouter } from '../../../src/transform/regexRouter.js';
import { timestampRouter } from '../../../src/transform/timestampRouter.js';
import { compileUrlTemplate } from '../../../src/request/template.js';
import { sinkRecord } from '../fakes.js';
import { i64, runOn, str, struct } from './run.js';

const h = (key: string, value: string) => ({ key, value: Buffer.from(value) });

describe('routers (Connect docs: TimestampRouter and RegexRouter update the record topic)', () => {
  it('TimestampRouter: topic.format with ${topic} and ${timestamp}; the handle and offset stay the source record\'s', async () => {
    const tracker = new PartitionTracker('iot', 0);
    tracker.track(5);
    const [out] = await runOn(timestampRouter({ timestampFormat: 'yyyy.MM' }), [sinkRecord({ offset: 5, timestamp: Date.UTC(2024, 1, 3), handle: tracker })]);
    expect(out!.topic).toBe('iot-2024.02');
    expect(out!.offset).toBe(5);
    await lastValueFrom(of({ records: [out!] }).pipe(commit()));
    expect(tracker.committable()).toBe(6);
  });

  it('RegexRouter: a whole match is replaced ($1 groups); ${topic} in a URL template renders the new topic', async () => {
    const out = await runOn(regexRouter({ regex: '(.*)-raw', replacement: 'clean-$1' }), [sinkRecord({ offset: 0, topic: 'orders-raw' }), sinkRecord({ offset: 1, topic: 'orders-raw-x' })]);
    expect(out.map((r) => r.topic)).toEqual(['clean-orders', 'orders-raw-x']);
    expect(compileUrlTemplate('http://127.0.0.1/${topic}').render(out[0]!)).toBe('http://127.0.0.1/clean-orders');
  });

  it('a record without a timestamp is a record error for TimestampRouter', async () => {
    await expect(runOn(timestampRouter(), [sinkRecord({ offset: 4 })])).rejects.toThrow(/offset 4: the record has no timestamp/);
  });
});

describe('Filter with predicates (Connect docs: Filter drops records, used with a predicate; negate inverts it)', () => {
  it('drops tombstones and acknowledges them, so the offset moves past them once the rest is delivered', async () => {
    const tracker = new PartitionTracker('iot', 0);
    for (const o of [0, 1, 2]) tracker.track(o);
    const poll = [sinkRecord({ offset: 0, value: 'a', handle: tracker }), sinkRecord({ offset: 1, value: null, handle: tracker }), sinkRecord({ offset: 2, value: 'c', handle: tracker })];
    const kept = await runOn(filter({ predicate: recordIsTombstone() }), poll);
    expect(kept.map((r) => r.offset)).toEqual([0, 2]);
    await lastValueFrom(of(kept).pipe(map((records) => ({ records })), commit()));
    expect(tracker.committable()).toBe(3);
  });

  it('negate keeps only the matching topics; HasHeaderKey looks at header names', async () => {
    const records = [sinkRecord({ offset: 0, topic: 'keep-1' }), sinkRecord({ offset: 1, topic: 'other', headers: [h('debug', '1')] })];
    expect((await runOn(filter({ predicate: topicNameMatches({ pattern: 'keep-.*' }), negate: true }), records)).map((r) => r.offset)).toEqual([0]);
    expect((await runOn(filter({ predicate: hasHeaderKey({ name: 'debug' }) }), records)).map((r) => r.offset)).toEqual([0]);
  });
});

describe('headers (Connect docs: InsertHeader, DropHeaders, HeaderFrom)', () => {
  it('InsertHeader adds a literal, DropHeaders removes every header of a name', async () => {
    const [added] = await runOn(insertHeader({ header: 'source', valueLiteral: 'kafka' }), [sinkRecord({ offset: 0, headers: [h('a', '1'), h('b', '2'), h('a', '3')] })]);
    expect(added!.headers.map((x) => `${x.key}=${x.value.toString()}`)).toEqual(['a=1', 'b=2', 'a=3', 'source=kafka']);
    const [dropped] = await runOn(dropHeaders({ headers: ['a'] }), [added!]);
    expect(dropped!.headers.map((x) => x.key)).toEqual(['b', 'source']);
  });

  it('HeaderFrom copy (schemaless) and move (with a schema: the field leaves the schema too)', async () => {
    const [copied] = await runOn(headerFrom({ fields: ['id', 'tags'], headers: ['x-id', 'x-tags'], operation: 'copy' }), [sinkRecord({ offset: 0, value: { id: 7, tags: ['a'] } })]);
    expect(copied!.headers.map((x) => `${x.key}=${x.value.toString()}`)).toEqual(['x-id=7', 'x-tags=["a"]']);
    expect(copied!.value).toEqual({ id: 7, tags: ['a'] });
    const schema = struct({ id: i64(), trace: str() });
    const [moved] = await runOn(headerFrom({ fields: ['trace'], headers: ['trace-id'], operation: 'move' }), [sinkRecord({ offset: 1, value: { id: 1, trace: 't-1' }, valueSchema: schema })]);
    expect(moved!.value).toEqual({ id: 1 });
    expect(moved!.valueSchema).toEqual(struct({ id: i64() }));
    expect(moved!.headers[0]!.value.toString()).toBe('t-1');
  });
});

/**
 * A record's key, value or topic rendered into `http.url`'s path stays inside its segment: a rendered `.` or `..`
 * (or `%2e` for a dot) is refused for that record (regression: a record value `..` sent the request to another path
 * of the host).
 */
import { describe, expect, it } from '@jest/globals';
import { lastValueFrom, of, toArray } from 'rxjs';
import { TransformError } from '../../src/common/errors.js';
import type { FailedRecord } from '../../src/records/outcome.js';
import { checkUrls } from '../../src/request/checkUrls.js';
import { buildRequests } from '../../src/request/request-builder.js';
import { compileUrlTemplate, dotSegment } from '../../src/request/template.js';
import { sinkRecord } from './fakes.js';

describe('URL templates and dot segments', () => {
  it.each([
    ['http://h/items/${key}', '..', '..'],
    ['http://h/items/${key}', '.', '.'],
    ['http://h/items/${key}/x', '..', '..'],
    ['http://h/items/%2e${key}', '.', '%2e.'],
    ['http://h/items/%2E${key}', '.', '%2E.'],
    ['http://h/items/${key}${value.k}', '.', '..'],
  ])('refuses %s with key %s (segment %s)', (url, key, segment) => {
    const record = sinkRecord({ offset: 7, key, value: { k: '.' } });
    const render = (): string => compileUrlTemplate(url).render(record);
    expect(render).toThrow(TransformError);
    expect(render).toThrow(`the URL template renders the path segment "${segment}"`);
    expect(render).toThrow(/offset 7|\/7/);
  });

  it.each([
    ['http://h/items/${key}', '...'],
    ['http://h/items/${key}', 'a..b'],
    ['http://h/items/${key}', '%2e%2e'], // encoded to %252e%252e: a literal text, not a dot
    ['http://h/items/${key}', '../x'], // the slash is encoded: one segment
    ['http://h/items?k=${key}', '..'], // the query is not a path
    ['http://h/items/x#${key}', '..'],
  ])('sends %s with key %s as one segment', (url, key) => {
    const rendered = compileUrlTemplate(url).render(sinkRecord({ offset: 1, key, value: 'v' }));
    expect(new URL(rendered).pathname.startsWith('/items')).toBe(true);
    expect(dotSegment(new URL(rendered).pathname)).toBeUndefined();
  });

  it('leaves a URL without a template alone', () => {
    expect(compileUrlTemplate('http://h/a/../b').render(sinkRecord({ offset: 1, key: '..', value: 'v' }))).toBe('http://h/a/../b');
  });

  it('dead-letters the refused record before batching and passes the others (checkUrls)', async () => {
    const handled: FailedRecord[] = [];
    const deadLetters = { handle: async (failed: readonly FailedRecord[]) => void handled.push(...failed) };
    const records = ['a', '..', 'b', '.'].map((key, offset) => sinkRecord({ offset, key, value: 'v' }));
    const out = await lastValueFrom(of(records).pipe(checkUrls('http://h/items/${key}', { onError: 'dlq', deadLetters }), toArray()));
    expect(out.flat().map((r) => r.key)).toEqual(['a', 'b']);
    expect(handled.map((f) => [f.record.offset, f.error.code])).toEqual([
      [1, 'TRANSFORM_FAILED'],
      [3, 'TRANSFORM_FAILED'],
    ]);
    await expect(lastValueFrom(of(records).pipe(checkUrls('http://h/items/${key}', { onError: 'fail' })))).rejects.toThrow(/path segment "\.\."/);
  });

  it('renders a templated URL once per record: checkUrls, the grouping and the request share it', async () => {
    let reads = 0;
    const key = (id: string): object => ({ get id() { return (reads += 1), id; } }); // read only by the URL template
    const records = ['a', 'b', 'a'].map((id, offset) => sinkRecord({ offset, key: key(id), value: 'v' }));
    const url = 'http://h/items/${key}';
    const [checked] = await lastValueFrom(of(records).pipe(checkUrls(url), toArray()));
    const requests = buildRequests(checked!, { url, headers: {}, batching: true, prefix: '[', separator: ',', suffix: ']' });
    const at = (id: string): string => `http://h/items/${encodeURIComponent(`{"id":"${id}"}`)}`;
    expect(requests.map((r) => [r.url, r.records.map((x) => x.offset)])).toEqual([
      [at('a'), [0, 2]],
      [at('b'), [1]],
    ]);
    expect(reads).toBe(3);
  });
});

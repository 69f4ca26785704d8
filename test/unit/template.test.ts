import { describe, expect, it } from '@jest/globals';
import { compileTemplate, compileUrlTemplate } from '../../src/request/template.js';
import { sinkRecord } from './fakes.js';

const record = sinkRecord({ topic: 'orders', partition: 3, offset: 42, key: 'a/b?c=d&e', value: { customer: { id: 'c 7', tier: 2 }, items: [1, 2] } });

describe('record templates', () => {
  it('fills topic, partition, offset, key and value fields', () => {
    expect(compileTemplate('${topic}|${partition}|${offset}|${key}|${value.customer.id}|${value.customer.tier}|${value.items}').render(record)).toBe(
      'orders|3|42|a/b?c=d&e|c 7|2|[1,2]',
    );
  });

  it('renders a missing field, a null key and a non-object value path as empty', () => {
    const plain = sinkRecord({ offset: 1, key: null, value: 'text' });

    expect(compileTemplate('[${key}][${value.customer.id}][${value.x}]').render(plain)).toBe('[][][]');
  });

  it('leaves a text without placeholders as it is', () => {
    const template = compileTemplate('X-Static');

    expect(template.dynamic).toBe(false);
    expect(template.render(record)).toBe('X-Static');
  });

  it.each(['${nope}', '${value}x${keys}', '${}'])('rejects the unknown placeholder in %s', (text) => {
    expect(() => compileTemplate(text)).toThrow(/is not a template field/);
  });
});

describe('URL templates', () => {
  it('percent-encodes values, so a / or ? in a key stays in its path segment', () => {
    expect(compileUrlTemplate('http://sink.test/orders/${key}?p=${partition}&c=${value.customer.id}').render(record)).toBe(
      'http://sink.test/orders/a%2Fb%3Fc%3Dd%26e?p=3&c=c%207',
    );
  });

  it.each(['http://${topic}.sink.test/', 'http://sink.test:${partition}/x', '${value.scheme}://sink.test/'])('refuses a template in the scheme, host or port: %s', (url) => {
    expect(() => compileUrlTemplate(url)).toThrow(/only the path and query/);
  });
});

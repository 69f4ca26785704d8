import { describe, expect, it } from '@jest/globals';
import { whatToDo } from '../../src/common/error-hints.js';
import { ConfigError, DeliveryError, HttpNetworkError, HttpStatusError, KafkaError, NullValueError } from '../../src/common/errors.js';

const records = [{ topic: 'iot', partition: 0, offset: 7 }];

describe('whatToDo', () => {
  it('tells a refused record (not retried) from an endpoint that kept failing', () => {
    expect(whatToDo(new DeliveryError(records, 1, new HttpStatusError(400, 'bad', false)))).toMatch(/^the endpoint refused these records \(HTTP 400\).*errors\.tolerance=all/);
    expect(whatToDo(new DeliveryError(records, 3, new HttpStatusError(503, '', true)))).toMatch(/^the endpoint kept failing.*raise max\.retries/);
    expect(whatToDo(new DeliveryError(records, 3, new HttpNetworkError('ECONNREFUSED', 'refused')))).toMatch(/^the endpoint kept failing/);
  });

  it('has a sentence for the other kinds, naming the keys that change the outcome', () => {
    expect(whatToDo(new NullValueError(records[0]!))).toContain('behavior.on.null.values');
    expect(whatToDo(new ConfigError('http.url', 'is required'))).toContain('fix the key');
    expect(whatToDo(new KafkaError('all brokers down', true))).toContain('bootstrap.servers');
  });

  it('says nothing about errors that are not the sink own', () => {
    expect(whatToDo(new Error('boom'))).toBeUndefined();
    expect(whatToDo('boom')).toBeUndefined();
  });
});

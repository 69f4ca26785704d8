/** A Kafka Connect worker file: `listeners` gives host and port; keys with no meaning here are named with a reason. */
import { describe, expect, it } from '@jest/globals';
import { workerFileWarnings, workerOptions } from '../../src/worker/worker-config.js';

describe('worker file keys', () => {
  it('takes host and port from listeners, as Connect does, over rest.port', () => {
    const options = workerOptions({}, {}, { listeners: 'http://127.0.0.1:8089', 'rest.port': '8085' });
    expect([options.host, options.port]).toEqual(['127.0.0.1', 8089]);
    expect(workerOptions({ WORKER_API_TOKEN: 't' }, {}, { listeners: 'http://:8084' }).host).toBe('0.0.0.0');
    expect(workerOptions({}, {}, { listeners: 'http://[::1]:8084,http://127.0.0.1:9' }).host).toBe('::1');
  });

  it('refuses an https listener and a malformed one, naming listeners', () => {
    expect(() => workerOptions({}, {}, { listeners: 'https://0.0.0.0:8443' })).toThrow(/listeners.*https listeners are not supported/);
    expect(() => workerOptions({}, {}, { listeners: '0.0.0.0:8083' })).toThrow(/listeners.*not protocol:\/\/host:port/);
  });

  it('warns of Java-only keys with a reason, and of unknown ones, but not of keys it uses', () => {
    const warnings = workerFileWarnings({
      'group.id': 'g',
      'bootstrap.servers': 'localhost:9092',
      'config.storage.topic': 'c',
      'rest.port': '8083',
      'plugin.path': '/opt/connectors',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'offset.flush.interval.ms': '10000',
      'sasl.mechanism': 'PLAIN',
      'grup.id': 'typo',
    });
    expect(warnings).toEqual([
      'worker file key plugin.path is ignored: there are no plugins to load: the HTTP sink is built in',
      'worker file key key.converter is ignored: worker-level converter defaults are not applied: set key.converter/value.converter in each connector config',
      'worker file key offset.flush.interval.ms is ignored: set offset.flush.interval.ms in each connector config (sinks commit per connector)',
      'worker file key grup.id is ignored: not a key this worker knows (a typo?)',
    ]);
  });
});

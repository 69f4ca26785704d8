/**
 * Kafka Connect 3.9's framework keys (SinkConnectorConfig: every sink connector accepts them): a Connect file keeps
 * them; each is honoured, or refused with the reason.
 */
import { describe, expect, it } from '@jest/globals';
import { connectorSettings } from '../../src/connector/connector-config.js';
import { configErrorOf as errorOf } from './fakes.js';

const BASE = { name: 'c', topics: 't', 'http.url': 'http://127.0.0.1:9/', 'http.authorization.type': 'none' };

/** SinkConnectorConfig.configDef() of Connect 3.9.1, every key at its default (printed by running Connect's class). */
const CONNECT_DEFAULTS = {
  'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector',
  'tasks.max': '1',
  'tasks.max.enforce': 'true',
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'header.converter': 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
  transforms: '',
  predicates: '',
  'config.action.reload': 'restart',
  'errors.retry.timeout': '0',
  'errors.retry.delay.max.ms': '60000',
  'errors.tolerance': 'none',
  'errors.log.enable': 'false',
  'errors.log.include.messages': 'false',
  'errors.deadletterqueue.topic.name': '',
  'errors.deadletterqueue.topic.replication.factor': '3',
  'errors.deadletterqueue.context.headers.enable': 'false',
};

describe('Kafka Connect framework keys', () => {
  it('accepts every key of SinkConnectorConfig at its Connect default', () => {
    expect(() => connectorSettings({ ...BASE, ...CONNECT_DEFAULTS })).not.toThrow();
  });

  it('accepts the other values that run the same here', () => {
    const settings = connectorSettings({ ...BASE, 'tasks.max.enforce': 'false', 'config.action.reload': 'none', 'header.converter': 'org.apache.kafka.connect.json.JsonConverter', 'errors.retry.delay.max.ms': '1000' });
    expect(settings.name).toBe('c');
  });

  it('refuses retries it does not make, and a header converter it cannot load, with the reason', () => {
    expect(errorOf(() => connectorSettings({ ...BASE, 'errors.retry.timeout': '300000' }))).toMatchObject({ key: 'errors.retry.timeout', message: expect.stringContaining('only 0 is supported') });
    expect(errorOf(() => connectorSettings({ ...BASE, 'header.converter': 'com.example.MyHeaderConverter' }))).toMatchObject({ key: 'header.converter' });
    expect(errorOf(() => connectorSettings({ ...BASE, 'config.action.reload': 'sometimes' }))).toMatchObject({ key: 'config.action.reload' });
  });

  it('creates the dead-letter topic only when the replication factor is set (-1: the broker default; 0 refused)', () => {
    const dlq = { ...BASE, 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dead' };
    expect(connectorSettings(dlq).deadLetter.createWithReplicas).toBeUndefined();
    expect(connectorSettings({ ...dlq, 'errors.deadletterqueue.topic.replication.factor': '-1' }).deadLetter.createWithReplicas).toBe(-1);
    expect(connectorSettings({ ...dlq, 'errors.deadletterqueue.topic.replication.factor': 2 }).deadLetter.createWithReplicas).toBe(2);
    expect(errorOf(() => connectorSettings({ ...dlq, 'errors.deadletterqueue.topic.replication.factor': '0' }))).toMatchObject({ key: 'errors.deadletterqueue.topic.replication.factor' });
  });
});

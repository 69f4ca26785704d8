/**
 * The standard connector chain with `transforms.*` keys, without Kafka: the transforms run between decode and
 * batching, `${topic}` in the URL renders the routed topic, filtered tombstones are acknowledged, and without
 * transforms the bodies are what they were. (Kafka Connect docs: https://kafka.apache.org/documentation/#connect_transforms)
 */
import { describe, expect, it } from '@jest/globals';
import { lastValueFrom, of, toArray } from 'rxjs';
import { createLogger } from '../../../src/common/log.js';
import { parseConnectorConfig } from '../../../src/connector/connector-config.js';
import { connectorPipeline, filter, insertField, recordIsTombstone, type HttpRequest } from '../../../src/index.js';
import { PartitionTracker } from '../../../src/source/offset-tracker.js';
import { kafkaRecord } from '../fakes.js';

const T = 'org.apache.kafka.connect.transforms';

async function run(extra: Record<string, unknown>, values: (string | null)[]): Promise<{ requests: HttpRequest[]; tracker: PartitionTracker }> {
  const config = parseConnectorConfig(
    {
      name: 'smt',
      topics: 'iot',
      'http.url': 'http://127.0.0.1:9/in/${topic}',
      'http.authorization.type': 'none',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      ...extra,
    },
    {},
  );
  const tracker = new PartitionTracker('iot', 0);
  const poll = values.map((value, offset) => {
    tracker.track(offset);
    return { ...kafkaRecord({ offset, value }), handle: tracker };
  });
  const requests: HttpRequest[] = [];
  const send = async (request: HttpRequest) => {
    requests.push(request);
    return { status: 200, headers: {}, body: '' };
  };
  await lastValueFrom(connectorPipeline({ config, records$: of(poll), send, deadLetters: { handle: async () => {} }, reporter: undefined, log: createLogger({ level: 'error' }) }).pipe(toArray()));
  return { requests, tracker };
}

describe('connectorPipeline with transforms', () => {
  it('applies the chain between decode and batching and commits past the filtered tombstone', async () => {
    const { requests, tracker } = await run(
      {
        transforms: 'drop,route,meta',
        'transforms.drop.type': `${T}.Filter`,
        'transforms.drop.predicate': 'tomb',
        'transforms.route.type': `${T}.RegexRouter`,
        'transforms.route.regex': 'iot',
        'transforms.route.replacement': 'devices',
        'transforms.meta.type': `${T}.InsertField$Value`,
        'transforms.meta.offset.field': 'at',
        predicates: 'tomb',
        'predicates.tomb.type': `${T}.predicates.RecordIsTombstone`,
      },
      ['{"a":1}', null],
    );
    expect(requests.map((r) => [r.url, r.body.toString()])).toEqual([['http://127.0.0.1:9/in/devices', '{"a":1,"at":0}']]);
    expect(tracker.committable()).toBe(2);
  });

  it('sends the same bodies as before when no transforms are configured', async () => {
    const { requests } = await run({}, ['{"a":1}']);
    expect(requests.map((r) => [r.url, r.body.toString()])).toEqual([['http://127.0.0.1:9/in/iot', '{"a":1}']]);
  });

  it('the operators are public for .ts pipelines', () => {
    expect([filter, insertField, recordIsTombstone].every((f) => typeof f === 'function')).toBe(true);
  });
});

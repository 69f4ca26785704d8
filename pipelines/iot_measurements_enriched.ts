/**
 * The seed's topic, with two stages of our own: readings of unknown devices are skipped (and still committed),
 * and each measurement gets its unit. Batches go out as JSON arrays.
 *
 *   SERVER_URL=http://127.0.0.1:8080 npm run pipeline -- iot_measurements_enriched
 */
import { batch, commit, decode, definePipeline, filterRecords, post, report, toRequest } from 'kafka-http-sink';
import { withUnit } from './operators/withUnit.js';

export default definePipeline({
  connector: {
    name: 'iot_measurements_enriched',
    topics: 'iot_measurements',
    'http.url': '${env:SERVER_URL}',
    'http.authorization.type': 'none',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
    'http.headers.content.type': 'application/json',
    'batching.enabled': 'true',
    'batch.prefix': '[',
    'batch.separator': ',',
    'batch.suffix': ']',
  },
  build: ({ config, records$, send, deadLetters, reporter }) =>
    records$.pipe(
      decode({ ...config.decode, deadLetters }), //                                       JSON values -> objects
      filterRecords((r) => typeof (r.value as { iot_id?: unknown }).iot_id === 'number'), // skip non-device records
      withUnit(), //                                                  our own operator
      batch(config.batch),
      toRequest(config.request),
      post({ ...config.post, send, deadLetters }),
      report(reporter),
      commit(),
    ),
});

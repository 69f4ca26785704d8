/** What a pipeline is: a connector config plus the operator chain that carries its records to the endpoint. */
import type { Observable } from 'rxjs';
import type { Logger } from 'winston';
import type { SinkConfig } from './connector-config.js';
import { batch } from '../request/batch.js';
import { commit } from '../outcomes/commit.js';
import { decode } from '../decode/decode.js';
import { applyTransforms, decodeNullPolicy } from '../transform/transform-config.js';
import { post } from '../deliver/post.js';
import { report } from '../outcomes/report.js';
import { checkUrls } from '../request/checkUrls.js';
import { checkValues } from '../request/checkValues.js';
import { toRequest } from '../request/toRequest.js';
import type { DeadLetters } from '../records/outcome.js';
import type { Send } from '../deliver/http-service.js';
import type { Reporter } from '../outcomes/reporter.js';
import type { KafkaRecord } from '../records/record.js';

export interface PipelineContext {
  readonly config: SinkConfig;
  /** One array per Kafka poll. Every record must end in `commit()` (or `filterRecords`) for its offset to move. */
  readonly records$: Observable<KafkaRecord[]>;
  /** The HTTP client for `post`. */
  readonly send: Send;
  /** Error logging and the dead-letter topic, for `decode` and `post` (records that fail for good). */
  readonly deadLetters: DeadLetters;
  /** The reporting topics, for `report`; undefined when none is configured. */
  readonly reporter: Reporter | undefined;
  readonly log: Logger;
}

export type BuildPipeline = (context: PipelineContext) => Observable<unknown>;

export interface PipelineDefinition {
  /** Kafka Connect connector keys, as in a connector file (`${env:...}` references allowed). */
  readonly connector: Readonly<Record<string, unknown>>;
  readonly build: BuildPipeline;
}

/** The pipeline every `.json` connector file runs: one line per stage, in the data's order. */
export const connectorPipeline: BuildPipeline = ({ config, records$, send, deadLetters, reporter, log }) =>
  records$.pipe(
    decode({ ...config.decode, onNull: decodeNullPolicy(config.transforms, config.decode.onNull), deadLetters, log }), // bytes -> strings / JSON
    applyTransforms(config.transforms, { ...config.decode, deadLetters, log }), // transforms.* in order; then nulls per policy
    checkUrls(config.request.url, { onError: config.decode.onError, deadLetters }), // a templated URL that leaves its path: refused
    checkValues(config.request.unrenderable, { onError: config.decode.onError, deadLetters }), // behavior.on.unrenderable.values
    batch(config.batch), //                            records -> batches (size, linger, ordering key)
    toRequest(config.request), //                      batch -> URL, headers, framed body
    post({ ...config.post, send, deadLetters, log }), // bounded concurrency, auth per attempt, retry, DLQ
    report(reporter), //                               outcome -> reporting topics (when configured)
    commit(), //                                       delivered or dead-lettered -> offsets may be committed
  );

/**
 * Declares a pipeline in a `.ts` file under `pipelines/`; without `build`, it runs the standard connector chain.
 *
 * @example
 * export default definePipeline({
 *   connector: { name: 'iot', topics: 'iot_measurements', 'http.url': '${env:SERVER_URL}', 'http.authorization.type': 'none' },
 *   build: ({ config, records$, send, deadLetters }) => records$.pipe(decode({ ...config.decode, deadLetters }), myOperator(), batch(config.batch), toRequest(config.request), post({ ...config.post, send, deadLetters }), commit()),
 * });
 */
export function definePipeline(definition: { connector: Record<string, unknown>; build?: BuildPipeline }): PipelineDefinition {
  return { connector: definition.connector, build: definition.build ?? connectorPipeline };
}

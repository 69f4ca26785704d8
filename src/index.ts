/** Public API: the operators, the pipeline helpers and their types. */
export { authorize } from './operators/authorize.js';
export { batch, type BatchOptions } from './operators/batch.js';
export { commit } from './operators/commit.js';
export { deadLetter, type DeadLetterOptions } from './operators/deadLetter.js';
export { decode, type DecodeRunOptions } from './operators/decode.js';
export { filterRecords } from './operators/filterRecords.js';
export { mergeMapByKey } from './operators/mergeMapByKey.js';
export { post, type PostOptions } from './operators/post.js';
export { rateLimit } from './operators/rateLimit.js';
export { report } from './operators/report.js';
export { retryBackoff, type RetryBackoffOptions } from './operators/retryBackoff.js';
export { toRequest } from './operators/toRequest.js';

export { connectorPipeline, definePipeline, type BuildPipeline, type PipelineContext, type PipelineDefinition } from './pipeline/definePipeline.js';
export { startPipeline, type RunningPipeline } from './pipeline/startPipeline.js';
export { loadPipeline, readConnectorFile, resolvePipelinePath } from './pipeline/loadPipeline.js';
export { parseConnectorConfig, type SinkConfig } from './config/connector-config.js';
export { Secret } from './config/secret.js';

export { ackRecords, type KafkaRecord, type SinkRecord, type RecordHeader } from './source/record.js';
export type { HttpRequest, HttpResponse, Delivery } from './sink/request.js';
export { orderingKey, type OrderingMode } from './sink/ordering.js';
export { defaultStatusPolicy, classifyStatus, failureAction, statusMatcher, type FailureAction, type StatusPolicy, type StatusVerdict } from './sink/status-policy.js';
export { backoffDelay, type BackoffPolicy } from './sink/backoff.js';
export { parseRetryAfter } from './sink/retry-after.js';
export { compileTemplate, compileUrlTemplate } from './sink/template.js';
export { tokenBucket, type TokenBucket } from './sink/rate-limit.js';
export { AdaptiveConcurrency, type AdaptiveConcurrencyOptions, type ConcurrencyLimiter, type RequestFeedback } from './sink/adaptive-concurrency.js';
export type { DeadLetters, FailedRecord } from './sink/dead-letters.js';
export type { Reporter } from './sink/reporter.js';
export { noAuthorization, type Authorizer } from './auth/authorizer.js';
export { staticAuthorization } from './auth/static.js';
export { basicAuthorization } from './auth/basic.js';
export { oauth2Authorization, type OAuth2Options } from './auth/oauth2.js';
export * from './converters/converter.js';
export * from './errors.js';
export { createLogger, type Logger } from './log.js';

/**
 * What an operator can do about a failure that stopped a pipeline: one sentence per kind of error, shown with the
 * `pipeline stopped` log line and the command line's `error:` line. Decided by the error's code and data, never by
 * its message.
 */
import { DeliveryError, type ErrorCode, HttpStatusError, SinkError } from './errors.js';

const RESTART = 'a restart resumes from the first record not delivered';
const DLQ = 'or set errors.tolerance=all with errors.deadletterqueue.topic.name to park such records and go on';

const BY_CODE: Record<ErrorCode, string> = {
  CONFIG_INVALID: 'fix the key named above in the connector file; nothing was consumed',
  HTTP_STATUS: `check the endpoint; ${RESTART}`,
  HTTP_NETWORK: `check that the endpoint is reachable (URL, DNS, TLS, proxy) or raise http.timeout / max.retries; ${RESTART}`,
  DELIVERY_FAILED: `fix the endpoint, then restart: ${RESTART}`,
  DECODE_FAILED: `fix the producer or the converter settings (key.converter / value.converter), ${DLQ}; ${RESTART}`,
  TRANSFORM_FAILED: `fix the record or the transforms.* settings named above, ${DLQ}; ${RESTART}`,
  BAD_DATA: `fix the producer or the converter settings, ${DLQ}`,
  NULL_VALUE: `set behavior.on.null.values (ignore, log or delete) if tombstones are expected, ${DLQ}; ${RESTART}`,
  KAFKA: 'check the brokers (bootstrap.servers, listeners, credentials, ACLs for the consumer group connect-<name>); restart once they answer',
  AUTH_TOKEN: 'check oauth2.access.token.url, the client id and secret, and that the token endpoint answers JSON with the token property',
  BROKER_START: 'see the broker log named above; `npm run kafka:fetch` refetches the broker jars',
  DEAD_LETTER: `check that the dead-letter topic exists and this client may write to it; those records stay uncommitted and ${RESTART}`,
  WORKER_API: 'see the message above; the connector itself is unaffected',
  SCHEMA_REGISTRY: `check the registry URL, its credentials (schema.registry.basic.auth.user.info) and its TLS (ssl.ca.location); ${RESTART}`,
};

/** One sentence telling what to do about `error`; undefined for an error that is not the sink's own. */
export function whatToDo(error: unknown): string | undefined {
  if (!(error instanceof SinkError)) return undefined;
  if (error instanceof DeliveryError && error.lastError instanceof HttpStatusError && !error.lastError.retriable) {
    return `the endpoint refused these records (HTTP ${error.lastError.status}): fix the records or the endpoint, ${DLQ}; ${RESTART}`;
  }
  if (error instanceof DeliveryError) {
    return `the endpoint kept failing: fix it, or raise max.retries / retry.backoff.ms, then restart: ${RESTART}`;
  }
  return BY_CODE[error.code];
}

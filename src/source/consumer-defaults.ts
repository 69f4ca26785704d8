/**
 * librdkafka consumer settings and the poll size the source uses unless the connector file sets them (`kafka.*` or
 * `consumer.override.*` win). Chosen by measurement on the raw consume path (`npm run bench:consume`, figures in
 * docs/performance.md).
 *
 * librdkafka counts `queued.min.messages` (and the kbytes) on the one queue all of the consumer's partitions feed,
 * and a partition that finds it full waits `fetch.queue.backoff.ms` (1 s by default) before it fetches again: the
 * consumer then idles while JavaScript drains the queue. A short backoff keeps fetching going with a smaller queue,
 * which is both faster (1.66x the raw consume rate, 5 rounds) and lighter (158 MB peak RSS against 172).
 *
 * A smaller prefetch (10000 messages, 4 MB, 256 KB fetches) saves 30-50 MB of RSS but starves partitions at a slow
 * endpoint: 0.41x the rate at 20 ms, one request in flight per partition (`npm run bench:connect`, docs/performance.md).
 */

/** Most records one poll (`consume(n)`) returns when `consumer.override.max.poll.records` is not set (5,000 and 20,000 measured no faster). */
export const DEFAULT_POLL_MAX_RECORDS = 1000;

/** librdkafka properties under the connector's own (the connector's `kafka.*` and overrides replace them). */
export const CONSUMER_DEFAULTS: Readonly<Record<string, string | number>> = Object.freeze({
  /** librdkafka's default 1000: a whole second without fetching each time the queue is full. */
  'fetch.queue.backoff.ms': 20,
  /** Prefetched records across all partitions (default 100,000): half, with the short backoff, fetches enough. */
  'queued.min.messages': 50_000,
  /** Prefetched bytes across all partitions (default 64 MB): bounds memory when records are large. */
  'queued.max.messages.kbytes': 16_384,
});

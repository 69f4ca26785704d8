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
 * How much librdkafka prefetches goes with the source's window (`max.in.flight.records`): the window takes the
 * records in the order librdkafka queued them, a partition's chunk at a time, so at a slow endpoint (one request in
 * flight per partition) a window of 20,000 held two or three partitions' records while the others ran dry. A window
 * of 60,000 with a smaller prefetch (20,000 messages, 8 MB) keeps every partition fed and is lighter than the old
 * pair (20,000 / 50,000 messages, 16 MB): at 20 ms, 111,841-129,042 records/s in 6 runs against 59,802-103,597 in 7
 * (Kafka Connect, tasks.max=6, in the same runs: 103,785-119,933); peak RSS 199-219 MB against 241 in the 1M-record
 * batched bench (`npm run bench:connect`, `npm run bench`, docs/performance.md). A prefetch smaller still (10,000
 * messages, 4 MB, 256 KB fetches) starved partitions under the old window: 0.41x at 20 ms.
 */

/** Most records one poll (`consume(n)`) returns when `consumer.override.max.poll.records` is not set (5,000 and 20,000 measured no faster). */
export const DEFAULT_POLL_MAX_RECORDS = 1000;

/** librdkafka properties under the connector's own (the connector's `kafka.*` and overrides replace them). */
export const CONSUMER_DEFAULTS: Readonly<Record<string, string | number>> = Object.freeze({
  /** librdkafka's default 1000: a whole second without fetching each time the queue is full. */
  'fetch.queue.backoff.ms': 20,
  /** Prefetched records across all partitions (default 100,000): with the short backoff and the window, enough. */
  'queued.min.messages': 20_000,
  /** Prefetched bytes across all partitions (default 64 MB): bounds memory when records are large. */
  'queued.max.messages.kbytes': 8192,
});

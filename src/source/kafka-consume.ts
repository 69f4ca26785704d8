/**
 * One poll of the consumer: through node-rdkafka's `consumeBatch` when the installed addon has it (the lean path:
 * patches/node-rdkafka/lean-consume.patch, applied and built at install by scripts/patch-node-rdkafka.mjs), else its
 * standard `consume(n)`. The lean path reads a poll as one slab plus typed arrays, so a record costs one object and
 * two views instead of a native object, a copied Buffer and a topic string (docs/performance.md, "Lean consume").
 * `KAFKA_HTTP_SINK_LEAN_CONSUME=off` in the environment picks the standard path (for comparison, or as an escape hatch).
 */
import type { KafkaConsumer, LibrdKafkaError } from 'node-rdkafka';
import type { Logger } from 'winston';
import type { KafkaRecord } from '../records/record.js';
import { PinnedSlabs } from './pinned-slabs.js';
import type { PollRecords } from './poll-records.js';
import type { NativeBatch } from './slab-batch.js';

/** A poll stops adding messages to its slab once the slab holds this many bytes (one message may pass it). */
export const SLAB_MAX_BYTES = 4 * 1024 * 1024;
/** Bytes of slabs with records still in the pipeline above which polls take the standard path (pinned-slabs.ts). */
export const PINNED_SLABS_BUDGET = 32 * 1024 * 1024;

type NativeError = { message: string; code: number; isFatal?: boolean };
type ConsumeBatch = (timeoutMs: number, maxMessages: number, maxBytes: number, done: (err: NativeError | null, batch?: NativeBatch) => void) => void;

/** The patched native method of this consumer, or undefined on node-rdkafka as released. */
export function nativeConsumeBatch(consumer: KafkaConsumer): ConsumeBatch | undefined {
  const client = (consumer as unknown as { _client?: { consumeBatch?: ConsumeBatch } })._client;
  return typeof client?.consumeBatch === 'function' ? client.consumeBatch.bind(client) : undefined;
}

/** `read`: messages the poll returned (records may be fewer: offsets already handed out are skipped). */
export type PollDone = (err: LibrdKafkaError | undefined, records: KafkaRecord[], read: number) => void;

export class KafkaConsume {
  /** Which path polls take (the lean one falls back to the standard one while over the slab budget). */
  readonly path: 'lean' | 'standard';
  readonly pinned: PinnedSlabs;
  private readonly batch: ConsumeBatch | undefined;
  private overBudget = false;

  constructor(
    private readonly consumer: KafkaConsumer,
    private readonly polled: PollRecords,
    private readonly log: Logger,
    options: { budget?: number; env?: NodeJS.ProcessEnv } = {},
  ) {
    const off = (options.env ?? process.env).KAFKA_HTTP_SINK_LEAN_CONSUME === 'off';
    this.batch = off ? undefined : nativeConsumeBatch(consumer);
    this.path = this.batch ? 'lean' : 'standard';
    this.pinned = new PinnedSlabs(options.budget ?? PINNED_SLABS_BUDGET);
    const why = off ? 'KAFKA_HTTP_SINK_LEAN_CONSUME=off' : this.batch ? 'node-rdkafka consumeBatch' : 'the lean-consume patch of node-rdkafka is not built';
    log.debug(`kafka source reads through the ${this.path} consume path`, { why });
  }

  poll(maxRecords: number, timeoutMs: number, done: PollDone): void {
    const lean = this.batch !== undefined && !this.pinned.overBudget();
    if (this.batch !== undefined && lean === this.overBudget) {
      this.overBudget = !lean;
      this.log.debug(lean ? 'lean consume: slabs back under budget' : 'lean consume: slabs over budget, standard consume until acks free them', { pinned: this.pinned.pinned(), slabs: this.pinned.live() });
    }
    if (lean) {
      this.batch!(timeoutMs, maxRecords, SLAB_MAX_BYTES, (err, batch) => {
        if (err) return done(toLibrdKafkaError(err), [], 0);
        for (const eof of batch!.eofEvents) this.consumer.emit('partition.eof', { topic: eof.topic, partition: eof.partition, offset: eof.offset });
        done(undefined, this.polled.ofSlab(batch!, this.pinned), batch!.count);
      });
      return;
    }
    this.consumer.setDefaultConsumeTimeout(timeoutMs);
    this.consumer.consume(maxRecords, (err, messages) => {
      const read = messages?.length ?? 0;
      done(err ?? undefined, read > 0 ? this.polled.of(messages) : [], read);
    });
  }
}

/** The error as node-rdkafka's `consume` hands it over (LibrdKafkaError's fields). */
function toLibrdKafkaError(err: NativeError): LibrdKafkaError {
  return Object.assign(new Error(err.message), { code: err.code, errno: err.code, origin: err.code >= -100 ? 'local' : 'kafka', isFatal: err.isFatal }) as LibrdKafkaError;
}

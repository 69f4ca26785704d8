/**
 * The leader's writer to the config topic: each record in a Kafka transaction of a `transactional.id` that every
 * leader of the cluster shares (`<group.id>-config-writer`). A worker that starts to lead opens a new producer and
 * calls `initTransactions`, which makes the transaction coordinator fence every earlier producer of that id and
 * abort its open transaction; the workers read the config topic `read_committed`. So a previous leader whose lease
 * lapsed with a write in flight can no longer get that record into what any worker reads once the new leader is
 * fenced in: its commit fails (fenced), its record stays aborted. The new leader reads the topic to its end after
 * fencing, so it sees every write that did commit.
 */
import rdkafka from 'node-rdkafka';
import { KafkaError, errorMessage } from '../../common/errors.js';
import { nativeConfig } from '../../source/native-config.js';

/** Writes one record, resolving with where it landed once it is committed. */
export interface RecordWriter {
  write(topic: string, key: string, value: string | null): Promise<{ partition: number; offset: number }>;
}

const TIMEOUT_MS = 30_000;
/** A transaction left open (its worker froze) holds back every reader until the next fence or this long. */
const TRANSACTION_TIMEOUT_MS = 10_000;

export class FencedWriter implements RecordWriter {
  private producer: rdkafka.Producer | undefined;
  /** The leadership term the producer was fenced in for. */
  private term = -1;
  private readonly pending = new Map<number, { resolve: (at: { partition: number; offset: number }) => void; reject: (error: Error) => void }>();
  private next = 0;
  /** The fence in progress: callers at the same time wait for it rather than open a second producer. */
  private fencing: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly kafka: Readonly<Record<string, string>>,
    readonly transactionalId: string,
  ) {}

  /**
   * Before a leader takes a change: once per leadership `term`, a new producer fences every earlier one of the id
   * (their open transactions are aborted). After a failed write the next call fences again.
   */
  async fence(term: number): Promise<void> {
    while (this.fencing) await this.fencing.catch(() => undefined);
    if (this.producer && this.term === term) return;
    this.fencing = this.open(term);
    try {
      await this.fencing;
    } finally {
      this.fencing = undefined;
    }
  }

  private async open(term: number): Promise<void> {
    await this.drop();
    if (this.closed) throw new KafkaError('the worker is shutting down: no config change is taken', true);
    const producer = new rdkafka.Producer(
      nativeConfig({ ...this.kafka, dr_cb: true, 'enable.idempotence': true, 'transactional.id': this.transactionalId, 'transaction.timeout.ms': TRANSACTION_TIMEOUT_MS, 'linger.ms': 0 }),
      { acks: -1 },
    );
    producer.on('delivery-report', (err, report) => {
      const waiter = this.pending.get(report.opaque as number);
      this.pending.delete(report.opaque as number);
      if (err) waiter?.reject(new KafkaError(`cannot write to ${report.topic}: ${err.message}`, true, err));
      else waiter?.resolve({ partition: report.partition, offset: report.offset });
    });
    try {
      await callback<void>((done) => producer.connect({ timeout: TIMEOUT_MS }, (err) => done(err)), 'cannot reach Kafka');
      producer.setPollInterval(10);
      await callback<void>((done) => producer.initTransactions(TIMEOUT_MS, done), `cannot fence earlier leaders' config writes (transactional.id ${this.transactionalId})`);
      if (this.closed) throw new KafkaError('the worker is shutting down: no config change is taken', true);
    } catch (error) {
      await disconnect(producer);
      throw error;
    }
    this.producer = producer;
    this.term = term;
  }

  /** The record in its own transaction, committed; rejects (and drops the producer) when this writer was fenced or failed. */
  async write(topic: string, key: string, value: string | null): Promise<{ partition: number; offset: number }> {
    const producer = this.producer;
    if (!producer) throw new KafkaError('this worker is not fenced in as the leader: the change was not written; retry', true);
    try {
      await callback<void>((done) => producer.beginTransaction(done), 'cannot begin a config transaction');
      const id = this.next++;
      const delivered = new Promise<{ partition: number; offset: number }>((resolve, reject) => this.pending.set(id, { resolve, reject }));
      delivered.catch(() => undefined); // a commit that fails first is the error reported
      producer.produce(topic, 0, value === null ? null : Buffer.from(value), key, Date.now(), id);
      await callback<void>((done) => producer.commitTransaction(TIMEOUT_MS, done), 'cannot commit the config write (another worker may lead now)');
      return await delivered;
    } catch (error) {
      await this.drop(); // fenced or failed: a write in doubt is never retried here; the next leader's fence aborts it
      throw error;
    }
  }

  /** The worker leaves: the producer closes (after a fence in progress), and no other opens. */
  async close(): Promise<void> {
    this.closed = true;
    await this.fencing?.catch(() => undefined);
    await this.drop();
  }

  /** Closes the producer; a transaction still open is aborted by the broker or the next fence. */
  async drop(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.term = -1;
    for (const waiter of this.pending.values()) waiter.reject(new KafkaError('the config writer was closed', true));
    this.pending.clear();
    if (producer) await disconnect(producer);
  }
}

/** Disconnects, whatever state the producer is in (a producer left open keeps the process from exiting). */
async function disconnect(producer: rdkafka.Producer): Promise<void> {
  await new Promise<void>((resolve) => {
    try {
      producer.disconnect(() => resolve());
    } catch {
      resolve(); // not connected
    }
  });
}

async function callback<T>(call: (done: (err: rdkafka.LibrdKafkaError | null | undefined, value?: T) => void) => void, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      call((err, value) => (err ? reject(new KafkaError(`${what}: ${errorMessage(err)}`, err.isRetriable ?? true, err)) : resolve(value as T)));
    } catch (error) {
      reject(new KafkaError(`${what}: ${errorMessage(error)}`, true, error));
    }
  });
}

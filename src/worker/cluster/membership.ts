/**
 * The worker's place in its cluster, decided by Kafka's group coordinator: one consumer per worker in the group
 * `group.id`, subscribed to the slots topic, whose partitions (the task slots) the cooperative-sticky assignor
 * spreads over the live workers. The group decides who is alive and what each one owns; this class only follows.
 *
 * - Revocation: slots leave `owned()` at once, `beforeRevoke` stops their tasks, and only then is the partition
 *   given back (librdkafka waits for that call), so the next owner starts after this one stopped.
 * - Fencing: a worker frozen past its session (SIGSTOP, a VM pause) wakes up believing it still owns its slots until
 *   librdkafka notices. So ownership is a lease proved by the coordinator itself: an offset commit of the owned
 *   partitions succeeds only for a member of the current generation. A commit sent at `t` and accepted proves the
 *   session was live at `t`; the coordinator cannot expire it before `t + session - heartbeat`, and the slots then
 *   still need a rebalance before anyone else gets them. `owned()` is empty once the last proof is older than
 *   LEASE_MARGIN_MS short of that: a zombie stops claiming (and running) its slots before another can take them.
 */
import rdkafka, { type LibrdKafkaError, type TopicPartition } from 'node-rdkafka';
import { KafkaError, errorMessage } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import { Lease } from './lease.js';

const POLL_MS = 100;
const LAPSE_CHECK_MS = 100;
const RENEW_MS = 1000;
const IDLE_MS = 50;
const CLOSE_MS = 10_000;
/** The lease ends this long before the earliest moment the coordinator could expire the session. */
const LEASE_MARGIN_MS = 500;
/** librdkafka's code for a JoinGroup refused for its session timeout (outside the broker's group.min/max.session.timeout.ms). */
const INVALID_SESSION_TIMEOUT = 26;

export interface MembershipOptions {
  readonly kafka: Readonly<Record<string, string>>;
  readonly groupId: string;
  readonly topic: string;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly log: Logger;
  /** Stops the tasks of slots about to be given up; the partitions are released once it settles. */
  readonly beforeRevoke: (slots: readonly number[]) => Promise<void>;
  /** Ownership changed (slots assigned, a lease lapsed or came back): start what is owned now. */
  readonly changed: () => void;
  readonly now?: () => number;
}

export class Membership {
  private readonly consumer: rdkafka.KafkaConsumer;
  /** The slots the group gave this worker (whatever the lease says). */
  private readonly assigned = new Set<number>();
  private inGroup = false;
  private closing = false;
  private polling: Promise<void> = Promise.resolve();
  private renewTimer: NodeJS.Timeout | undefined;
  /** When the last renewal was sent. */
  private renewedAt = 0;
  /** The commit in flight: when it was sent. */
  private committing: number | undefined;
  private readonly lease: Lease;
  private settle!: () => void;
  /** Resolves once the group first assigned this worker its slots and the coordinator proved the membership. */
  readonly settled = new Promise<void>((resolve) => (this.settle = resolve));

  constructor(private readonly options: MembershipOptions) {
    this.lease = new Lease(options.sessionTimeoutMs - options.heartbeatIntervalMs - LEASE_MARGIN_MS, (holding) => this.leaseChanged(holding));
    this.consumer = new rdkafka.KafkaConsumer(
      {
        ...options.kafka,
        'group.id': options.groupId,
        'client.id': 'kafka-http-sink-worker-membership',
        'partition.assignment.strategy': 'cooperative-sticky',
        'session.timeout.ms': options.sessionTimeoutMs,
        'heartbeat.interval.ms': options.heartbeatIntervalMs,
        'max.poll.interval.ms': options.rebalanceTimeoutMs,
        'enable.auto.commit': false,
        rebalance_cb: (err: LibrdKafkaError, assignment: TopicPartition[]) => this.rebalance(err, assignment),
        offset_commit_cb: (err: LibrdKafkaError | undefined, offsets: (TopicPartition & { error?: unknown })[]) => this.committed(err, offsets),
      },
      { 'auto.offset.reset': 'latest' },
    );
  }

  /** The lease: how long a coordinator's proof of membership counts. */
  get leaseMs(): number {
    return this.lease.ms;
  }

  /** Connects and joins the group (the assignment follows in the background; `owned()` is empty until then). */
  async start(): Promise<void> {
    const { consumer, options } = this;
    await new Promise<void>((resolve, reject) =>
      consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(new KafkaError(`cannot join the workers' group ${options.groupId}: ${errorMessage(err)}`, true, err)) : resolve())),
    );
    consumer.on('event.error', (error: LibrdKafkaError) => {
      if (error.code === INVALID_SESSION_TIMEOUT) options.log.error('the broker refuses the worker file\'s session.timeout.ms (outside its group.min.session.timeout.ms .. group.max.session.timeout.ms, 6000 .. 1800000 by default): this worker cannot join its cluster', { sessionTimeoutMs: options.sessionTimeoutMs });
      else if (this.firstTime(error.message)) options.log.warn('workers\' group client error (each one logged once a minute at most)', { groupId: options.groupId, error: error.message });
    });
    consumer.setDefaultConsumeTimeout(POLL_MS);
    consumer.subscribe([options.topic]);
    this.poll();
    // every LAPSE_CHECK_MS: a lapsed lease stops the tasks at once (a process waking from SIGSTOP runs its timers first
    // thing); every RENEW_MS at most: a commit renews the lease
    this.renewTimer = setInterval(() => {
      this.checkLapse();
      if (this.now() - this.renewedAt >= Math.min(RENEW_MS, options.heartbeatIntervalMs)) this.renew();
    }, LAPSE_CHECK_MS);
    this.renewTimer.unref();
  }

  /** The slots this worker owns now: those the group assigned, while the lease holds; none otherwise. */
  owned(): ReadonlySet<number> {
    this.checkLapse();
    return this.leaseHolds() ? this.assigned : new Set();
  }

  /** Whether this worker leads the cluster: it owns slot 0 (lease included). */
  isLeader(): boolean {
    return this.owned().has(0);
  }

  /** Joined: the group assigned this worker its slots (maybe none) and, if it owns any, the lease holds. */
  joined(): boolean {
    return this.inGroup && (this.assigned.size === 0 || this.leaseHolds());
  }

  /** When each client error was last logged: a broker down for a while says so once a minute, not many times a second. */
  private readonly logged = new Map<string, number>();

  private firstTime(message: string): boolean {
    const last = this.logged.get(message);
    if (last !== undefined && this.now() - last < 60_000) return false;
    if (this.logged.size > 100) this.logged.clear();
    this.logged.set(message, this.now());
    return true;
  }

  private leaseHolds(): boolean {
    return this.lease.holds(this.now());
  }

  /** A lease that lapsed since it was last seen holding stops the tasks (`changed`), once. */
  private checkLapse(): void {
    this.lease.check(this.now());
  }

  /** The lease started holding (the slots' tasks may start) or lapsed (they stop). */
  private leaseChanged(holding: boolean): void {
    if (holding) this.settle();
    else if (this.assigned.size > 0) this.options.log.warn('cluster lease lapsed: no proof from the group coordinator that this worker is still a member; its tasks stop until there is one', { slots: [...this.assigned], leaseMs: this.leaseMs });
    this.options.changed();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private rebalance(err: LibrdKafkaError, assignment: TopicPartition[]): void {
    const slots = assignment.map((p) => p.partition);
    const cooperative = this.consumer.rebalanceProtocol() === 'COOPERATIVE';
    if (err.code === rdkafka.CODES.ERRORS.ERR__ASSIGN_PARTITIONS) {
      for (const slot of slots) this.assigned.add(slot);
      this.inGroup = true;
      this.options.log[slots.length > 0 ? 'info' : 'debug']('task slots assigned by the workers\' group', { added: slots, owned: [...this.assigned].sort((a, b) => a - b) });
      this.call(() => (cooperative ? this.consumer.incrementalAssign(assignment) : this.consumer.assign(assignment)));
      this.renew(); // the new slots start once the coordinator proves the membership (at once when the lease holds)
      if (this.assigned.size === 0) this.settle();
      this.options.changed();
      return;
    }
    if (err.code !== rdkafka.CODES.ERRORS.ERR__REVOKE_PARTITIONS) {
      this.options.log.error('workers\' group rebalance error', { error: err.message });
      return;
    }
    for (const slot of slots) this.assigned.delete(slot);
    if (this.assigned.size === 0) this.inGroup = false;
    this.options.log.info('task slots revoked by the workers\' group: stopping their tasks first', { revoked: slots });
    void this.options
      .beforeRevoke(slots)
      .catch((error: unknown) => this.options.log.error('cannot stop the tasks of revoked slots', { error: errorMessage(error) }))
      .finally(() => this.call(() => (cooperative ? this.consumer.incrementalUnassign(assignment) : this.consumer.unassign())));
  }

  private call(step: () => unknown): void {
    try {
      step();
    } catch (error) {
      if (!this.closing) this.options.log.warn('workers\' group (un)assign failed', { error: errorMessage(error) });
    }
  }

  /** Commits the owned partitions (offset 0: the slots topic holds no records); an accepted commit renews the lease. */
  private renew(): void {
    this.checkLapse();
    if (this.closing || this.assigned.size === 0) return;
    if (this.committing !== undefined && this.now() - this.committing < this.leaseMs) return; // one at a time (a lost answer frees the slot)
    this.committing = this.now();
    this.renewedAt = this.committing;
    this.call(() => this.consumer.commit([...this.assigned].map((partition) => ({ topic: this.options.topic, partition, offset: 0 }))));
  }

  private committed(err: LibrdKafkaError | undefined, offsets: readonly { error?: unknown }[]): void {
    const sentAt = this.committing;
    this.committing = undefined;
    if (sentAt === undefined) return;
    if (err || offsets.some((o) => o.error)) {
      this.options.log.debug('lease renewal refused by the group coordinator', { error: err?.message ?? 'partition error' });
      return;
    }
    this.prove(sentAt);
  }

  private prove(at: number): void {
    this.lease.prove(at, this.now());
  }

  /** One poll (it serves librdkafka's rebalance callbacks), then the next, until close. */
  private poll(): void {
    if (this.closing) return;
    this.polling = new Promise<void>((done) => {
      this.consumer.consume(1, () => {
        done();
        if (!this.closing) setTimeout(() => this.poll(), IDLE_MS).unref();
      });
    });
  }

  /** Leaves the group (the others rebalance at once). Call after this worker's tasks stopped. */
  async close(): Promise<void> {
    this.closing = true;
    this.settle();
    clearInterval(this.renewTimer);
    this.assigned.clear();
    this.lease.end();
    await within(this.polling, POLL_MS * 5);
    if (!this.consumer.isConnected()) return;
    await within(new Promise<void>((resolve) => this.consumer.disconnect(() => resolve())), CLOSE_MS);
  }
}

/** `promise`, or nothing after `ms`. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

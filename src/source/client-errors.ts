/**
 * What a librdkafka client (consumer or producer) says when it cannot reach or log in to Kafka, told to the user
 * once: its error-level log lines (which carry the reason: `SASL authentication error: ...`, `certificate verify
 * failed`) and its error events are classified, repeats of one error are collapsed into one line per interval with a
 * count, and a cause that retrying cannot fix (credentials, certificates) ends a pending connect at once.
 *
 * @example
 *   const errors = new ClientErrors(consumer, log, { client: 'kafka consumer', secrets: ['s3cret'] });
 *   await errors.connect(30_000, 'kafka at 127.0.0.1:9092');
 */
import type { LibrdKafkaError } from 'node-rdkafka';
import type { Logger } from 'winston';
import { KafkaError } from '../common/errors.js';

/** Why a client cannot work: the first three do not go away by retrying. */
export type ClientErrorCause = 'authentication' | 'broker-certificate' | 'client-certificate' | 'unreachable' | 'other';

const FATAL: ReadonlySet<ClientErrorCause> = new Set(['authentication', 'broker-certificate', 'client-certificate']);

const WHAT: Record<ClientErrorCause, string> = {
  authentication: 'authentication failed (check sasl.mechanism, sasl.username and sasl.password)',
  'broker-certificate': 'the broker\'s certificate could not be verified (check ssl.ca.location or the trust store, and the broker\'s host name)',
  'client-certificate': 'the broker refused the client certificate (check ssl.certificate.location/ssl.key.location or the key store, and the CA the broker trusts)',
  unreachable: 'no broker reachable (check bootstrap.servers, the listener\'s port and security.protocol)',
  other: 'kafka client error',
};

function describe(reason: { cause: ClientErrorCause; message: string }): string {
  return reason.cause === 'other' ? reason.message : `${WHAT[reason.cause]}: ${reason.message}`;
}

/** The cause librdkafka's text names; classified once here, never again by matching messages elsewhere. */
export function classifyClientError(message: string): ClientErrorCause {
  if (/SASL authentication error|authentication failure|Authentication failed|SASL .*(failed|error)/i.test(message)) return 'authentication';
  if (/certificate verify failed|broker certificate could not be verified|self[- ]signed certificate|hostname mismatch|ssl\.endpoint\.identification/i.test(message)) return 'broker-certificate';
  if (/alert (bad certificate|certificate required|unknown ca|certificate unknown|handshake failure)|peer did not return a certificate/i.test(message)) return 'client-certificate';
  if (/Connection refused|Failed to resolve|Name or service not known|Connect to .* failed|timed out|Connection reset|all broker connections are down|broker transport failure|Disconnected/i.test(message)) return 'unreachable';
  return 'other';
}

/** librdkafka's line without the thread tag and the per-attempt timing, so repeats of one error compare equal. */
export function normalizeClientError(message: string): string {
  return message
    .replace(/^\[thrd:[^\]]*\]:\s*/, '')
    .replace(/\s*\(after \d+ms in state [A-Z_]+(, \d+ identical error\(s\) suppressed)?\)/, '')
    .replace(/\s*\(\d+ identical error\(s\) suppressed\)/, '')
    .trim();
}

export interface ClientErrorsOptions {
  /** "kafka consumer", "dead-letter producer": the first word of each line. */
  readonly client: string;
  /** Values that must never be printed (passwords from the client's properties), replaced by [redacted]. */
  readonly secrets?: readonly string[];
  /** Repeats of one error within this window become one line with a count. */
  readonly intervalMs?: number;
}

interface Seen {
  cause: ClientErrorCause;
  repeats: number;
}

/** A librdkafka log line as node-rdkafka's `event.log` gives it (severity as syslog: 3 error, 4 warning, 7 debug). */
type LogEvent = { severity: number; fac: string; message: string };

/** What is used of a node-rdkafka consumer or producer. */
export interface WatchedClient {
  on(event: 'event.log', listener: (event: LogEvent) => void): unknown;
  on(event: 'event.error', listener: (error: LibrdKafkaError) => void): unknown;
  connect(options: { timeout: number }, callback: (err: LibrdKafkaError) => void): unknown;
  disconnect(callback: () => void): unknown;
}

/** Watches one client from creation; `connect()` connects it and fails fast on a fatal cause. */
export class ClientErrors {
  private readonly seen = new Map<string, Seen>();
  private readonly timer: NodeJS.Timeout;
  private fatal: { cause: ClientErrorCause; message: string } | undefined;
  private last: { cause: ClientErrorCause; message: string } | undefined;
  private readonly fatalListeners: ((error: KafkaError) => void)[] = [];
  private failedEarly = false;

  constructor(
    private readonly client: WatchedClient,
    private readonly log: Logger,
    private readonly options: ClientErrorsOptions,
  ) {
    client.on('event.log', (event: LogEvent) => this.onLog(event));
    client.on('event.error', (error) => this.report(error.message, 4, true));
    this.timer = setInterval(() => this.flush(), options.intervalMs ?? 10_000);
    this.timer.unref();
  }

  /** The cause that cannot be fixed by retrying, once librdkafka reported one. */
  fatalError(): KafkaError | undefined {
    return this.fatal && new KafkaError(`${this.options.client}: ${describe(this.fatal)}`, false);
  }

  /** Called (once) when a fatal cause is reported, e.g. to stop a running pipeline. */
  onFatal(listener: (error: KafkaError) => void): void {
    this.fatalListeners.push(listener);
    const error = this.fatalError();
    if (error) listener(error);
  }

  /** Whether connect() rejected for a fatal cause while librdkafka's own connect attempt may still be running. */
  get connectFailed(): boolean {
    return this.failedEarly;
  }

  /** Connects; rejects as soon as librdkafka reports a fatal cause, or at `timeoutMs` naming the last reason seen. */
  connect(timeoutMs: number, where: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: KafkaError): void => {
        if (settled) return;
        settled = true;
        if (!error) return resolve();
        this.failedEarly = this.fatal !== undefined;
        this.close();
        reject(error);
      };
      // librdkafka's connect goes on until its metadata request times out, then disconnects the client itself;
      // disconnecting now would only wait for that request (closers check `connectFailed` and leave the client be).
      this.onFatal(() => settle(new KafkaError(`cannot connect to ${where}: ${describe(this.fatal!)}`, false)));
      this.client.connect({ timeout: timeoutMs }, (err) => {
        if (!err && settled) this.client.disconnect(() => {}); // connected after all, but the caller was told it failed
        if (!err) return settle();
        const reason = this.fatal ?? this.last;
        settle(new KafkaError(`cannot connect to ${where}: ${reason ? describe(reason) : err.message}`, !this.fatal, err));
      });
    });
  }

  /** Writes the pending repeat counts and stops the interval timer. */
  close(): void {
    clearInterval(this.timer);
    this.flush();
  }

  private onLog(event: LogEvent): void {
    if (event.severity <= 4) this.report(event.message, event.severity, false);
    else this.log.debug(`${this.options.client}: ${this.redact(normalizeClientError(event.message))}`, { facility: event.fac });
  }

  /** `generic`: an error event ("authentication failure"), which must not hide the detailed line logged before it. */
  private report(raw: string, severity: number, generic: boolean): void {
    const message = this.redact(normalizeClientError(raw));
    const cause = classifyClientError(message);
    if (!generic || this.last === undefined) this.last = { cause, message };
    const seen = this.seen.get(message);
    if (seen) {
      seen.repeats++;
    } else {
      this.seen.set(message, { cause, repeats: 0 });
      const fields = { cause, client: this.options.client };
      if (severity <= 2) this.log.error(`${this.options.client}: ${message}`, fields);
      else this.log.warn(`${this.options.client}: ${message}`, fields);
    }
    if (FATAL.has(cause) && this.fatal === undefined) {
      this.fatal = generic && this.last?.cause === cause ? this.last : { cause, message };
      const error = this.fatalError()!;
      for (const listener of this.fatalListeners) listener(error);
    }
  }

  /** One line per error that repeated in the window; an error not seen again is forgotten (logged anew next time). */
  private flush(): void {
    for (const [message, seen] of this.seen) {
      if (seen.repeats > 0) {
        this.log.warn(`${this.options.client}: ${message}`, { cause: seen.cause, client: this.options.client, repeated: seen.repeats, withinMs: this.options.intervalMs ?? 10_000 });
        seen.repeats = 0;
      } else {
        this.seen.delete(message);
      }
    }
  }

  private redact(message: string): string {
    let text = message;
    for (const secret of this.options.secrets ?? []) if (secret.length >= 4) text = text.split(secret).join('[redacted]');
    return text;
  }
}

/** The values of a client's properties that must not be printed. */
export function secretValues(properties: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(properties)
    .filter(([key, value]) => typeof value === 'string' && /password|secret|\.pem$|jaas|token/i.test(key))
    .map(([, value]) => value as string);
}

/** The HTTP request built for one batch, and the response it got. */
import type { SinkError } from '../common/errors.js';
import type { SinkRecord } from '../records/record.js';

export type HttpMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
  /** The records this request delivers; acked once it succeeded. */
  readonly records: readonly SinkRecord[];
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as text, cut to a few KB. */
  readonly body: string;
}

export interface Delivery {
  readonly request: HttpRequest;
  /** The success response; for records that were dead-lettered or dropped, the last response if there was one. */
  readonly response: HttpResponse | undefined;
  readonly attempts: number;
  /** `delivered`, or the records failed for good and were written to the dead-letter topic or dropped. */
  readonly outcome: 'delivered' | 'dead-lettered' | 'dropped';
  /** Why they failed, when they did. */
  readonly error?: SinkError;
  /** Convenience for `commit()`: the delivered records. */
  readonly records: readonly SinkRecord[];
}

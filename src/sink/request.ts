/** The HTTP request built for one batch, and the response it got. */
import type { SinkRecord } from '../source/record.js';

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
  readonly response: HttpResponse;
  readonly attempts: number;
  /** Convenience for `commit()`: the delivered records. */
  readonly records: readonly SinkRecord[];
}

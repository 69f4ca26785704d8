/**
 * What every delivery transport (got, undici, node:http) shares: the `Send` seam, one request's life (timeout, abort
 * by the caller or by close()), the bounded capture of the response body, and the typed errors its failures become,
 * so that a failure reads the same whichever transport sent the request.
 */
import { brotliDecompressSync, constants, gunzipSync, inflateSync } from 'node:zlib';
import { HttpNetworkError } from '../../common/errors.js';
import { isCertificateError, withoutNodeCaHint } from '../../common/net/certificate-error.js';
import type { HttpRequest, HttpResponse } from '../../request/request.js';

/** Sends one request; rejects (with an HttpNetworkError) only when no response arrived. Aborting the signal cancels it. */
export type Send = (request: HttpRequest, signal: AbortSignal) => Promise<HttpResponse>;

export interface HttpService {
  readonly send: Send;
  /** Aborts the requests in flight (they reject with `ABORTED`), refuses new ones and closes the connections. */
  close(): void;
}

/** The response body kept for logs and errors, in characters. */
const MAX_BODY_CHARS = 2048;
/** Raw (possibly compressed) response bytes kept; the rest is read and dropped so the connection can be reused. */
export const MAX_BODY_BYTES = 64 * 1024;
export const USER_AGENT = 'kafka-http-sink';

export function timeoutError(timeoutMs: number): HttpNetworkError {
  return new HttpNetworkError('ETIMEDOUT', `no response within ${timeoutMs} ms (http.timeout)`);
}

function abortedError(why: string): HttpNetworkError {
  return new HttpNetworkError('ABORTED', `request aborted: ${why}`);
}

/** Certificate problems get a hint: they are configuration, not a flaky network. */
const CA_HINT = ' (TLS verification of the endpoint failed; if a private CA signed its certificate, set http.ssl.ca.location to that CA as PEM)';

/** A Node network error (`code` + message, as `net`/`tls`/`http` raise them) as the sink's typed error. */
export function networkError(code: string | undefined, message: string, cause?: unknown): HttpNetworkError {
  if (cause instanceof HttpNetworkError) return cause;
  const networkCode = code ?? 'ERR_NETWORK';
  return new HttpNetworkError(networkCode, isCertificateError(networkCode) ? `${withoutNodeCaHint(message)}${CA_HINT}` : message, cause);
}

/**
 * Runs one request attempt with the overall `http.timeout`, the caller's signal and close() folded into one
 * AbortSignal; a failure after an abort becomes the abort's typed reason, any other goes through `mapError`.
 */
export class RequestGuard {
  private readonly running = new Set<AbortController>();
  private closed = false;

  constructor(private readonly timeoutMs: number) {}

  run(signal: AbortSignal, attempt: (signal: AbortSignal) => Promise<HttpResponse>, mapError: (error: unknown) => HttpNetworkError): Promise<HttpResponse> {
    if (this.closed) return Promise.reject(abortedError('the HTTP client is closed'));
    if (signal.aborted) return Promise.reject(abortedError('cancelled'));
    const controller = new AbortController();
    const cancel = (): void => controller.abort(abortedError('cancelled'));
    signal.addEventListener('abort', cancel, { once: true });
    const timer = setTimeout(() => controller.abort(timeoutError(this.timeoutMs)), this.timeoutMs);
    this.running.add(controller);
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', cancel);
      this.running.delete(controller);
    };
    return new Promise<HttpResponse>((resolve, reject) => {
      // An abort settles at once, even while the transport still waits for a connection to open.
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason as HttpNetworkError), { once: true });
      attempt(controller.signal).then(resolve, (error: unknown) => {
        try {
          reject(controller.signal.aborted ? (controller.signal.reason as HttpNetworkError) : mapError(error));
        } catch (unexpected) {
          reject(unexpected);
        }
      });
    }).finally(done);
  }

  /** Aborts every request in flight and refuses new ones. */
  close(): void {
    this.closed = true;
    for (const controller of this.running) controller.abort(abortedError('the HTTP client is closing (shutdown)'));
    this.running.clear();
  }
}

/** Collects at most MAX_BODY_BYTES of a response body; chunks past it are counted, not kept. */
export class BodyCapture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private truncated = false;

  add(chunk: Buffer): void {
    if (this.kept >= MAX_BODY_BYTES) {
      this.truncated = true;
      return;
    }
    const room = MAX_BODY_BYTES - this.kept;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part.length < chunk.length) this.truncated = true;
    this.chunks.push(part);
    this.kept += part.length;
  }

  /** The body as text (decompressed per `Content-Encoding`), cut to MAX_BODY_CHARS. */
  text(contentEncoding: string | string[] | undefined): string {
    if (this.kept === 0) return '';
    const raw = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.kept);
    return cut(decode(raw, contentEncoding, this.truncated).toString('utf8'));
  }
}

/** Text cut to MAX_BODY_CHARS, marked with `...` when cut. */
export function cut(body: string): string {
  return body.length > MAX_BODY_CHARS ? `${body.slice(0, MAX_BODY_CHARS)}...` : body;
}

/** Decompresses what arrived (a cut stream decompresses as far as it goes); unreadable bytes stay as they are. */
function decode(raw: Buffer, contentEncoding: string | string[] | undefined, truncated: boolean): Buffer {
  const encoding = (Array.isArray(contentEncoding) ? contentEncoding[0] : contentEncoding)?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return raw;
  const partial = truncated ? { finishFlush: constants.Z_SYNC_FLUSH } : {};
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(raw, partial);
    if (encoding === 'deflate') return inflateSync(raw, partial);
    if (encoding === 'br') return brotliDecompressSync(raw, truncated ? { finishFlush: constants.BROTLI_OPERATION_FLUSH } : {});
  } catch {
    return raw;
  }
  return raw;
}

/**
 * A loopback HTTP endpoint per side (node:http) that records every request by connector (the path) and by the
 * partitions it carried (the `p` query), and answers 200.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivered {
  /** The partitions of the request's records, e.g. "0" or "0,1". */
  partitions: string;
  method: string;
  /** Header names lower-cased; a repeated header's values joined by ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

export interface Recorder {
  readonly url: string;
  /** Requests per connector path segment, in arrival order. */
  readonly byCase: Map<string, Delivered[]>;
  close(): Promise<void>;
}

/** Most bytes one request body may have; beyond it the request is recorded cut and answered 413. */
const MAX_BODY = 4 * 1024 * 1024;

export async function startRecorder(): Promise<Recorder> {
  const byCase = new Map<string, Delivered[]>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const name = decodeURIComponent(url.pathname.slice(1));
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(request.headers)) headers[key] = Array.isArray(value) ? value.join(', ') : value ?? '';
      const list = byCase.get(name) ?? [];
      list.push({ partitions: url.searchParams.get('p') ?? '?', method: request.method ?? '', headers, body: Buffer.concat(chunks) });
      byCase.set(name, list);
      response.writeHead(size > MAX_BODY ? 413 : 200, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    byCase,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

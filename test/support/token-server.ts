/** A local OAuth2 token endpoint on 127.0.0.1: issues numbered tokens, records each request, answers as scripted. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenRequest {
  readonly headers: IncomingHttpHeaders;
  readonly form: URLSearchParams;
  readonly at: number;
}

export interface TokenReply {
  status?: number;
  body?: string;
  delayMs?: number;
}

export interface TokenServer {
  readonly url: string;
  readonly requests: TokenRequest[];
  /** Tokens issued so far, in order (`token-1`, `token-2`, ...), with when they were issued. */
  readonly issued: { token: string; at: number }[];
  /** Whether `token` was issued and is younger than `lifetimeMs` (Infinity when not set). */
  isValid(token: string, lifetimeMs?: number): boolean;
  respondWith(reply: (request: TokenRequest, index: number, nextToken: () => string) => TokenReply): void;
  close(): Promise<void>;
}

/** Default reply: a JSON body with a fresh token under `access_token`, `token_type` Bearer and `expires_in` 3600. */
export async function startTokenServer(): Promise<TokenServer> {
  const requests: TokenRequest[] = [];
  const issued: { token: string; at: number }[] = [];
  const nextToken = (): string => {
    const token = `token-${issued.length + 1}`;
    issued.push({ token, at: Date.now() });
    return token;
  };
  let reply: (request: TokenRequest, index: number, next: () => string) => TokenReply = (_r, _i, next) => ({
    body: JSON.stringify({ access_token: next(), token_type: 'Bearer', expires_in: 3600 }),
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: TokenRequest = { headers: req.headers, form: new URLSearchParams(Buffer.concat(chunks).toString()), at: Date.now() };
      requests.push(request);
      const answer = reply(request, requests.length - 1, nextToken);
      setTimeout(() => {
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
        res.end(answer.body ?? '');
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth/token`,
    requests,
    issued,
    isValid: (token, lifetimeMs = Infinity) => issued.some((t) => t.token === token && Date.now() - t.at < lifetimeMs),
    respondWith: (next) => {
      reply = next;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A schema registry on 127.0.0.1 speaking the subset of Confluent's REST API that @kafkajs/confluent-schema-registry
 * uses (ids, subject registration and lookup, versions, per-subject config), over http or https, enforcing basic auth.
 * It can be stopped and started again on the same port, and counts the schema fetches it served.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

interface Stored {
  id: number;
  subject: string;
  version: number;
  schema: string;
  schemaType?: string;
  references?: unknown[];
}

export interface TestRegistryOptions {
  /** Required credentials; every request without them gets 401. */
  readonly username: string;
  readonly password: string;
  /** Serve https with this certificate and key (PEM). */
  readonly tls?: { cert: Buffer; key: Buffer };
}

export interface TestRegistry {
  readonly url: string;
  /** `GET /schemas/ids/{id}` requests answered (any status), per id. */
  readonly idFetches: Map<number, number>;
  /** Every answered request as `METHOD path status`. */
  readonly log: string[];
  /** Each schema fetch waits this long before answering. */
  delayMs: number;
  /** While set, every authorised request gets this answer (a JSON body, or a string sent as it is): an outage, a proxy. */
  forceReply: { status: number; body: unknown } | undefined;
  /** Closes the port (connections refused) until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestRegistry(options: TestRegistryOptions): Promise<TestRegistry> {
  const stored: Stored[] = [];
  const idFetches = new Map<number, number>();
  const log: string[] = [];
  const expected = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  const registry: Partial<TestRegistry> & Pick<TestRegistry, 'delayMs' | 'forceReply'> = { delayMs: 0, forceReply: undefined };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>) : {};
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const reply = (status: number, json: unknown): void => {
      log.push(`${req.method} ${path} ${status}`);
      res.writeHead(status, { 'content-type': typeof json === 'string' ? 'text/html' : 'application/vnd.schemaregistry.v1+json' });
      res.end(typeof json === 'string' ? json : JSON.stringify(json));
    };
    if (req.headers.authorization !== expected) return reply(401, { error_code: 401, message: 'Unauthorized' });
    if (registry.forceReply) return reply(registry.forceReply.status, registry.forceReply.body);
    let match: RegExpExecArray | null;
    if (req.method === 'GET' && (match = /^\/schemas\/ids\/(\d+)$/.exec(path))) {
      const id = Number(match[1]);
      idFetches.set(id, (idFetches.get(id) ?? 0) + 1);
      if (registry.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, registry.delayMs));
      const found = stored.find((s) => s.id === id);
      if (!found) return reply(404, { error_code: 40403, message: `Schema ${id} not found` });
      return reply(200, { schema: found.schema, schemaType: found.schemaType, references: found.references });
    }
    if ((match = /^\/config\/(.+)$/.exec(path))) {
      if (req.method === 'PUT') return reply(200, { compatibility: body.compatibility });
      return reply(404, { error_code: 40401, message: 'Subject not found' });
    }
    if (req.method === 'POST' && (match = /^\/subjects\/(.+)\/versions$/.exec(path))) {
      const subject = match[1]!;
      const same = stored.find((s) => s.schema === body.schema && s.schemaType === body.schemaType);
      const version = stored.filter((s) => s.subject === subject).length + 1;
      const entry: Stored = { id: same?.id ?? stored.length + 1, subject, version, schema: String(body.schema), schemaType: body.schemaType as string | undefined, references: body.references as unknown[] | undefined };
      stored.push(entry);
      return reply(200, { id: entry.id });
    }
    if (req.method === 'POST' && (match = /^\/subjects\/(.+)$/.exec(path))) {
      const found = stored.find((s) => s.subject === match![1] && s.schema === body.schema);
      if (!found) return reply(404, { error_code: 40403, message: 'Schema not found' });
      return reply(200, { subject: found.subject, id: found.id, version: found.version, schema: found.schema });
    }
    if (req.method === 'GET' && (match = /^\/subjects\/(.+)\/versions\/(\w+)$/.exec(path))) {
      const versions = stored.filter((s) => s.subject === match![1]);
      const found = match[2] === 'latest' ? versions.at(-1) : versions.find((s) => s.version === Number(match![2]));
      if (!found) return reply(404, { error_code: 40402, message: 'Version not found' });
      return reply(200, { subject: found.subject, id: found.id, version: found.version, schema: found.schema, schemaType: found.schemaType, references: found.references });
    }
    return reply(404, { error_code: 404, message: `no route ${req.method} ${path}` });
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => res.destroy());
  };
  let server: Server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stop = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const start = async (): Promise<void> => {
    server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  };
  return Object.assign(registry, {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    idFetches,
    log,
    stop,
    start,
    close: () => (server.listening ? stop() : Promise.resolve()),
  }) as TestRegistry;
}

/** Confluent's Protobuf wire format, which the library's encode does not write (it omits the message-index list). */
export function protobufWire(schemaId: number, messageIndexes: readonly number[], payload: Uint8Array): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(schemaId, 1);
  const zigzag = (n: number): number[] => {
    const out: number[] = [];
    let v = (n << 1) ^ (n >> 31);
    while (v > 0x7f) {
      out.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.push(v);
    return out;
  };
  const indexes = messageIndexes.length === 1 && messageIndexes[0] === 0 ? [0] : [...zigzag(messageIndexes.length), ...messageIndexes.flatMap(zigzag)];
  return Buffer.concat([header, Buffer.from(indexes), payload]);
}

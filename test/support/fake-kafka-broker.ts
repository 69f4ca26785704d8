/**
 * A fake Kafka broker on 127.0.0.1 that goes as far as SASL authentication and records every byte it receives: it
 * answers ApiVersions (v0 to v3) and SaslHandshake (v0, v1) so that a client that trusts it sends its credentials
 * (SaslAuthenticate, or the raw SASL token after a v0 handshake), and answers nothing else.
 */
import { type AddressInfo, createServer, type Socket } from 'node:net';

export interface FakeBroker {
  /** `127.0.0.1:port`, for `bootstrap.servers`. */
  readonly address: string;
  /** Everything any client sent, in the order it arrived. */
  received(): Buffer;
  close(): Promise<void>;
}

const API_VERSIONS = 18;
const SASL_HANDSHAKE = 17;
const SASL_AUTHENTICATE = 36;
const METADATA = 3;

function frame(correlationId: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt32BE(4 + body.length, 0);
  head.writeInt32BE(correlationId, 4);
  return Buffer.concat([head, body]);
}

const int16 = (n: number): Buffer => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n, 0);
  return b;
};

/** ApiVersions answer: v0 to v2 plain arrays, v3 a compact array with tagged fields (the header stays v0). */
function apiVersions(version: number): Buffer {
  const apis: [number, number, number][] = [
    [API_VERSIONS, 0, 3],
    [SASL_HANDSHAKE, 0, 1],
    [SASL_AUTHENTICATE, 0, 0],
    [METADATA, 0, 4],
  ];
  if (version >= 3) {
    const entries = apis.map(([key, min, max]) => Buffer.concat([int16(key), int16(min), int16(max), Buffer.from([0])]));
    return Buffer.concat([int16(0), Buffer.from([apis.length + 1]), ...entries, int32(0), Buffer.from([0])]);
  }
  const entries = apis.map(([key, min, max]) => Buffer.concat([int16(key), int16(min), int16(max)]));
  return Buffer.concat([int16(0), int32(apis.length), ...entries, ...(version >= 1 ? [int32(0)] : [])]);
}

/** SaslHandshake answer: no error, and the mechanisms this broker says it takes. */
function saslHandshake(): Buffer {
  const mechanisms = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'].map((m) => Buffer.concat([int16(m.length), Buffer.from(m)]));
  return Buffer.concat([int16(0), int32(mechanisms.length), ...mechanisms]);
}

export async function startFakeBroker(): Promise<FakeBroker> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      chunks.push(data);
      pending = Buffer.concat([pending, data]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const size = pending.readInt32BE(0);
        const request = pending.subarray(4, 4 + size);
        pending = pending.subarray(4 + size);
        if (request.length < 8) continue;
        const key = request.readInt16BE(0);
        const version = request.readInt16BE(2);
        const correlationId = request.readInt32BE(4);
        if (key === API_VERSIONS) socket.write(frame(correlationId, apiVersions(version)));
        else if (key === SASL_HANDSHAKE) socket.write(frame(correlationId, saslHandshake()));
        // Anything else (the credentials): kept, not answered.
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    received: () => Buffer.concat(chunks),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Packs messages the way the patched node-rdkafka's `consumeBatch` does (patches/node-rdkafka/lean-consume.patch,
 * layout in src/source/slab-batch.ts), so the decoding can be tested without the addon. Unit tests only; the
 * integration test reads real batches from the broker.
 */
import type { NativeBatch } from '../../src/source/slab-batch.js';

export interface SlabMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp?: number;
  readonly key?: string | Buffer | null;
  readonly value?: string | Buffer | null;
  /** A null value is a header without a value. */
  readonly headers?: readonly (readonly [string, string | Buffer | null])[];
}

const bytes = (x: string | Buffer): Buffer => (typeof x === 'string' ? Buffer.from(x) : x);

export function encodeBatch(messages: readonly SlabMessage[], eofEvents: NativeBatch['eofEvents'] = []): NativeBatch {
  const n = messages.length;
  const headerCount = messages.reduce((sum, m) => sum + (m.headers?.length ?? 0), 0);
  const meta = Buffer.alloc(n * 16 + n * 32 + headerCount * 16);
  const offsets = new Float64Array(meta.buffer, meta.byteOffset, n);
  const timestamps = new Float64Array(meta.buffer, meta.byteOffset + n * 8, n);
  const fields = new Int32Array(meta.buffer, meta.byteOffset + n * 16, n * 8);
  const headers = new Int32Array(meta.buffer, meta.byteOffset + n * 48, headerCount * 4);
  const chunks: Buffer[] = [];
  const topics: string[] = [];
  let at = 0;
  let h = 0;
  const put = (x: string | Buffer | null | undefined): [number, number] => {
    const start = at;
    if (x === null || x === undefined) return [start, -1];
    const b = bytes(x);
    chunks.push(b);
    at += b.length;
    return [start, b.length];
  };
  messages.forEach((m, i) => {
    if (!topics.includes(m.topic)) topics.push(m.topic);
    offsets[i] = m.offset;
    timestamps[i] = m.timestamp ?? -1;
    const f = i * 8;
    fields[f] = m.partition;
    fields[f + 1] = topics.indexOf(m.topic);
    [fields[f + 2], fields[f + 3]] = put(m.key);
    [fields[f + 4], fields[f + 5]] = put(m.value);
    fields[f + 6] = h;
    fields[f + 7] = m.headers?.length ?? 0;
    for (const [name, value] of m.headers ?? []) {
      [headers[h * 4], headers[h * 4 + 1]] = put(name);
      [headers[h * 4 + 2], headers[h * 4 + 3]] = put(value);
      h += 1;
    }
  });
  return { count: n, headerCount, meta: n > 0 ? meta : null, data: n > 0 ? Buffer.concat(chunks) : null, topics, eofEvents };
}

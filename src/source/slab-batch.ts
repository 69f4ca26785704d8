/**
 * One poll as node-rdkafka's patched `consumeBatch` hands it over (patches/node-rdkafka/lean-consume.patch): the
 * messages' bytes in one slab and their metadata in typed arrays, read here without copying a byte.
 *
 * `meta`: float64 offsets[count], float64 timestamps[count], int32 fields[count][8] (see `F`), int32
 * headers[headerCount][4] (name start, name length, value start, value length); `data`: keys, values, header names
 * and values back to back. Starts index `data`; a length of -1 is null.
 */
import type { RecordHeader } from '../records/record.js';
import { NO_HEADERS } from './message-record.js';

export interface NativeBatch {
  readonly count: number;
  readonly headerCount: number;
  /** null when count is 0. */
  readonly meta: Buffer | null;
  readonly data: Buffer | null;
  /** Topic names, indexed by each message's topic field. */
  readonly topics: readonly string[];
  /** Partition ends (only with `enable.partition.eof`), after the message at `messageIndex` (-1: before the first). */
  readonly eofEvents: readonly { topic: string; partition: number; offset: number; messageIndex: number }[];
}

/** The int32 fields of message i start at `fields[i * F.size]`. */
export const F = { partition: 0, topic: 1, keyStart: 2, keyLength: 3, valueStart: 4, valueLength: 5, firstHeader: 6, headerCount: 7, size: 8 } as const;
const HEADER_SIZE = 4;

export interface SlabView {
  readonly count: number;
  readonly offsets: Float64Array;
  readonly timestamps: Float64Array;
  readonly fields: Int32Array;
  readonly headers: Int32Array;
  readonly data: Buffer;
}

/** Typed views over a batch's metadata (no copy: the native block starts 8-byte aligned). */
export function slabView(batch: NativeBatch): SlabView {
  const { count, headerCount } = batch;
  const meta = batch.meta!;
  const expected = count * 16 + count * F.size * 4 + headerCount * HEADER_SIZE * 4;
  if (meta.byteLength !== expected) throw new Error(`lean consume: metadata of ${meta.byteLength} bytes for ${count} messages and ${headerCount} headers (expected ${expected})`);
  // A Buffer from a pool may start unaligned (tests build batches in JavaScript): copy then, once per batch.
  const block = meta.byteOffset % 8 === 0 ? meta : Buffer.from(meta);
  const at = block.byteOffset;
  return {
    count,
    offsets: new Float64Array(block.buffer, at, count),
    timestamps: new Float64Array(block.buffer, at + count * 8, count),
    fields: new Int32Array(block.buffer, at + count * 16, count * F.size),
    headers: new Int32Array(block.buffer, at + count * 16 + count * F.size * 4, headerCount * HEADER_SIZE),
    data: batch.data ?? Buffer.alloc(0),
  };
}

/** Bytes at `start` of `length` as a view of the slab (no copy), or null for -1. */
export function slabBytes(data: Buffer, start: number, length: number): Buffer | null {
  return length < 0 ? null : data.subarray(start, start + length);
}

/** Message i's headers, in order (a null value is an empty Buffer, as node-rdkafka's `consume` gives it). */
export function slabHeaders(view: SlabView, i: number): readonly RecordHeader[] {
  const count = view.fields[i * F.size + F.headerCount]!;
  if (count === 0) return NO_HEADERS;
  const first = view.fields[i * F.size + F.firstHeader]!;
  const out: RecordHeader[] = [];
  for (let h = first; h < first + count; h++) {
    const at = h * HEADER_SIZE;
    const nameStart = view.headers[at]!;
    out.push({
      key: view.data.toString('utf8', nameStart, nameStart + view.headers[at + 1]!),
      value: slabBytes(view.data, view.headers[at + 2]!, view.headers[at + 3]!) ?? Buffer.alloc(0),
    });
  }
  return out;
}

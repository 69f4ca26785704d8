/**
 * JSON bytes -> text as Kafka Connect's JsonConverter reads them (Jackson's UTF-8 parser, checked against Kafka
 * Connect 3.9.1). Jackson does not replace bad bytes: a byte that cannot start a character (0x80-0xBF, 0xF8-0xFF) or
 * a sequence cut short (its next byte not 10xxxxxx) fails the record. It is lenient otherwise: an overlong form
 * (`C0 AF` is `/`) and an encoded surrogate (`ED A0 80` is U+D800) are read as their bits say, and a four-byte
 * sequence beyond U+10FFFF gives the surrogate pair its bits make.
 */
import { BadDataError } from '../common/errors.js';

/** The text of `bytes`; valid UTF-8 (nearly all data) costs one decode and one scan for U+FFFD. */
export function jacksonUtf8(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.includes('\uFFFD') ? decodeLeniently(bytes) : text;
}

function decodeLeniently(bytes: Buffer): string {
  const units: number[] = [];
  let out = '';
  const middle = (at: number): number => {
    const b = bytes[at];
    if (b === undefined || (b & 0xc0) !== 0x80) {
      throw new BadDataError('malformed', `invalid JSON (Invalid UTF-8 middle byte ${b === undefined ? 'at the end' : hex(b)} at byte ${at})`);
    }
    return b & 0x3f;
  };
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i]!;
    if (c < 0x80) {
      units.push(c);
      i += 1;
    } else if ((c & 0xe0) === 0xc0) {
      units.push(((c & 0x1f) << 6) | middle(i + 1));
      i += 2;
    } else if ((c & 0xf0) === 0xe0) {
      units.push(((c & 0x0f) << 12) | (middle(i + 1) << 6) | middle(i + 2));
      i += 3;
    } else if ((c & 0xf8) === 0xf0) {
      const point = (((c & 0x07) << 18) | (middle(i + 1) << 12) | (middle(i + 2) << 6) | middle(i + 3)) - 0x10000;
      units.push((0xd800 | (point >> 10)) & 0xffff, 0xdc00 | (point & 0x3ff)); // as Java's char casts cut them
      i += 4;
    } else {
      throw new BadDataError('malformed', `invalid JSON (Invalid UTF-8 start byte ${hex(c)} at byte ${i})`);
    }
    if (units.length >= 4096) out += String.fromCharCode(...units.splice(0));
  }
  return out + String.fromCharCode(...units);
}

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

/**
 * Bytes -> text as Java's `new String(bytes, charset)` reads them, which is what Kafka Connect's StringConverter does
 * (`converter.encoding`, UTF-8 by default). Java replaces each malformed sequence with one U+FFFD, as Node does,
 * except for an encoded surrogate (`ED A0 80`..`ED BF BF`, and `ED A0`..`ED BF` cut short), which Java replaces with
 * one U+FFFD where Node (after the WHATWG rules) writes one per byte.
 */

/** The charsets `converter.encoding` takes here, by the names Java knows them by (any case). */
export const STRING_ENCODINGS = ['UTF-8', 'ISO-8859-1', 'US-ASCII', 'UTF-16', 'UTF-16BE', 'UTF-16LE'] as const;
export type StringEncoding = (typeof STRING_ENCODINGS)[number];

const ALIASES: Readonly<Record<string, StringEncoding>> = {
  'UTF-8': 'UTF-8',
  UTF8: 'UTF-8',
  'ISO-8859-1': 'ISO-8859-1',
  'ISO8859-1': 'ISO-8859-1',
  ISO8859_1: 'ISO-8859-1',
  LATIN1: 'ISO-8859-1',
  'US-ASCII': 'US-ASCII',
  ASCII: 'US-ASCII',
  'UTF-16': 'UTF-16',
  UTF_16: 'UTF-16',
  UTF16: 'UTF-16',
  UNICODE: 'UTF-16',
  UNICODEBIG: 'UTF-16',
  'UTF-16BE': 'UTF-16BE',
  UTF_16BE: 'UTF-16BE',
  'X-UTF-16BE': 'UTF-16BE',
  'ISO-10646-UCS-2': 'UTF-16BE',
  UNICODEBIGUNMARKED: 'UTF-16BE',
  'UTF-16LE': 'UTF-16LE',
  UTF_16LE: 'UTF-16LE',
  'X-UTF-16LE': 'UTF-16LE',
  UNICODELITTLEUNMARKED: 'UTF-16LE',
};

/** The encoding a `converter.encoding` value names, or undefined when it is not one of STRING_ENCODINGS. */
export function stringEncoding(name: string): StringEncoding | undefined {
  const upper = name.trim().toUpperCase();
  return Object.prototype.hasOwnProperty.call(ALIASES, upper) ? ALIASES[upper] : undefined;
}

/** The bytes as Java decodes them with `encoding`. */
export function javaDecode(bytes: Buffer, encoding: StringEncoding): string {
  if (encoding === 'ISO-8859-1') return bytes.toString('latin1');
  if (encoding === 'US-ASCII') return javaAscii(bytes);
  if (encoding === 'UTF-16BE') return UTF16BE.decode(bytes);
  if (encoding === 'UTF-16LE') return UTF16LE.decode(bytes);
  if (encoding === 'UTF-16') return javaUtf16(bytes);
  return javaUtf8(bytes);
}

// Java's UTF-16BE/LE keep a byte order mark as U+FEFF and replace a lone surrogate or a last odd byte with one U+FFFD,
// as the WHATWG decoders do when told to keep the mark.
const UTF16BE = new TextDecoder('utf-16be', { ignoreBOM: true });
const UTF16LE = new TextDecoder('utf-16le', { ignoreBOM: true });

/** Java's UTF-16: a leading byte order mark picks the byte order and is dropped; big-endian without one. */
function javaUtf16(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return UTF16BE.decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return UTF16LE.decode(bytes.subarray(2));
  return UTF16BE.decode(bytes);
}

/** UTF-8 as Java decodes it: Node's text, with one U+FFFD per encoded surrogate (only text with a U+FFFD is looked at again). */
export function javaUtf8(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (!text.includes('\uFFFD') || !hasEncodedSurrogate(bytes)) return text;
  let out = '';
  let from = 0;
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] !== 0xed || bytes[i + 1]! < 0xa0 || bytes[i + 1]! > 0xbf) continue;
    const end = i + 2 < bytes.length && bytes[i + 2]! >= 0x80 && bytes[i + 2]! <= 0xbf ? i + 3 : i + 2;
    out += `${bytes.toString('utf8', from, i)}\uFFFD`;
    from = end;
    i = end - 1;
  }
  return out + bytes.toString('utf8', from);
}

/** 0xED then 0xA0-0xBF: the start of an encoded surrogate. (0xED is never a continuation byte.) */
function hasEncodedSurrogate(bytes: Buffer): boolean {
  for (let i = bytes.indexOf(0xed); i >= 0 && i < bytes.length - 1; i = bytes.indexOf(0xed, i + 1)) {
    if (bytes[i + 1]! >= 0xa0 && bytes[i + 1]! <= 0xbf) return true;
  }
  return false;
}

/** US-ASCII as Java decodes it: bytes above 0x7F are U+FFFD (Node's `ascii` would drop their top bit instead). */
function javaAscii(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  return /[\u0080-\u00ff]/.test(text) ? text.replace(/[\u0080-\u00ff]/g, '\uFFFD') : text;
}

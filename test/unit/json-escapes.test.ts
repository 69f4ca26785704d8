/**
 * Escapes in the JSON text we send, as Jackson writes them for Kafka Connect's JsonConverter (issue 20). Expected
 * texts are Kafka Connect 3.9.1's bytes for the same input (JsonConverter in and out, schemas.enable=false).
 */
import { describe, expect, it } from '@jest/globals';
import { jsonText } from '../../src/common/json-text.js';
import { jsonConverter } from '../../src/decode/converter.js';

const body = (json: string): string => jsonText(jsonConverter(false)(Buffer.from(json), { topic: 't', partition: 0, offset: 0 }));

describe('JSON escapes as Jackson writes them', () => {
  it('writes control characters with uppercase hex, other text (U+007F, U+2028, é) as UTF-8', () => {
    expect(body('{"a":"\\u0001\\u001f\\u007f\\u2028é"}')).toBe('{"a":"\\u0001\\u001F\u007f\u2028é"}');
  });

  it('writes every surrogate as its own escape: an emoji as \\uD83D\\uDE00, a lone one as \\uD800', () => {
    expect(body('{"b":"\\ud83d\\ude00","c":"\\ud800","d":"\\udc00x"}')).toBe('{"b":"\\uD83D\\uDE00","c":"\\uD800","d":"\\uDC00x"}');
  });

  it('escapes keys alike and leaves an escaped backslash followed by "u001f" as it is', () => {
    expect(body('{"k\\u001f\\ud83d\\ude00":"\\\\u001f","x":"\\\\\\u001f"}')).toBe('{"x":"\\\\\\u001F","k\\u001F\\uD83D\\uDE00":"\\\\u001f"}');
  });

  it('leaves text without escapes or surrogates as JSON.stringify writes it', () => {
    expect(jsonText({ a: 'plain', n: 1 })).toBe('{"a":"plain","n":1}');
  });
});

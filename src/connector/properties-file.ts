/**
 * A connector `.properties` file, read the way Java's `Properties.load` reads it (Kafka Connect standalone files, as
 * Confluent's quick starts write them): `key=value`, `key: value` or `key value`; `#` and `!` comments; a line ending
 * in an odd number of backslashes continues on the next; escapes `\t \n \r \f \uXXXX` and `\<any>` -> that character.
 */

export function parsePropertiesFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of logicalLines(text)) {
    let i = 0;
    let key = '';
    while (i < line.length && !'=: \t\f'.includes(line[i]!)) {
      if (line[i] === '\\' && i + 1 < line.length) {
        key += line.slice(i, i + 2);
        i += 2;
      } else key += line[i++];
    }
    while (i < line.length && ' \t\f'.includes(line[i]!)) i++;
    if (i < line.length && '=:'.includes(line[i]!)) i++;
    while (i < line.length && ' \t\f'.includes(line[i]!)) i++;
    result[unescape(key)] = unescape(line.slice(i));
  }
  return result;
}

/** Lines with comments and blanks dropped and continuations joined (the next line's leading blanks removed). */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending: string | undefined;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = pending === undefined ? raw.replace(/^[ \t\f]+/, '') : pending + raw.replace(/^[ \t\f]+/, '');
    if (pending === undefined && (line === '' || line.startsWith('#') || line.startsWith('!'))) continue;
    const trailing = /\\*$/.exec(line)![0].length;
    if (trailing % 2 === 1) {
      pending = line.slice(0, -1);
      continue;
    }
    pending = undefined;
    lines.push(line);
  }
  if (pending !== undefined) lines.push(pending);
  return lines;
}

const ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_match, escaped: string) => {
    if (escaped.length === 5) return String.fromCharCode(parseInt(escaped.slice(1), 16));
    return ESCAPES[escaped] ?? escaped;
  });
}

/**
 * Java SimpleDateFormat patterns (as TimestampConverter and TimestampRouter take them), in UTC: `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`
 * and the like. Letters supported: G y M d H h k K m s S a E D Z X (and quoted text); any other letter is refused when
 * the pattern is compiled, so a connector file with one fails at start, not per record. Dates are those of Java's
 * GregorianCalendar: Julian before 1582-10-15 (so 1582-10-04 is followed by 1582-10-15), years before 1 counted BC.
 */
import { civilDate, epochDay } from './julian-calendar.js';

type Token = { readonly literal: string } | { readonly letter: string; readonly count: number };

const SUPPORTED = new Set('GyMdHhkKmsSaEDZX');
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface JavaDateFormat {
  format(epochMs: number): string;
  /** Epoch ms, or undefined when `text` does not match the pattern. */
  parse(text: string): number | undefined;
}

/** Compiles `pattern`; throws an Error saying which letter is not supported. */
export function javaDateFormat(pattern: string): JavaDateFormat {
  const tokens = tokenize(pattern);
  const regex = new RegExp(`^${tokens.map(tokenRegex).join('')}$`);
  return {
    format: (ms) => {
      const d = new Date(ms);
      const date = civilDate(ms);
      return tokens.map((t) => ('literal' in t ? t.literal : formatField(d, date, t.letter, t.count))).join('');
    },
    parse: (text) => {
      const match = regex.exec(text);
      if (!match) return undefined;
      const parts = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0, pm: false, h12: -1, offsetMin: 0, D: 0, bc: false };
      let group = 1;
      for (const t of tokens) {
        if ('literal' in t) continue;
        const v = match[group++]!;
        switch (t.letter) {
          case 'y': parts.y = t.count === 2 ? 2000 + Number(v) : Number(v); break;
          case 'M': parts.M = t.count >= 3 ? MONTHS.findIndex((m) => m.toLowerCase().startsWith(v.toLowerCase())) + 1 : Number(v); break;
          case 'd': parts.d = Number(v); break;
          case 'D': parts.D = Number(v); break;
          case 'H': case 'k': parts.H = Number(v) % 24; break;
          case 'h': case 'K': parts.h12 = Number(v) % 12; break;
          case 'm': parts.m = Number(v); break;
          case 's': parts.s = Number(v); break;
          // SimpleDateFormat's S is a count of milliseconds, not a fraction: "12.5" by ss.S is 12 s 5 ms (and,
          // lenient as Java's default, more than 999 carries into the seconds).
          case 'S': parts.S = Number(v); break;
          case 'a': parts.pm = v.toUpperCase() === 'PM'; break;
          case 'G': parts.bc = v.toUpperCase() === 'BC'; break;
          case 'Z': case 'X': parts.offsetMin = offsetMinutes(v); break;
        }
      }
      const hour = parts.h12 >= 0 ? parts.h12 + (parts.pm ? 12 : 0) : parts.H;
      const year = parts.bc ? 1 - parts.y : parts.y;
      const day = parts.D > 0 ? epochDay(year, 1, 1) + parts.D - 1 : epochDay(year, parts.M, parts.d);
      const ms = day * 86_400_000 + ((hour * 60 + parts.m) * 60 + parts.s) * 1000 + parts.S - parts.offsetMin * 60_000;
      return Number.isFinite(ms) ? ms : undefined;
    },
  };
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) tokens.push({ literal: "'" });
      else tokens.push({ literal: pattern.slice(i + 1, end < 0 ? pattern.length : end) });
      i = end < 0 ? pattern.length : end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      if (!SUPPORTED.has(c)) throw new Error(`pattern letter ${c} is not supported (supported: ${[...SUPPORTED].join(' ')})`);
      let count = 1;
      while (pattern[i + count] === c) count++;
      tokens.push({ letter: c, count });
      i += count;
    } else {
      tokens.push({ literal: c });
      i++;
    }
  }
  return tokens;
}

function tokenRegex(t: Token): string {
  if ('literal' in t) return t.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  switch (t.letter) {
    case 'M':
      return t.count >= 3 ? '([A-Za-z]+)' : t.count === 1 ? '(\\d{1,2})' : `(\\d{${t.count}})`;
    case 'a':
      return '([AaPp][Mm])';
    case 'G':
      return '([Aa][Dd]|[Bb][Cc])';
    case 'E':
      return '([A-Za-z]+)';
    case 'Z':
    case 'X':
      return '(Z|[+-]\\d{2}:?\\d{2}|[+-]\\d{2})';
    case 'S':
      return `(\\d{1,${Math.max(3, t.count)}})`;
    case 'y':
      return t.count === 2 ? '(\\d{2})' : '(\\d{4,})';
    default:
      return t.count === 1 ? '(\\d{1,3})' : `(\\d{${t.count}})`;
  }
}

function offsetMinutes(text: string): number {
  if (text === 'Z') return 0;
  const digits = text.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return text[0] === '-' ? -minutes : minutes;
}

/** `d` for the time of day and weekday, `date` (Julian or Gregorian, as Java has it) for the calendar fields. */
function formatField(d: Date, date: ReturnType<typeof civilDate>, letter: string, count: number): string {
  const pad = (n: number): string => String(n).padStart(count, '0');
  const yearOfEra = date.year <= 0 ? 1 - date.year : date.year;
  switch (letter) {
    case 'G':
      return date.year <= 0 ? 'BC' : 'AD';
    case 'y':
      return count === 2 ? String(yearOfEra % 100).padStart(2, '0') : pad(yearOfEra);
    case 'M':
      return count >= 4 ? MONTHS[date.month - 1]! : count === 3 ? MONTHS[date.month - 1]!.slice(0, 3) : pad(date.month);
    case 'd':
      return pad(date.day);
    case 'D':
      return pad(date.dayOfYear);
    case 'H':
      return pad(d.getUTCHours());
    case 'k':
      return pad(d.getUTCHours() === 0 ? 24 : d.getUTCHours());
    case 'h':
      return pad(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12);
    case 'K':
      return pad(d.getUTCHours() % 12);
    case 'm':
      return pad(d.getUTCMinutes());
    case 's':
      return pad(d.getUTCSeconds());
    case 'S':
      // The millisecond count zero-padded to the width (SimpleDateFormat's "Number" presentation): 5 ms is "5" by S,
      // "005" by SSS, "000005" by SSSSSS; 123 ms is "123" even by S.
      return pad(d.getUTCMilliseconds());
    case 'a':
      return d.getUTCHours() < 12 ? 'AM' : 'PM';
    case 'E':
      return count >= 4 ? DAYS[d.getUTCDay()]! : DAYS[d.getUTCDay()]!.slice(0, 3);
    case 'Z':
      return '+0000';
    case 'X':
      return 'Z';
    default:
      return '';
  }
}

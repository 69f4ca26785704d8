/**
 * Seeded random cases beyond the hand-written ones: schemaless JSON objects and JsonConverter envelopes with random
 * shapes, keys, text and number text, some through a random transform. The same seed gives the same cases.
 */
import type { CaseRecord, ConformanceCase } from './cases.js';

type Random = () => number;

/** mulberry32: a small, well-spread 32-bit generator. */
function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Random, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: Random, items: readonly T[]): T => items[int(r, 0, items.length - 1)]!;

const CHARS = ['a', 'b', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', '\u007f', 'é', 'ß', '中', '\u2028', '😀', '𝄞', '\ud800', '\udfff'];

function text(r: Random, max = 8): string {
  let s = '';
  for (let i = int(r, 0, max); i > 0; i--) s += pick(r, CHARS);
  return s;
}

function key(r: Random): string {
  return r() < 0.7 ? pick(r, ['id', 'name', 'a', 'b', 'Aa', 'BB', 'value', 'ts', 'x1', 'x2', 'zz', 'mid']) + (r() < 0.3 ? String(int(r, 0, 99)) : '') : text(r, 4);
}

/** Number text as a producer might write it: integers of any length, fractions, exponents, signs, zeros. */
function numberText(r: Random): string {
  const digits = (n: number): string => Array.from({ length: n }, (_, i) => String(i === 0 ? int(r, 1, 9) : int(r, 0, 9))).join('');
  const sign = r() < 0.3 ? '-' : '';
  const whole = r() < 0.15 ? '0' : digits(pick(r, [1, 2, 5, 10, 16, 19, 20, 25]));
  const fraction = r() < 0.4 ? '.' + (r() < 0.2 ? '0' : digits(int(r, 1, 18))) : '';
  const exponent = r() < 0.25 ? pick(r, ['e', 'E']) + pick(r, ['', '+', '-']) + String(pick(r, [0, 1, 7, 22, 300, 308, 324, 400])) : '';
  return sign + whole + fraction + exponent;
}

function jsonText(r: Random, depth: number): string {
  const roll = r();
  if (depth > 0 && roll < 0.2) return objectText(r, depth - 1);
  if (depth > 0 && roll < 0.3) return `[${Array.from({ length: int(r, 0, 3) }, () => jsonText(r, depth - 1)).join(',')}]`;
  if (roll < 0.6) return numberText(r);
  if (roll < 0.85) return JSON.stringify(text(r));
  return pick(r, ['true', 'false', 'null']);
}

function objectText(r: Random, depth: number): string {
  const fields = Array.from({ length: int(r, 0, 9) }, () => `${JSON.stringify(key(r))}:${jsonText(r, depth)}`);
  return `{${fields.join(',')}}`;
}

interface Field {
  field: string;
  type: string;
  optional?: boolean;
  fields?: Field[];
  items?: { type: string };
  keys?: { type: string };
  values?: { type: string };
}

const RANGES: Record<string, [number, number]> = { int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647] };

function fieldValue(r: Random, f: Field): string {
  if (f.optional && r() < 0.25) return 'null';
  switch (f.type) {
    case 'int8': case 'int16': case 'int32': {
      const [min, max] = RANGES[f.type]!;
      return String(r() < 0.3 ? pick(r, [min, max, 0, -1]) : int(r, min, max));
    }
    case 'int64': return pick(r, ['9223372036854775807', '-9223372036854775808', String(int(r, -1e9, 1e9)), '9007199254740993']);
    case 'float': case 'double': return r() < 0.7 ? numberText(r).replace(/e\+?-?(300|308|324|400)$/i, 'e5') : pick(r, ['-0.0', '0.1', '16777217', '3.4028235e38']);
    case 'boolean': return pick(r, ['true', 'false']);
    case 'string': return JSON.stringify(text(r));
    case 'bytes': return JSON.stringify(Buffer.from(text(r)).toString('base64'));
    case 'array': return `[${Array.from({ length: int(r, 0, 3) }, () => String(int(r, -5, 5))).join(',')}]`;
    case 'map': return `{${Array.from({ length: int(r, 0, 4) }, () => `${JSON.stringify(key(r))}:${int(r, -9, 9)}`).join(',')}}`;
    default: return `{${(f.fields ?? []).map((g) => `${JSON.stringify(g.field)}:${fieldValue(r, g)}`).join(',')}}`;
  }
}

function structSchema(r: Random, depth: number): Field[] {
  const names = new Set<string>();
  const fields: Field[] = [];
  for (let i = int(r, 1, 7); i > 0; i--) {
    const name = key(r);
    if (names.has(name) || name.trim() === '') continue; // Connect refuses a blank field name (a case of its own)
    names.add(name);
    const type = pick(r, ['int8', 'int16', 'int32', 'int64', 'float', 'double', 'boolean', 'string', 'bytes', 'array', 'map', ...(depth > 0 ? ['struct'] : [])]);
    const f: Field = { field: name, type, optional: r() < 0.3 };
    if (type === 'array') f.items = { type: 'int32' };
    if (type === 'map') Object.assign(f, { keys: { type: 'string' }, values: { type: 'int32' } });
    if (type === 'struct') f.fields = structSchema(r, depth - 1);
    fields.push(f);
  }
  return fields;
}

const T = 'org.apache.kafka.connect.transforms.';
const TRANSFORMS: Record<string, string>[] = [
  {},
  { type: `${T}Flatten$Value` },
  { type: `${T}HoistField$Value`, field: 'h' },
  { type: `${T}InsertField$Value`, 'static.field': 'added', 'static.value': 'v', 'offset.field': 'off' },
  { type: `${T}ReplaceField$Value`, exclude: 'id,a' },
  { type: `${T}MaskField$Value`, fields: 'name' },
];

/** `count` cases from `seed`: alternately schemaless objects and envelopes, five records each. */
export function generateCases(seed: number, count: number): ConformanceCase[] {
  const r = seeded(seed);
  const cases: ConformanceCase[] = [];
  for (let n = 0; n < count; n++) {
    const withSchema = n % 2 === 1;
    const transform = pick(r, TRANSFORMS);
    const schema = withSchema ? { type: 'struct', fields: structSchema(r, 2) } : undefined;
    const records: CaseRecord[] = Array.from({ length: 5 }, () => {
      const payload = schema ? fieldValue(r, { field: '', type: 'struct', fields: schema.fields }) : objectText(r, 2);
      return { key: `k${int(r, 0, 9)}`, value: schema ? `{"schema":${JSON.stringify(schema)},"payload":${payload}}` : payload };
    });
    const connector: ConformanceCase['connector'] = {
      'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector',
      'http.authorization.type': 'none',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': String(withSchema),
    };
    if (transform.type) {
      connector.transforms = 't';
      for (const [k, v] of Object.entries(transform)) connector[`transforms.t.${k}`] = v;
    }
    const shape = `${withSchema ? 'envelope' : 'schemaless'}${transform.type ? '-' + transform.type.slice(T.length).replace('$Value', '') : ''}`;
    cases.push({ name: `generated/${seed}-${n}-${shape}`, about: `seed ${seed}, case ${n}: random ${shape} records`, partitions: 1, connector, records });
  }
  return cases;
}

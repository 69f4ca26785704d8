/**
 * The suite's cases: data files under conformance/cases/ (one case, or `{"cases": [...]}`), each a connector file
 * plus the records to produce and a line saying what it is about, and the seeded generator's cases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One record to produce. `value` is UTF-8 text as written (a JSON document keeps its number text), `valueJson` any
 * JSON value written with JSON.stringify (handy for envelopes), `valueHex` raw bytes (invalid UTF-8); a null
 * `value` is a tombstone. The same for the key.
 */
export interface CaseRecord {
  partition?: number;
  key?: string | null;
  keyJson?: unknown;
  keyHex?: string;
  value?: string | null;
  valueJson?: unknown;
  valueHex?: string;
  /** Kafka headers in order, as [name, UTF-8 text]. */
  headers?: [string, string][];
}

export interface ConformanceCase {
  /** `<file>` or `<file>/<name>`: also names the topic and the two connectors. */
  name: string;
  about: string;
  partitions: number;
  /** The connector file, without `name`, `topics` and `http.url` (the suite sets them). */
  connector: Record<string, string | number | boolean | null>;
  records: CaseRecord[];
}

interface CaseFileEntry {
  name?: string;
  about?: string;
  partitions?: number;
  connector?: Record<string, string | number | boolean | null>;
  records?: CaseRecord[];
}

/** Every case of every file in `dir`, in file then listing order; a malformed file throws naming it. */
export function loadCases(dir: string): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const base = file.slice(0, -'.json'.length);
    const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CaseFileEntry & { cases?: CaseFileEntry[]; defaults?: CaseFileEntry };
    const entries = parsed.cases ?? [parsed];
    for (const entry of entries) {
      const merged = { ...parsed.defaults, ...entry, connector: { ...parsed.defaults?.connector, ...entry.connector } };
      const name = entry.name ? `${base}/${entry.name}` : base;
      cases.push(checkCase(name, merged, file));
    }
  }
  return cases;
}

function checkCase(name: string, entry: CaseFileEntry, file: string): ConformanceCase {
  const problem = (what: string): never => {
    throw new Error(`conformance/cases/${file}: case ${name}: ${what}`);
  };
  if (typeof entry.about !== 'string' || entry.about === '') problem('"about" (what the case is about) is required');
  if (!entry.records || entry.records.length === 0) problem('"records" must list at least one record');
  const partitions = entry.partitions ?? 1;
  for (const key of ['name', 'topics', 'topics.regex', 'http.url']) if (entry.connector && key in entry.connector) problem(`the suite sets "${key}"; leave it out`);
  for (const [i, r] of (entry.records ?? []).entries()) {
    if ((r.partition ?? 0) >= partitions) problem(`record ${i}: partition ${r.partition} but ${partitions} partition(s)`);
    if (r.value === undefined && r.valueHex === undefined && r.valueJson === undefined) {
      problem(`record ${i}: "value" (null for a tombstone), "valueJson" or "valueHex" is required`);
    }
  }
  return { name, about: entry.about!, partitions, connector: entry.connector ?? {}, records: entry.records! };
}

/** A name Kafka and both REST APIs take as a topic and a connector name. */
export function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The bytes of a record's key or value (null: none). An empty text is produced as null by the client: avoid it. */
export function recordBytes(text: string | null | undefined, json: unknown, hex: string | undefined): Buffer | null {
  if (hex !== undefined) return Buffer.from(hex, 'hex');
  if (json !== undefined) return Buffer.from(JSON.stringify(json), 'utf8');
  return text === null || text === undefined ? null : Buffer.from(text, 'utf8');
}

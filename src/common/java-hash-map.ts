/**
 * The key order of a java.util.HashMap, which is the order Kafka Connect writes a schemaless map in: JsonConverter
 * reads a JSON object into a HashMap, and InsertField, MaskField, Cast, ReplaceField, ValueToKey, HoistField and
 * TimestampConverter copy maps into new HashMaps. A HashMap iterates its table bucket by bucket (bucket = the key's
 * String.hashCode, its high half folded into the low, masked by the table size), and within a bucket in the order
 * the keys were first put (a resize splits a bucket keeping that order). So the order follows from the keys in put
 * order and the table size, which follows from how the map was made and how many keys it got.
 *
 * Our maps are plain objects whose key order is the Java map's iteration order at every stage, so writing them is
 * plain JSON.stringify. Not reproduced: keys that are array indices (`"0"`, `"42"`), which JavaScript objects always
 * list first in ascending order, and buckets of more than 8 colliding keys in a table of 64 or more, which Java turns
 * into a tree with an order of its own (a crafted input; the order stays the put order there).
 */

/** Java's table sizes are powers of two from 1 to 2^30. */
const MAX_CAPACITY = 1 << 30;

/** Java's String.hashCode over UTF-16 code units, with HashMap's spread (`h ^ (h >>> 16)`). */
export function javaKeyHash(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(31, h) + key.charCodeAt(i)) | 0;
  return h ^ (h >>> 16);
}

/** HashMap.tableSizeFor: the least power of two at least `n` (1 for 0). */
function tableSizeFor(n: number): number {
  if (n <= 1) return 1;
  return n >= MAX_CAPACITY ? MAX_CAPACITY : 2 ** Math.ceil(Math.log2(n));
}

/** The table size once `count` distinct keys were put into a table of `capacity` (doubling past 3/4 full). */
function grownCapacity(capacity: number, count: number): number {
  let cap = capacity;
  // The threshold is (int) (cap * 0.75): 0 for a table of 1, so its first key already doubles it.
  while (cap < MAX_CAPACITY && count > Math.floor(cap * 0.75)) cap *= 2;
  return cap;
}

/** `new HashMap<>()` then `count` puts (JsonConverter, HoistField): 16 slots, grown as needed. */
export function defaultMapCapacity(count: number): number {
  return grownCapacity(16, count);
}

/**
 * `new HashMap<>(m)` for a map of `size` keys, then `count` keys in all after further puts (InsertField, MaskField,
 * Cast, TimestampConverter). Java 17's copy constructor sizes the table for `size / 0.75 + 1` keys (float arithmetic);
 * Java 19 and later for `ceil(size / 0.75)`, which is smaller for some sizes (12 keys: 32 slots on 17, 16 on 21): we
 * follow Java 17 (see docs/compatibility.md).
 */
export function copiedMapCapacity(size: number, count = size): number {
  if (size === 0) return grownCapacity(16, count);
  const wanted = Math.trunc(Math.fround(Math.fround(size / 0.75) + 1));
  return grownCapacity(tableSizeFor(wanted), count);
}

/** `new HashMap<>(initialCapacity)` then `count` puts (ReplaceField, ValueToKey). */
export function sizedMapCapacity(initialCapacity: number, count: number): number {
  return grownCapacity(tableSizeFor(initialCapacity), count);
}

/**
 * The object with its keys in the iteration order of a HashMap of `capacity` slots into which they were put in their
 * current order. The same object when that is already its order (no copy: the common case of few keys); else a new
 * one.
 *
 * @example
 * inHashMapOrder({ b: 1, a: 2, c: 3 }, 16) // { a: 2, b: 1, c: 3 }
 */
export function inHashMapOrder<T extends Record<string, unknown>>(object: T, capacity: number): T {
  return ordered(object, Object.keys(object), capacity);
}

/** Bucket of each key of the object being ordered (reused: ordering never nests). */
let buckets = new Int32Array(64);
/** String.hashCode of keys seen lately: a topic's records share their keys, and a Map lookup beats the loop. */
const hashes = new Map<string, number>();
const HASHES_LIMIT = 10_000;

function cachedHash(key: string): number {
  let h = hashes.get(key);
  if (h === undefined) {
    h = javaKeyHash(key);
    if (hashes.size >= HASHES_LIMIT) hashes.clear();
    hashes.set(key, h);
  }
  return h;
}

/** Up to this many keys an insertion sort orders an object's keys. */
const SMALL_OBJECT = 32;

function ordered<T extends Record<string, unknown>>(object: T, keys: readonly string[], capacity: number): T {
  const n = keys.length;
  if (n < 2) return object;
  if (buckets.length < n) buckets = new Int32Array(2 ** Math.ceil(Math.log2(n)));
  const mask = capacity - 1;
  let sorted = true;
  for (let i = 0; i < n; i++) {
    buckets[i] = cachedHash(keys[i]!) & mask;
    if (i > 0 && buckets[i]! < buckets[i - 1]!) sorted = false;
  }
  if (sorted) return object;
  // A stable sort of the positions by bucket: insertion sort for the usual small object; V8's stable sort beyond, as
  // a record's producer decides how many keys an object has (insertion sort is quadratic).
  const order = new Array<number>(n);
  if (n > SMALL_OBJECT) {
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => buckets[a]! - buckets[b]!);
  } else {
    for (let i = 0; i < n; i++) {
      let j = i;
      while (j > 0 && buckets[order[j - 1]!]! > buckets[i]!) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = i;
    }
  }
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) setOwn(out, keys[order[i]!]!, object[keys[order[i]!]!]);
  return out as T;
}

/**
 * The JSON value with every object in HashMap order, as JsonConverter reads JSON into a Connect value without a
 * schema (objects in place when already in order; arrays are lists and keep theirs).
 */
export function jsonInHashMapOrder(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = jsonInHashMapOrder(value[i]);
    return value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value; // a JsonNumber: a number
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  for (const key of keys) {
    const v = object[key];
    if (typeof v === 'object' && v !== null) {
      const inner = jsonInHashMapOrder(v);
      if (inner !== v) setOwn(object, key, inner);
    }
  }
  return ordered(object, keys, defaultMapCapacity(keys.length));
}

/** An own enumerable property, also for a key `__proto__` (which plain assignment would not set). */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/**
 * `new HashMap<>(source)`, then `put(key, value)` for each of `puts` in order (a key already there keeps its place,
 * a new one is put last): the object in that map's iteration order.
 *
 * @example
 * copiedHashMap({ a: 1 }, [['topic', 't']]) // InsertField's `new HashMap<>(value)` + `put("topic", ...)`
 */
export function copiedHashMap(source: Record<string, unknown>, puts: Iterable<readonly [string, unknown]> = []): Record<string, unknown> {
  const out: Record<string, unknown> = { ...source };
  const size = Object.keys(source).length;
  let count = size;
  for (const [key, value] of puts) {
    if (!Object.prototype.hasOwnProperty.call(out, key)) count++;
    setOwn(out, key, value);
  }
  return inHashMapOrder(out, copiedMapCapacity(size, count));
}

/** `new HashMap<>(initialCapacity)` with `entries` put in order (ReplaceField, ValueToKey): the object in its order. */
export function sizedHashMap(initialCapacity: number, entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const [key, value] of entries) {
    if (!Object.prototype.hasOwnProperty.call(out, key)) count++;
    setOwn(out, key, value);
  }
  return inHashMapOrder(out, sizedMapCapacity(initialCapacity, count));
}

/**
 * The iteration order of `items` in a java.util.HashSet made from the list (MaskField's `fields`), or in a HashMap
 * they were put into in list order with `new HashMap<>()` (`set: false`; Cast's `spec`).
 */
export function javaSetOrder(items: readonly string[], set = true): string[] {
  const unique = [...new Set(items)];
  // HashSet(Collection) sizes its map for max(size / 0.75 + 1, 16) keys, counting the list's duplicates.
  const capacity = set ? sizedMapCapacity(Math.max(Math.trunc(Math.fround(items.length / 0.75)) + 1, 16), unique.length) : defaultMapCapacity(unique.length);
  const mask = capacity - 1;
  return unique.map((key, i) => ({ key, i, bucket: javaKeyHash(key) & mask })).sort((x, y) => x.bucket - y.bucket || x.i - y.i).map((e) => e.key);
}

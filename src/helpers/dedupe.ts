/**
 * Streaming de-duplication: the first item with a given key wins, later ones are skipped. Chunked analytics jobs
 * return a conversation once per window it was active in, so the same id can arrive several times.
 *
 * Memory, measured on Node 20.20 x64 (keys taken from JSON.parse'd pages, heap + ArrayBuffer delta after GC):
 *
 * | keys | `Set<string>` | `UuidKeySet` |
 * |------|---------------|--------------|
 * | 1M   | 77 B/key      | 36 B/key     |
 * | 3M   | 84 B/key      | 24 B/key     |
 * | 10M  | 90 B/key (0.9 GB) | 29 B/key (0.29 GB) |
 *
 * `UuidKeySet` holds 17 bytes per slot at a load factor <= 0.8; the table doubles, so per-key cost varies between
 * ~21 and ~43 bytes, and a resize briefly holds old and new tables. Adds cost ~0.5-0.7 us either way. Beyond ~50M
 * ids, dedupe in the warehouse instead (MERGE on the id).
 */

import { ValidationError, type ValidationIssue } from '../errors';
import { checkFunctionOption, checkOptionsObject, kindOf, quote } from './input-guard';

/** The part of `Set<string>` that de-duplication needs; implement it to plug in a Bloom filter or Redis set. */
export interface KeySet {
  has(key: string): boolean;
  add(key: string): unknown;
  readonly size: number;
}

export interface DedupeOptions {
  /** Keys already seen (e.g. from a previous chunk or run). Mutated: every emitted key is added. */
  seen?: KeySet;
  /** Called for each skipped duplicate, e.g. to count them. */
  onDuplicate?: (key: string) => void;
}

function isAsyncIterable<T>(source: Iterable<T> | AsyncIterable<T>): source is AsyncIterable<T> {
  return typeof (source as AsyncIterable<T>)[Symbol.asyncIterator] === 'function';
}

/** Checks the arguments of `dedupeBy` / `dedupeArrayBy` up front, so a mistake is not found at the first item. */
function checkDedupeArgs(where: string, source: unknown, key: unknown, options: unknown, asyncOk: boolean): DedupeOptions {
  const issues: ValidationIssue[] = [];
  const iterable =
    typeof source === 'object' && source !== null || typeof source === 'string'
      ? typeof (source as Iterable<unknown>)[Symbol.iterator] === 'function' ||
        (asyncOk && typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function')
      : false;
  if (!iterable) {
    issues.push({
      path: 'source',
      code: 'invalid_type',
      message: `expected ${asyncOk ? 'an iterable or async iterable' : 'an iterable (e.g. an array)'} of items, got ${kindOf(source)} ${quote(source)}`,
    });
  }
  if (typeof key !== 'function') {
    issues.push({ path: 'key', code: 'invalid_type', message: `expected a function from item to key, e.g. (c) => c.conversationId, got ${kindOf(key)} ${quote(key)}` });
  }
  const o = checkOptionsObject(options, ['seen', 'onDuplicate'], issues);
  if (o) {
    checkFunctionOption(o.onDuplicate, 'onDuplicate', issues);
    const seen = o.seen as Partial<KeySet> | undefined;
    if (seen !== undefined) {
      if (typeof seen !== 'object' || seen === null) {
        issues.push({ path: 'seen', code: 'invalid_type', message: `expected a KeySet (a Set, a UuidKeySet, or any object with has and add), got ${kindOf(seen)} ${quote(seen)}` });
      } else {
        if (typeof seen.has !== 'function') issues.push({ path: 'seen.has', code: 'invalid_type', message: 'a KeySet needs a has(key) method' });
        if (typeof seen.add !== 'function') issues.push({ path: 'seen.add', code: 'invalid_type', message: 'a KeySet needs an add(key) method' });
      }
    }
  }
  if (issues.length > 0) throw new ValidationError(`${where} arguments`, issues);
  return (o ?? {}) as DedupeOptions;
}

/**
 * Yields the items of `source` whose key has not been seen yet, in order, without buffering. The arguments are
 * checked when it is called (a ValidationError then), not when the first item is pulled.
 */
export function dedupeBy<T>(
  source: Iterable<T> | AsyncIterable<T>,
  key: (item: T) => string,
  options: DedupeOptions = {},
): AsyncGenerator<T, void, undefined> {
  const opts = checkDedupeArgs('dedupeBy', source, key, options, true);
  return dedupeGenerator(source, key, opts);
}

async function* dedupeGenerator<T>(
  source: Iterable<T> | AsyncIterable<T>,
  key: (item: T) => string,
  options: DedupeOptions,
): AsyncGenerator<T, void, undefined> {
  const seen: KeySet = options.seen ?? new Set<string>();
  const onDuplicate = options.onDuplicate;
  if (isAsyncIterable(source)) {
    for await (const item of source) {
      const k = key(item);
      if (seen.has(k)) onDuplicate?.(k);
      else {
        seen.add(k);
        yield item;
      }
    }
    return;
  }
  for (const item of source) {
    const k = key(item);
    if (seen.has(k)) onDuplicate?.(k);
    else {
      seen.add(k);
      yield item;
    }
  }
}

/** Synchronous `dedupeBy` for arrays and other iterables already in memory. */
export function dedupeArrayBy<T>(items: Iterable<T>, key: (item: T) => string, options: DedupeOptions = {}): T[] {
  options = checkDedupeArgs('dedupeArrayBy', items, key, options, false);
  const seen: KeySet = options.seen ?? new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) options.onDuplicate?.(k);
    else {
      seen.add(k);
      out.push(item);
    }
  }
  return out;
}

// 8-4-4-4-12 hex, any case, optional dashes: Genesys ids are lowercase dashed, but callers may strip dashes.
const UUID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;
const INITIAL_CAPACITY = 1024;
/** Presizing past this would allocate over a gigabyte up front; the table still grows past it on demand. */
const MAX_EXPECTED_SIZE = 50_000_000;
const MAX_LOAD = 0.8;

function hexWord(key: string, from: number): number {
  // Four 8-hex-digit groups; dashes are skipped by reading only hex characters.
  let v = 0;
  let read = 0;
  let i = from;
  while (read < 8) {
    const c = key.charCodeAt(i++);
    if (c === 45) continue; // '-'
    const d = c <= 57 ? c - 48 : (c | 32) - 87;
    v = (v << 4) | d;
    read++;
  }
  return v >>> 0;
}

function keyError(key: unknown): ValidationError {
  return new ValidationError('UuidKeySet arguments', [{ path: 'key', code: 'invalid_type', message: `expected a string key, got ${kindOf(key)} ${quote(key)}` }]);
}

/**
 * A `KeySet` that stores UUID keys as 128 bits in an open-addressing table (about a third of the memory of a
 * `Set<string>`). `a-B-c` and `abc` spellings of the same UUID are the same key. Other keys go to a plain Set.
 */
export class UuidKeySet implements KeySet {
  private words: Uint32Array;
  private used: Uint8Array;
  private capacity: number;
  private count = 0;
  private readonly others = new Set<string>();

  constructor(expectedSize = 0) {
    if (!Number.isSafeInteger(expectedSize) || expectedSize < 0 || expectedSize > MAX_EXPECTED_SIZE) {
      throw new ValidationError('UuidKeySet arguments', [{
        path: 'expectedSize',
        code: 'invalid_value',
        message: `must be a whole number from 0 to ${MAX_EXPECTED_SIZE} (beyond that, dedupe in the warehouse), got ${kindOf(expectedSize)} ${quote(expectedSize)}`,
      }]);
    }
    let cap = INITIAL_CAPACITY;
    while (cap * MAX_LOAD < expectedSize) cap *= 2;
    this.capacity = cap;
    this.words = new Uint32Array(cap * 4);
    this.used = new Uint8Array(cap);
  }

  get size(): number {
    return this.count + this.others.size;
  }

  has(key: string): boolean {
    if (typeof key !== 'string') throw keyError(key);
    if (!UUID.test(key)) return this.others.has(key);
    const dashed = key.length === 36;
    const a = hexWord(key, 0);
    const b = hexWord(key, dashed ? 9 : 8);
    const c = hexWord(key, dashed ? 19 : 16);
    const d = hexWord(key, dashed ? 28 : 24);
    return this.find(a, b, c, d) >= 0;
  }

  add(key: string): this {
    // A number would be coerced by the UUID test and kept as a number: `has('1')` would then miss it.
    if (typeof key !== 'string') throw keyError(key);
    if (!UUID.test(key)) {
      this.others.add(key);
      return this;
    }
    const dashed = key.length === 36;
    const a = hexWord(key, 0);
    const b = hexWord(key, dashed ? 9 : 8);
    const c = hexWord(key, dashed ? 19 : 16);
    const d = hexWord(key, dashed ? 28 : 24);
    if (this.find(a, b, c, d) >= 0) return this;
    if ((this.count + 1) > this.capacity * MAX_LOAD) this.grow();
    this.insert(a, b, c, d);
    return this;
  }

  /** Approximate bytes held by the table (not counting non-UUID keys). */
  get byteLength(): number {
    return this.words.byteLength + this.used.byteLength;
  }

  private slotOf(a: number, b: number, c: number, d: number): number {
    // Random UUIDs are already uniform; the multiply spreads sequential or time-based ones (v1, v7).
    return Math.imul(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b) ^ d, 0xc2b2ae35) >>> 0;
  }

  private find(a: number, b: number, c: number, d: number): number {
    const mask = this.capacity - 1;
    let i = this.slotOf(a, b, c, d) & mask;
    const w = this.words;
    while (this.used[i] === 1) {
      const o = i * 4;
      if (w[o] === a && w[o + 1] === b && w[o + 2] === c && w[o + 3] === d) return i;
      i = (i + 1) & mask;
    }
    return -1;
  }

  private insert(a: number, b: number, c: number, d: number): void {
    const mask = this.capacity - 1;
    let i = this.slotOf(a, b, c, d) & mask;
    while (this.used[i] === 1) i = (i + 1) & mask;
    const o = i * 4;
    this.words[o] = a;
    this.words[o + 1] = b;
    this.words[o + 2] = c;
    this.words[o + 3] = d;
    this.used[i] = 1;
    this.count++;
  }

  private grow(): void {
    const oldWords = this.words;
    const oldUsed = this.used;
    const oldCap = this.capacity;
    this.capacity = oldCap * 2;
    this.words = new Uint32Array(this.capacity * 4);
    this.used = new Uint8Array(this.capacity);
    this.count = 0;
    for (let i = 0; i < oldCap; i++) {
      if (oldUsed[i] !== 1) continue;
      const o = i * 4;
      this.insert(oldWords[o] ?? 0, oldWords[o + 1] ?? 0, oldWords[o + 2] ?? 0, oldWords[o + 3] ?? 0);
    }
  }
}

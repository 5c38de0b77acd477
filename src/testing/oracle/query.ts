/**
 * Which conversations a query selects. One code path for the sync details query, job results and `truth`, so the
 * ground truth can never disagree with what the handlers serve.
 *
 * Two interval rules:
 * - `start` (details query): conversationStart in [start, end). Choice: the platform is documented to include
 *   conversations that *started on a day touched by* the interval; the stricter half-open rule is simpler to reason
 *   about and is what a client splitting intervals should expect at worst.
 * - `activity` (jobs): start < interval end and end > interval start, so a conversation spanning a boundary is in
 *   both adjacent windows (docs/platform-notes.md section d).
 * Unfiltered start-rule queries are pure arithmetic; filtered ones scan their index range once and cache the
 * matching indices (small LRU), so paging through them costs one scan.
 */
import { analyticsConversation } from '../data/analytics';
import { MAX_CONVERSATION_MS, type Dataset } from '../data/dataset';
import type { CompiledFilters } from './filters';
import type { Interval } from './interval';

export interface Selection {
  interval: Interval;
  rule: 'start' | 'activity';
  filters: CompiledFilters;
  /** Stable text of the filters, for caching. */
  filterKey: string;
  /** Only conversations that ended before this (the job's data availability date). */
  endedBefore?: number;
}

export type Matches = { kind: 'range'; lo: number; hi: number } | { kind: 'list'; indices: Uint32Array };

const CACHE_ENTRIES = 32;
const CACHE_MAX_INDICES = 4_000_000;

export class QueryEngine {
  private readonly cache = new Map<string, Uint32Array | Float64Array>();
  private cached = 0;

  constructor(private readonly ds: Dataset) {}

  /** Index range that may hold matches (a superset for the activity rule). */
  candidates(sel: Pick<Selection, 'interval' | 'rule'>): { lo: number; hi: number } {
    const { start, end } = sel.interval;
    return sel.rule === 'start' ? this.ds.indexRange(start, end) : this.ds.indexRange(start - MAX_CONVERSATION_MS, end);
  }

  test(i: number, sel: Selection): boolean {
    const c = this.ds.core(i);
    const { start, end } = sel.interval;
    if (sel.rule === 'start' ? c.start < start || c.start >= end : c.start >= end || c.end <= start) return false;
    if (sel.endedBefore !== undefined && c.end > sel.endedBefore) return false;
    return sel.filters.empty || sel.filters.matches(analyticsConversation(this.ds, c));
  }

  /** All matches, ascending by index (= by conversationStart). */
  matches(sel: Selection): Matches {
    const { lo, hi } = this.candidates(sel);
    if (sel.rule === 'start' && sel.filters.empty && sel.endedBefore === undefined) return { kind: 'range', lo, hi };
    const key = `conv|${sel.rule}|${sel.interval.start}|${sel.interval.end}|${sel.endedBefore ?? ''}|${sel.filterKey}`;
    const indices = this.memo(key, () => {
      const found: number[] = [];
      for (let i = lo; i < hi; i++) if (this.test(i, sel)) found.push(i);
      return Uint32Array.from(found);
    });
    return { kind: 'list', indices };
  }

  /** Caches a computed typed array under `key` (small LRU bounded by total length). */
  memo<T extends Uint32Array | Float64Array>(key: string, compute: () => T): T {
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit as T;
    }
    const value = compute();
    if (value.length <= CACHE_MAX_INDICES) {
      this.cache.set(key, value);
      this.cached += value.length;
      for (const [k, v] of this.cache) {
        if (this.cache.size <= CACHE_ENTRIES && this.cached <= CACHE_MAX_INDICES) break;
        this.cache.delete(k);
        this.cached -= v.length;
      }
    }
    return value;
  }

  clear(): void {
    this.cache.clear();
    this.cached = 0;
  }
}

export function matchCount(m: Matches): number {
  return m.kind === 'range' ? m.hi - m.lo : m.indices.length;
}

/** The k-th match (0-based) in ascending order. */
export function matchAt(m: Matches, k: number): number {
  if (m.kind === 'range') return m.lo + k;
  const v = m.indices[k];
  if (v === undefined) throw new RangeError(`match ${k} out of range`);
  return v;
}

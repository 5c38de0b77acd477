/**
 * InteractionSearch's first job: validate a query() or count() call completely (every problem in one
 * ValidationError, nothing sent) and work out what it will send: windows, the compiled filter, the client-side
 * residual, notes (`explain()`). Pure apart from the clock reading passed in. The class is interaction-search.ts.
 */
import { canonicalHash } from '../helpers/canonical-json';
import type { ConversationQueryFilters } from '../analytics/schemas';
import { formatPath, ValidationError, type ValidationIssue } from '../errors';
import { isFilterBuilder, type FilterNode } from '../filters/builder';
import { compileFilter, type CompiledFilter, type ResidualFilter } from '../filters/compile';
import { formatInterval, parseInterval, splitIntervalWindows, type IntervalInput } from '../helpers/intervals';
import { batchCallbackIssues } from './batch-callback';
import {
  BatchCallbackSchema,
  SearchCountSchema,
  SearchQuerySchema,
  type ResolvedBatchCallbackOptions,
  type SearchCountOptions,
  type SearchJobOptions,
  type SearchNotification,
  type SearchQueryOptions,
  DEFAULT_SEARCH_WINDOW_MS,
} from './schemas';

const DAY_MS = 86_400_000;

/** What a search will send, worked out without sending anything (`explain()`). */
export interface SearchPlan {
  /** The whole interval, canonical UTC `start/end`. */
  interval: string;
  /** `sync`: details queries, one per window; `job`: analytics jobs through ReportQueries (`largeRange: 'job'`). */
  source: 'sync' | 'job';
  /** Sync: one query per window, in the order they are read (reversed for `order: 'desc'`). Job: the interval. */
  windows: string[];
  /** The details-query body without `interval` and `paging`. */
  query: ConversationQueryFilters;
  /** What runs client-side on the returned conversations; undefined when the platform expresses the whole filter. */
  residual: ResidualFilter | undefined;
  /** The compiler's notes: every client-side decision and why. */
  notes: string[];
}

export interface QueryPlan extends SearchPlan {
  job: SearchJobOptions | undefined;
  pageSize: number;
  limit: number | undefined;
  indexWaitMs: number;
  /** For the audit record: when query() was called (by the client's clock), and the hash of the filters sent. */
  startedAt: number;
  filterHash: string;
  signal: AbortSignal | undefined;
  notify: ((n: SearchNotification) => unknown) | undefined;
  callback: ResolvedBatchCallbackOptions | undefined;
}

// ---- validation and planning ------------------------------------------------------------------------------------

export function zodIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string }>): ValidationIssue[] {
  return issues.map((i) => ({ path: formatPath(i.path), message: i.message, ...(i.code ? { code: i.code } : {}) }));
}

export function checkInterval(input: unknown, issues: ValidationIssue[]): string | undefined {
  if (typeof input !== 'string' && (typeof input !== 'object' || input === null)) return undefined;
  try {
    const { startMs, endMs } = parseInterval(input as IntervalInput, 'interval');
    return formatInterval(startMs, endMs);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    issues.push(...e.issues.map((i) => ({ ...i, path: 'interval' })));
    return undefined;
  }
}

function compileInput(raw: Record<string, unknown>, issues: ValidationIssue[]): CompiledFilter | undefined {
  const filter = raw.filter;
  if (filter === undefined) return { notes: [] };
  if (!isFilterBuilder(filter) && (typeof filter !== 'object' || filter === null || Array.isArray(filter))) return undefined;
  try {
    // build() inside the try: an empty builder's error is named at filter.*, like any other filter problem.
    const tree: FilterNode = isFilterBuilder(filter) ? filter.build() : (filter as FilterNode);
    return compileFilter(tree, {
      residual: raw.residual === 'error' ? 'error' : 'client',
      strictEnums: raw.strictEnums !== false,
    });
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    issues.push(...e.issues.map((i) => ({ ...i, path: i.path ? `filter.${i.path}` : 'filter' })));
    return undefined;
  }
}

/**
 * The checks shared by query() and count(): every problem is collected (option shapes, interval, filter, range)
 * so one error lists them all.
 */
function plan(
  raw: Record<string, unknown>,
  nowMs: number,
  parsed: { success: true; data: { maxSyncRangeDays: number; largeRange: string } } | { success: false },
  issues: ValidationIssue[],
  order: 'asc' | 'desc' | undefined,
): SearchPlan | undefined {
  // No interval: the last 24 hours, to the second (docs/design-intent.md seed 004); explain() and the notes say so.
  const nowS = Math.floor(nowMs / 1000) * 1000;
  const defaulted = raw.interval === undefined;
  const interval = defaulted ? formatInterval(nowS - DEFAULT_SEARCH_WINDOW_MS, nowS) : checkInterval(raw.interval, issues);
  const compiled = compileInput(raw, issues);
  if (!parsed.success || !interval || !compiled || issues.length > 0) return undefined;
  const { maxSyncRangeDays, largeRange } = parsed.data;
  const maxMs = Math.round(maxSyncRangeDays * DAY_MS);
  const { startMs, endMs } = parseInterval(interval);
  let windows = [interval];
  let source: 'sync' | 'job' = 'sync';
  if (endMs - startMs > maxMs) {
    const days = ((endMs - startMs) / DAY_MS).toFixed(1);
    if (largeRange === 'split') {
      windows = splitIntervalWindows(interval, maxMs).map((w) => w.interval);
      if (order === 'desc') windows.reverse();
    } else if (largeRange === 'job') {
      if (order === 'desc') {
        issues.push({
          path: 'order',
          code: 'unsupported',
          message: "largeRange 'job' reads results by conversationStart ascending; use order 'asc', or largeRange 'split' for descending",
        });
        return undefined;
      }
      source = 'job';
    } else {
      issues.push({
        path: 'interval',
        code: 'range_too_large',
        message:
          `interval spans ${days} days, more than maxSyncRangeDays (${maxSyncRangeDays}) for one synchronous details query; ` +
          "pass largeRange: 'split' to read it window by window, narrow the interval, or raise maxSyncRangeDays if your org allows it",
      });
      return undefined;
    }
  }
  const query: ConversationQueryFilters = {};
  for (const key of ['conversationFilters', 'segmentFilters', 'evaluationFilters', 'surveyFilters'] as const) {
    const list = compiled[key];
    if (list && list.length > 0) query[key] = list as ConversationQueryFilters[typeof key];
  }
  if (order) query.order = order;
  const notes = defaulted ? [`no interval given: the 24 hours before now, ${interval} (the default window; pass interval to choose another)`, ...compiled.notes] : compiled.notes;
  return { interval, source, windows, query, residual: compiled.residual, notes };
}

function asRecord(input: unknown, where: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError(where, [{ path: '', code: 'invalid_type', message: 'expected an options object with at least { interval }' }]);
  }
  return input as Record<string, unknown>;
}

const FILTER_HINT = "Filter fields and ops are listed in docs/filters.md; residual: 'client' applies what the platform cannot express to the results.";

/** sha256 of the filters of a details query body: canonical JSON, without the interval, paging and order. */
function filterHashOf(query: object): string {
  const { interval: _i, paging: _p, order: _o, orderBy: _ob, ...filters } = query as Record<string, unknown>;
  return canonicalHash(filters);
}

/** Validates and plans a query() call; `nowMs` is the client's clock (the default interval ends then). */
export function planQuery(options: SearchQueryOptions, nowMs: number): QueryPlan {
  const where = 'InteractionSearch.query() input';
  const raw = asRecord(options, where);
  const parsed = SearchQuerySchema.safeParse(raw);
  const issues = parsed.success ? [] : zodIssues(parsed.error.issues);
  if (raw.callback !== undefined) issues.push(...batchCallbackIssues(raw.callback, 'callback.'));
  const order = parsed.success ? parsed.data.order : undefined;
  const common = plan(raw, nowMs, parsed, issues, order);
  if (!parsed.success || !common || issues.length > 0) throw new ValidationError(where, issues, hintFor(issues));
  const d = parsed.data;
  return {
    ...common,
    job: d.job as SearchJobOptions | undefined,
    pageSize: d.pageSize,
    limit: d.limit,
    indexWaitMs: d.indexWaitMs,
    startedAt: nowMs,
    filterHash: filterHashOf(common.query),
    signal: d.signal,
    notify: d.notify,
    callback: d.callback === undefined ? undefined : BatchCallbackSchema.parse(d.callback),
  };
}

/** Validates and plans a count() call. */
export function planCount(options: SearchCountOptions, nowMs: number): SearchPlan & { signal: AbortSignal | undefined } {
  const where = 'InteractionSearch.count() input';
  const raw = asRecord(options, where);
  const parsed = SearchCountSchema.safeParse(raw);
  const issues = parsed.success ? [] : zodIssues(parsed.error.issues);
  const common = plan(raw, nowMs, parsed, issues, undefined);
  if (!parsed.success || !common || issues.length > 0) throw new ValidationError(where, issues, hintFor(issues));
  return { ...common, signal: parsed.data.signal };
}

function hintFor(issues: ValidationIssue[]): string | undefined {
  return issues.some((i) => i.path === 'filter' || i.path.startsWith('filter.')) ? FILTER_HINT : undefined;
}

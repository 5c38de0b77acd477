import type { DetailQueryFilter } from '../analytics/schemas';
import type { DetailsQuery } from '../analytics/details-query';
import { ValidationError, type ValidationIssue } from '../errors';
import { checkFlattenOptions, type FlattenScorecardOptions } from './scorecard';
import { compileFilter, type ResidualFilter } from '../filters/compile';
import { isFilterBuilder, type FilterNode } from '../filters/builder';
import { formatInterval, splitIntervalWindows } from '../helpers/intervals';
import { MEDIA_TYPE_GROUPS, MEDIA_TYPES, parseExportRequest, type ResolvedQualityExporterOptions } from './schemas';

/**
 * Turns an export request into what is sent: one pass per channel group when `splitByMediaType` is set (seed
 * 000's legal hold: voice and digital apart), each a details query (or evaluation searches) plus the client-side
 * residual of the user's filter. Everything is validated here, before any request.
 */

export interface ExportPass {
  /** `all`, or the channel group (`voice`, `digital`). */
  name: string;
  /** Segment media types of this pass; undefined = every channel. */
  mediaTypes: string[] | undefined;
  query: DetailsQuery;
  residual: ResidualFilter | undefined;
}

export interface ExportPlan {
  interval: string;
  startMs: number;
  endMs: number;
  passes: ExportPass[];
  /** Statuses wanted, upper-cased for comparison (analytics says `Finished`, the Quality API `FINISHED`). */
  statuses: Set<string>;
  /** The request's filter tree (a FilterBuilder's built), or undefined. */
  filters: FilterNode | undefined;
  signal: AbortSignal | undefined;
}

/** Analytics segment media types -> the Quality API's `mediaType` values (used by the search strategy). */
export const QUALITY_MEDIA_TYPE: Record<string, string> = {
  voice: 'CALL',
  callback: 'CALLBACK',
  chat: 'CHAT',
  email: 'EMAIL',
  message: 'MESSAGE',
  video: 'VIDEO',
  cobrowse: 'COBROWSE',
  screenshare: 'SCREENSHARE',
};

function mediaTypeFilter(mediaTypes: string[]): DetailQueryFilter {
  return { type: 'or', predicates: mediaTypes.map((m) => ({ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: m })) };
}

function statusFilter(statuses: string[]): DetailQueryFilter {
  return {
    type: 'or',
    predicates: statuses.map((s) => ({ type: 'dimension', dimension: 'evaluationStatus', operator: 'matches', value: s })),
  };
}

/** Runs `fn`, naming its ValidationError issues under `prefix` (an empty builder's error reads `filters.*`). */
function prefixed<T>(where: string, prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(where, e.issues.map((i) => ({ ...i, path: i.path ? `${prefix}.${i.path}` : prefix })));
    throw e;
  }
}

export function planExport(input: unknown, options: ResolvedQualityExporterOptions, where: string): ExportPlan {
  const req = parseExportRequest(input, where);
  const interval = formatInterval(req.startMs, req.endMs);
  const given = req.filters;
  const filters = isFilterBuilder(given) ? prefixed(where, 'filters', () => given.build()) : (given as FilterNode | undefined);
  if (filters !== undefined && options.strategy === 'search') {
    // The quality search index has no analytics dimensions: dropping the filters would export more than asked.
    throw new ValidationError(where, [
      { path: 'filters', message: 'the search strategy cannot apply filters; use strategy "details" with filters, or drop them' },
    ]);
  }
  let compiled: ReturnType<typeof compileFilter> | undefined;
  if (filters !== undefined) {
    try {
      compiled = compileFilter(filters);
    } catch (e) {
      if (e instanceof ValidationError) {
        throw new ValidationError(where, e.issues.map((i) => ({ ...i, path: i.path ? `filters.${i.path}` : 'filters' })));
      }
      throw e;
    }
  }
  const groups: Array<[string, string[] | undefined]> = req.splitByMediaType
    ? Object.entries(MEDIA_TYPE_GROUPS)
        .map(([name, types]): [string, string[]] => [name, types.filter((t) => !req.mediaTypes || req.mediaTypes.includes(t))])
        .filter(([, types]) => types.length > 0)
    : [['all', req.mediaTypes]];
  if (req.splitByMediaType && req.mediaTypes) {
    const grouped = new Set<string>(Object.values(MEDIA_TYPE_GROUPS).flat());
    const orphans = req.mediaTypes.filter((m) => !grouped.has(m));
    if (orphans.length) {
      throw new ValidationError(where, [
        { path: 'mediaTypes', message: `splitByMediaType has no channel group for ${orphans.join(', ')}: groups are ${JSON.stringify(MEDIA_TYPE_GROUPS)}` },
      ]);
    }
  }
  const passes = groups.map(([name, mediaTypes]): ExportPass => {
    const segmentFilters = [...(compiled?.segmentFilters ?? [])];
    if (mediaTypes) segmentFilters.push(mediaTypeFilter(mediaTypes));
    const query: DetailsQuery = {
      interval,
      order: 'asc',
      orderBy: 'conversationStart',
      evaluationFilters: [statusFilter(options.evaluationStatus), ...(compiled?.evaluationFilters ?? [])],
      ...(segmentFilters.length ? { segmentFilters } : {}),
      ...(compiled?.conversationFilters?.length ? { conversationFilters: compiled.conversationFilters } : {}),
      ...(compiled?.surveyFilters?.length ? { surveyFilters: compiled.surveyFilters } : {}),
    };
    return { name, mediaTypes, query, residual: compiled?.residual };
  });
  return {
    interval,
    startMs: req.startMs,
    endMs: req.endMs,
    passes,
    statuses: new Set(options.evaluationStatus.map((s) => s.toUpperCase())),
    filters,
    signal: req.signal,
  };
}

/** The search endpoint refuses ranges over 3 months; 89 days fits in any 3 calendar months. */
const SEARCH_WINDOW = 'P89D';

/** `POST /api/v2/quality/evaluations/search` bodies for one pass, one per <= 3-month window (page number added by the caller). */
export function searchBodies(plan: ExportPlan, pass: ExportPass, pageSize: number): Array<Record<string, unknown>> {
  const statuses = [...plan.statuses];
  return splitIntervalWindows(plan.interval, SEARCH_WINDOW).map((w) => ({
    query: [
      { type: 'DATE_RANGE', field: 'conversationDate', startValue: new Date(w.startMs).toISOString(), endValue: new Date(w.endMs).toISOString() },
      { type: 'EXACT', field: 'evaluationStatus', values: statuses },
      ...(pass.mediaTypes ? [{ type: 'EXACT', field: 'mediaType', values: pass.mediaTypes.map((m) => QUALITY_MEDIA_TYPE[m] ?? m.toUpperCase()) }] : []),
    ],
    pageSize,
    sortBy: 'conversationDate',
    sortOrder: 'ASC',
  }));
}

// ---- exportTo()/rows() inputs, checked before any request ------------------------------------------------------

/** `where` of the exporter's request errors. */
const WHERE = 'QualityExporter request';

/** `rows()` / `exportTo()` called without their request object: say so instead of a destructuring TypeError. */
export function requestObject<T>(request: T, method: string): T {
  if (typeof request !== 'object' || request === null) {
    throw new ValidationError(WHERE, [{ path: '', message: `${method}() needs a request object, e.g. { interval: '2024-05-01/2024-05-02' }` }]);
  }
  return request;
}

/**
 * The options exportTo() adds to an export request, checked before any request: a `checkpointEvery` of 0 or NaN
 * saved on every row or never, an `onProgress` that is not a function failed at the first page, a `checkpoint`
 * without load/save/clear failed with a TypeError.
 */
export function checkExportToExtras(o: { checkpoint: unknown; calibrationSink: unknown; onProgress: unknown; checkpointEvery: unknown }): void {
  const issues: ValidationIssue[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (o.checkpoint !== undefined && !(isObj(o.checkpoint) && ['load', 'save', 'clear'].every((m) => typeof (o.checkpoint as Record<string, unknown>)[m] === 'function'))) {
    issues.push({ path: 'checkpoint', message: 'checkpoint must have load(), save() and clear() (FileCheckpoint, MemoryCheckpoint, or your own)' });
  }
  if (o.calibrationSink !== undefined && !(isObj(o.calibrationSink) && typeof o.calibrationSink.write === 'function')) {
    issues.push({ path: 'calibrationSink', message: 'calibrationSink must be a sink with write() (CsvSink, NdjsonSink, or your own RowSink)' });
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') issues.push({ path: 'onProgress', message: 'onProgress must be a function' });
  const every = o.checkpointEvery;
  if (typeof every !== 'number' || !Number.isInteger(every) || every < 1 || every > 1_000_000) {
    issues.push({ path: 'checkpointEvery', message: `checkpointEvery must be a whole number of rows from 1 to 1,000,000 (got ${typeof every === 'number' ? every : typeof every})` });
  }
  if (issues.length > 0) throw new ValidationError(WHERE, issues);
}

/** Flatten options are checked before discovery: a bad one found at the first row would come after requests. */
export function checkFlatten(flatten: FlattenScorecardOptions | undefined): void {
  try {
    checkFlattenOptions(flatten);
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(WHERE, e.issues.map((i) => ({ ...i, path: `flatten.${i.path}` })));
    throw e;
  }
}

export { MEDIA_TYPES };

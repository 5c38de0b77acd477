/**
 * `InteractionSearch.aggregate()` (docs/design-intent.md seed 004's `group_by` / aggregations): one
 * `POST /api/v2/analytics/conversations/aggregates/query` (the official SDK's ConversationAggregationQuery and
 * ConversationAggregateQueryResponse) for the conversations that started in `interval`, grouped by `groupBy`
 * dimensions, with `metrics` summarised by the platform. The filter tree is the same one `query()` takes, compiled by
 * the same compiler; only what the aggregates query can express is accepted (no client-side residual, no evaluation
 * or survey filters: an aggregate cannot be corrected after the fact).
 */
import { clockOf } from '../internal/clock';
import * as z from 'zod';
import type { GenesysClient } from '../client';
import { ValidationError, type ValidationIssue } from '../errors';
import { isFilterBuilder, type FilterBuilder, type FilterNode } from '../filters/builder';
import { compileFilter } from '../filters/compile';
import { formatInterval, parseInterval, type IntervalInput } from '../helpers/intervals';
import { lazySchema } from '../internal/lazy-schema';
import { parseOptions } from '../internal/parse-options';
import { DEFAULT_SEARCH_WINDOW_MS } from './schemas';

export const AGGREGATES_PATH = '/api/v2/analytics/conversations/aggregates/query';

export interface SearchAggregateOptions {
  /**
   * Conversations that started in `[start, end)`.
   * @default the 24 hours before now (docs/design-intent.md seed 004)
   */
  interval?: IntervalInput;
  /** The same filter tree `query()` takes. Default: no filter. */
  filter?: FilterNode | FilterBuilder;
  /** Dimensions to group by, e.g. `['queueId', 'mediaType']` (at most 8). Default: one group for everything. */
  groupBy?: string[];
  /** Metrics to summarise, e.g. `['nConversations', 'tHandle']` (1 to 32). */
  metrics: string[];
  /** ISO-8601 duration of time buckets (e.g. `PT1H`); default one bucket for the whole interval. */
  granularity?: string;
  /** IANA time zone the buckets align to (platform default UTC). */
  timeZone?: string;
  signal?: AbortSignal;
}

export interface AggregateStats {
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  [stat: string]: number | undefined;
}

/** One group of the answer, as the platform gives it. */
export interface AggregateGroup {
  group: Record<string, string>;
  data: Array<{ interval: string; metrics: Array<{ metric: string; qualifier?: string; stats: AggregateStats }> }>;
}

const NAME = /^[a-zA-Z][a-zA-Z0-9]{0,63}$/;

const Options = lazySchema(() =>
  z.strictObject({
    interval: z.unknown().optional(),
    filter: z.unknown().optional(),
    groupBy: z.array(z.string().regex(NAME, { error: 'a dimension name such as queueId' })).max(8).optional(),
    metrics: z.array(z.string().regex(/^[nto][A-Z][a-zA-Z0-9]{0,62}$/, { error: 'a metric name such as nConversations or tHandle' })).min(1).max(32),
    granularity: z.string().regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, { error: 'an ISO-8601 duration such as PT1H' }).optional(),
    timeZone: z.string().min(1).max(64).optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, { error: 'signal must be an AbortSignal' }).optional(),
  }),
);

const Response = lazySchema(() =>
  z.looseObject({
    results: z
      .array(
        z.looseObject({
          group: z.record(z.string(), z.string()).optional(),
          data: z
            .array(
              z.looseObject({
                interval: z.string(),
                metrics: z.array(z.looseObject({ metric: z.string(), qualifier: z.string().optional(), stats: z.record(z.string(), z.number()).optional() })).optional(),
              }),
            )
            .optional(),
        }),
      )
      .optional(),
  }),
);

export async function runAggregate(client: GenesysClient, options: SearchAggregateOptions): Promise<AggregateGroup[]> {
  const where = 'InteractionSearch.aggregate() input';
  const o = parseOptions(Options, options, where);
  const issues: ValidationIssue[] = [];
  let interval: string | undefined;
  if (o.interval === undefined) {
    const nowS = Math.floor(clockOf(client).now() / 1000) * 1000;
    interval = formatInterval(nowS - DEFAULT_SEARCH_WINDOW_MS, nowS);
  } else {
    try {
      const { startMs, endMs } = parseInterval(o.interval as IntervalInput, 'interval');
      interval = formatInterval(startMs, endMs);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      issues.push(...e.issues.map((i) => ({ ...i, path: 'interval' })));
    }
  }
  let filter: { type: 'and'; clauses: unknown[] } | undefined;
  if (o.filter !== undefined) {
    try {
      const tree = isFilterBuilder(o.filter) ? o.filter.build() : (o.filter as FilterNode);
      // residual 'error': an aggregate cannot be filtered client-side afterwards.
      const compiled = compileFilter(tree, { residual: 'error' });
      if (compiled.evaluationFilters?.length || compiled.surveyFilters?.length) {
        issues.push({ path: 'filter', message: 'evaluation and survey fields cannot filter an aggregates query: use conversation and segment dimensions' });
      } else {
        const clauses = [...(compiled.conversationFilters ?? []), ...(compiled.segmentFilters ?? [])];
        if (clauses.length > 0) filter = { type: 'and', clauses };
      }
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      issues.push(...e.issues.map((i) => ({ ...i, path: i.path ? `filter.${i.path}` : 'filter' })));
    }
  }
  if (issues.length > 0 || interval === undefined) throw new ValidationError(where, issues);
  const body = {
    interval,
    metrics: o.metrics,
    ...(o.groupBy?.length ? { groupBy: o.groupBy } : {}),
    ...(filter ? { filter } : {}),
    ...(o.granularity ? { granularity: o.granularity } : {}),
    ...(o.timeZone ? { timeZone: o.timeZone } : {}),
  };
  // A read-only query: safe to repeat after a 5xx or a timeout.
  const res = await client.request({ method: 'POST', path: AGGREGATES_PATH, body, idempotent: true, schema: Response, ...(o.signal ? { signal: o.signal } : {}) });
  return (res.results ?? []).map((r) => ({
    group: r.group ?? {},
    data: (r.data ?? []).map((d) => ({ interval: d.interval, metrics: (d.metrics ?? []).map((m) => ({ metric: m.metric, ...(m.qualifier ? { qualifier: m.qualifier } : {}), stats: m.stats ?? {} })) })),
  }));
}

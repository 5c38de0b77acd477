/**
 * What a hold covers: the plan (an interval with an optional filter tree, or an explicit id list, checked when the
 * hold is built) and the selection it yields (the details query over the interval, or each listed id read on its
 * own; docs/legal-hold.md, "Selection").
 */
import type { GenesysClient } from '../client';
import { detailsQueryPages, type DetailsQuery } from '../analytics/details-query';
import type { AnalyticsConversation } from '../analytics/schemas';
import { NotFoundError, ValidationError } from '../errors';
import { isFilterBuilder, type FilterNode } from '../filters/builder';
import { compileFilter, type CompiledFilter } from '../filters/compile';
import { applyResidual } from '../filters/evaluate';
import { formatInterval, parseInterval } from '../helpers/intervals';
import { apiPath } from '../internal/api-path';
import { mapConcurrent } from '../internal/map-concurrent';
import type { LegalHoldOptions } from './schemas';

const WHERE = 'LegalHold options';

export type Plan =
  | { mode: 'interval'; interval: string; filters: FilterNode | undefined; compiled: CompiledFilter | undefined }
  | { mode: 'ids'; ids: string[] };

export interface Selected {
  ids: string[];
  unknown: string[];
  /** conversationStart (epoch ms) per id, for evaluation discovery of an id selection. */
  starts: Map<string, number>;
}

/** The plan of validated options: the interval normalised, the filter tree compiled, the ids deduplicated. */
export function buildPlan(o: LegalHoldOptions): Plan {
  if (o.interval !== undefined) {
    let interval: string;
    try {
      const p = parseInterval(o.interval, 'interval');
      interval = formatInterval(p.startMs, p.endMs);
    } catch (e) {
      if (e instanceof ValidationError) throw new ValidationError(WHERE, e.issues.map((i) => ({ ...i, path: i.path.startsWith('interval') ? i.path : `interval${i.path ? `.${i.path}` : ''}` })));
      throw e;
    }
    const filters = o.filters === undefined ? undefined : isFilterBuilder(o.filters) ? o.filters.build() : (o.filters as FilterNode);
    let compiled: CompiledFilter | undefined;
    if (filters !== undefined) {
      try {
        compiled = compileFilter(filters);
      } catch (e) {
        if (e instanceof ValidationError) throw new ValidationError(WHERE, e.issues.map((i) => ({ ...i, path: i.path ? `filters.${i.path}` : 'filters' })));
        throw e;
      }
    }
    return { mode: 'interval', interval, filters, compiled };
  } else {
    const seen = new Map<string, string>();
    for (const id of o.conversationIds ?? []) if (!seen.has(id.toLowerCase())) seen.set(id.toLowerCase(), id.toLowerCase());
    return { mode: 'ids', ids: [...seen.values()].sort() };
  }
}

/** Selection: the details query over the interval (filters compiled, residual applied), or each listed id. */
export async function selectConversations(
  client: GenesysClient,
  plan: Plan,
  concurrency: number,
  onConversation: ((doc: AnalyticsConversation, correlationId: string | null) => Promise<void>) | undefined,
  signal: AbortSignal | undefined,
): Promise<Selected> {
  const starts = new Map<string, number>();
  if (plan.mode === 'ids') {
    const unknown: string[] = [];
    const found: string[] = [];
    const docs = mapConcurrent(
      iterate(plan.ids),
      async (id) => {
        try {
          const res = await client.requestWithResponse<unknown>({ path: apiPath`/api/v2/analytics/conversations/${id}/details`, ...(signal ? { signal } : {}) });
          return { id, doc: res.data as AnalyticsConversation, correlationId: res.correlationId ?? null };
        } catch (e) {
          if (e instanceof NotFoundError) return { id, doc: undefined, correlationId: null };
          throw e;
        }
      },
      concurrency,
    );
    for await (const { id, doc, correlationId } of docs) {
      if (!doc || typeof doc.conversationId !== 'string') {
        unknown.push(id);
        continue;
      }
      found.push(id);
      const start = Date.parse(String(doc.conversationStart ?? ''));
      if (Number.isFinite(start)) starts.set(id, start);
      await onConversation?.({ ...doc, conversationId: doc.conversationId }, correlationId);
    }
    if (unknown.length) {
      client.emit('warning', { code: 'legal-hold-unknown-conversation', message: `${unknown.length} listed conversation(s) were not found (404), first ${unknown[0]}`, details: { unknown: unknown.slice(0, 20) } });
    }
    return { ids: found.sort(), unknown, starts };
  }
  const c = plan.compiled;
  const query: DetailsQuery = {
    interval: plan.interval,
    order: 'asc',
    orderBy: 'conversationStart',
    ...(c?.segmentFilters?.length ? { segmentFilters: c.segmentFilters } : {}),
    ...(c?.conversationFilters?.length ? { conversationFilters: c.conversationFilters } : {}),
    ...(c?.evaluationFilters?.length ? { evaluationFilters: c.evaluationFilters } : {}),
    ...(c?.surveyFilters?.length ? { surveyFilters: c.surveyFilters } : {}),
  };
  const ids = new Set<string>();
  for await (const page of detailsQueryPages(client, query, { what: `legal hold details query for ${plan.interval}`, signal })) {
    for (const conv of page.items) {
      if (c?.residual && !applyResidual(c.residual, conv)) continue;
      const id = conv.conversationId.toLowerCase();
      if (ids.has(id)) continue;
      ids.add(id);
      const start = Date.parse(String(conv.conversationStart ?? ''));
      if (Number.isFinite(start)) starts.set(id, start);
      await onConversation?.(conv, page.correlationId ?? null);
    }
  }
  return { ids: [...ids].sort(), unknown: [], starts };
}

async function* iterate<T>(items: T[]): AsyncGenerator<T> {
  for (const x of items) yield x;
}

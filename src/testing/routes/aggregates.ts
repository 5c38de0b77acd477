/**
 * POST /api/v2/analytics/conversations/aggregates/query (the official SDK's ConversationAggregationQuery and
 * ConversationAggregateQueryResponse): conversations that started in `interval`, narrowed by `filter` (one
 * `{ type, clauses?, predicates? }` tree of dimension predicates), grouped by `groupBy` dimensions, with `metrics`
 * summarised as `{ count, sum, min, max }` over the whole interval (choice: no `granularity` buckets; a request with
 * one is answered with the whole interval as a single bucket).
 *
 * Values come from the same conversation documents the details query returns: a conversation-level dimension from
 * the conversation, a segment-level one from the first segment that has it; a metric is the sum of that metric over
 * the conversation's sessions (`nConversations` is 1 per conversation). Groups with no matching conversation are
 * left out, as on the platform.
 */
import { analyticsConversation } from '../data/analytics';
import type { RouteDef } from '../engine/context';
import { CONVERSATION_DIMENSIONS, CONVERSATION_METRICS, SEGMENT_DIMENSIONS } from '../oracle/dimensions';
import { badRequest, isRecord, json, readJson } from '../engine/http';
import { parseQueryBody } from './details-query';
import { matchAt, matchCount } from '../oracle/query';

type Doc = Record<string, unknown> & { participants?: Array<{ sessions?: Array<Record<string, unknown> & { segments?: Array<Record<string, unknown>>; metrics?: Array<{ name: string; value: number }> }> }> };

function split(filter: Record<string, unknown>): { conversationFilters?: unknown[]; segmentFilters?: unknown[] } {
  // The details-query engine takes conversation and segment filters apart: each top-level clause goes to the
  // kind of its dimensions (a clause mixing both kinds is a 400 here; the SDK never sends one).
  const clauses = [...(Array.isArray(filter.clauses) ? filter.clauses : []), ...(Array.isArray(filter.predicates) ? [{ type: 'and', predicates: filter.predicates }] : [])];
  const conversationFilters: unknown[] = [];
  const segmentFilters: unknown[] = [];
  for (const c of clauses) {
    const dims = new Set<string>();
    const walk = (n: unknown): void => {
      if (!isRecord(n)) return;
      if (typeof n.dimension === 'string') dims.add(n.dimension);
      for (const k of ['clauses', 'predicates']) if (Array.isArray(n[k])) (n[k] as unknown[]).forEach(walk);
    };
    walk(c);
    const kinds = new Set([...dims].map((d) => (CONVERSATION_DIMENSIONS.has(d) ? 'conversation' : 'segment')));
    if (kinds.size > 1) throw badRequest('A filter clause mixes conversation and segment dimensions.', 'filter');
    (kinds.has('conversation') ? conversationFilters : segmentFilters).push(c);
  }
  if (filter.type === 'or' && clauses.length > 1) throw badRequest("filter type 'or' across clauses is not supported by the simulator.", 'filter');
  return { ...(conversationFilters.length ? { conversationFilters } : {}), ...(segmentFilters.length ? { segmentFilters } : {}) };
}

function dimensionValue(doc: Doc, dim: string): string | undefined {
  if (CONVERSATION_DIMENSIONS.has(dim)) {
    const v = doc[dim];
    return v === undefined || v === null ? undefined : String(v);
  }
  for (const p of doc.participants ?? []) {
    for (const s of p.sessions ?? []) {
      if (s[dim] !== undefined && s[dim] !== null && s[dim] !== '') return String(s[dim]);
      for (const seg of s.segments ?? []) if (seg[dim] !== undefined && seg[dim] !== null && seg[dim] !== '') return String(seg[dim]);
    }
  }
  return undefined;
}

function metricValue(doc: Doc, metric: string): number | undefined {
  if (metric === 'nConversations') return 1;
  let sum: number | undefined;
  for (const p of doc.participants ?? []) for (const s of p.sessions ?? []) for (const m of s.metrics ?? []) if (m.name === metric) sum = (sum ?? 0) + m.value;
  return sum;
}

export function aggregatesRoutes(): RouteDef[] {
  return [
    {
      method: 'POST',
      path: '/api/v2/analytics/conversations/aggregates/query',
      async handler({ org, request }) {
        const body = await readJson(request);
        if (!isRecord(body)) throw badRequest('The body must be a ConversationAggregationQuery object.');
        const metrics = body.metrics;
        if (!Array.isArray(metrics) || metrics.length === 0 || !metrics.every((m) => typeof m === 'string' && CONVERSATION_METRICS.has(m))) {
          throw badRequest('metrics must be a non-empty array of conversation metrics (nConversations, tHandle, ...).', 'metrics');
        }
        const groupBy = body.groupBy ?? [];
        if (!Array.isArray(groupBy) || !groupBy.every((d) => typeof d === 'string' && (CONVERSATION_DIMENSIONS.has(d) || SEGMENT_DIMENSIONS.has(d)))) {
          throw badRequest('groupBy must be an array of dimensions.', 'groupBy');
        }
        const filters = isRecord(body.filter) ? split(body.filter) : {};
        const q = parseQueryBody({ interval: body.interval, ...filters }, 'start');
        const m = org.queries.matches(q.selection);
        const groups = new Map<string, { group: Record<string, string>; stats: Map<string, { count: number; sum: number; min: number; max: number }> }>();
        for (let k = 0; k < matchCount(m); k++) {
          const doc = analyticsConversation(org.data, org.data.core(matchAt(m, k))) as unknown as Doc;
          const group: Record<string, string> = {};
          for (const d of groupBy as string[]) {
            const v = dimensionValue(doc, d);
            if (v !== undefined) group[d] = v;
          }
          const key = JSON.stringify(group);
          let g = groups.get(key);
          if (!g) groups.set(key, (g = { group, stats: new Map() }));
          for (const metric of metrics as string[]) {
            const v = metricValue(doc, metric);
            if (v === undefined) continue;
            const s = g.stats.get(metric) ?? { count: 0, sum: 0, min: Infinity, max: -Infinity };
            s.count++;
            s.sum += v;
            s.min = Math.min(s.min, v);
            s.max = Math.max(s.max, v);
            g.stats.set(metric, s);
          }
        }
        const interval = String(body.interval);
        const results = [...groups.values()].map((g) => ({
          group: g.group,
          data: [{ interval, metrics: [...g.stats].map(([metric, s]) => ({ metric, stats: metric.startsWith('n') ? { count: s.sum } : { count: s.count, sum: s.sum, min: s.min, max: s.max } })) }],
        }));
        return json(200, results.length > 0 ? { results } : {});
      },
    },
  ];
}

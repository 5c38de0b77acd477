/**
 * POST /api/v2/analytics/conversations/details/query (docs/platform-notes.md section c).
 * Paging by `paging {pageSize, pageNumber}`: default 25, maximum 100 (choice: the platform's maximum is not
 * documented; 100 is the widely reported value) and more is a 400. `totalHits` counts every match. A page past the
 * end answers `{ totalHits }` with no `conversations` key (choice: the real response for that case is not documented;
 * clients must treat a missing array and an empty one alike). Aggregations are accepted and ignored.
 */
import { analyticsConversation } from '../data/analytics';
import type { OrgCore, RouteDef } from '../engine/context';
import { compileFilters } from '../oracle/filters';
import { badRequest, isRecord, json, readJson } from '../engine/http';
import { parseInterval } from '../oracle/interval';
import { matchAt, matchCount, type Selection } from '../oracle/query';
import type { SimDetailsQueryResponse } from '../data/types';

export const DETAILS_DEFAULT_PAGE_SIZE = 25;
export const DETAILS_MAX_PAGE_SIZE = 100;
const ORDERS = new Set(['asc', 'desc', 'unordered']);
const ORDER_BYS = new Set(['conversationStart', 'conversationEnd', 'segmentStart', 'segmentEnd']);

export interface ParsedQueryBody {
  selection: Selection;
  order: 'asc' | 'desc';
  orderBy: 'conversationStart' | 'conversationEnd';
}

/** Shared by the sync query and job submission: interval, filters, order. */
export function parseQueryBody(body: Record<string, unknown>, rule: Selection['rule']): ParsedQueryBody {
  const interval = parseInterval(body.interval);
  const filters = compileFilters(body);
  const order = body.order ?? 'asc';
  if (typeof order !== 'string' || !ORDERS.has(order)) throw badRequest(`order '${String(order)}' is not one of asc, desc, unordered.`, 'order');
  const orderBy = body.orderBy ?? 'conversationStart';
  if (typeof orderBy !== 'string' || !ORDER_BYS.has(orderBy)) {
    throw badRequest(`orderBy '${String(orderBy)}' is not one of conversationStart, conversationEnd, segmentStart, segmentEnd.`, 'orderBy');
  }
  const filterKey = JSON.stringify([body.conversationFilters, body.segmentFilters, body.evaluationFilters, body.surveyFilters, body.resolutionFilters]);
  return {
    selection: { interval, rule, filters, filterKey },
    order: order === 'desc' ? 'desc' : 'asc',
    // Segment times order like the conversation's own: segments start with the conversation and end with it.
    orderBy: orderBy === 'conversationEnd' || orderBy === 'segmentEnd' ? 'conversationEnd' : 'conversationStart',
  };
}

function parsePaging(raw: unknown): { pageSize: number; pageNumber: number } {
  if (raw === undefined || raw === null) return { pageSize: DETAILS_DEFAULT_PAGE_SIZE, pageNumber: 1 };
  if (!isRecord(raw)) throw badRequest('paging must be an object with pageSize and pageNumber.', 'paging');
  const { pageSize, pageNumber } = raw;
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1) throw badRequest('paging.pageSize must be a positive integer.', 'paging.pageSize');
  if (pageSize > DETAILS_MAX_PAGE_SIZE) throw badRequest(`paging.pageSize must be at most ${DETAILS_MAX_PAGE_SIZE}.`, 'paging.pageSize');
  if (typeof pageNumber !== 'number' || !Number.isInteger(pageNumber) || pageNumber < 1) throw badRequest('paging.pageNumber must be an integer >= 1.', 'paging.pageNumber');
  return { pageSize, pageNumber };
}

/** Page of matching indices in the requested order. */
export function pageIndices(org: OrgCore, q: ParsedQueryBody, offset: number, size: number): { total: number; indices: number[] } {
  const m = org.queries.matches(q.selection);
  const total = matchCount(m);
  const count = Math.max(0, Math.min(size, total - offset));
  if (count === 0) return { total, indices: [] };
  if (q.orderBy === 'conversationStart') {
    const at = (k: number) => matchAt(m, q.order === 'asc' ? k : total - 1 - k);
    return { total, indices: Array.from({ length: count }, (_, k) => at(offset + k)) };
  }
  const all = Array.from({ length: total }, (_, k) => matchAt(m, k));
  const ends = new Map(all.map((i) => [i, org.data.core(i).end]));
  all.sort((a, b) => (ends.get(a) ?? 0) - (ends.get(b) ?? 0) || a - b);
  if (q.order === 'desc') all.reverse();
  return { total, indices: all.slice(offset, offset + count) };
}

export function detailsQueryRoutes(): RouteDef[] {
  return [
    {
      method: 'POST',
      path: '/api/v2/analytics/conversations/details/query',
      async handler({ org, request, url }) {
        const body = await readJson(request);
        if (!isRecord(body)) throw badRequest('The body must be a ConversationQuery object.');
        const q = parseQueryBody(body, 'start');
        const { pageSize, pageNumber } = parsePaging(body.paging);
        const { total, indices: all } = pageIndices(org, q, (pageNumber - 1) * pageSize, pageSize);
        const fault = org.faults.applies(url.pathname) ? org.faults.pageFault(pageNumber) : undefined;
        if (fault?.kind === 'empty') {
          org.stats.faults.emptyPage++;
          return json(200, {});
        }
        let indices = all;
        if (fault?.kind === 'short') {
          org.stats.faults.shortPage++;
          indices = all.slice(0, fault.keep ?? Math.floor(all.length / 2));
        }
        const res: SimDetailsQueryResponse =
          indices.length > 0 ? { conversations: indices.map((i) => analyticsConversation(org.data, org.data.core(i))), totalHits: total } : { totalHits: total };
        return json(200, res);
      },
    },
  ];
}

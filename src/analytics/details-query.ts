import { clockOf } from '../internal/clock';
import type { GenesysClient } from '../client';
import { paginateByPageNumber, type Page } from '../transport/paginate';
import type { SafeParser } from '../transport/decode';
import type { AnalyticsConversation, ConversationQueryFilters } from './schemas';

export const DETAILS_QUERY_PATH = '/api/v2/analytics/conversations/details/query';

/** Forum lore says 100 is the maximum page size; the platform's 400 is surfaced if it is not (docs/platform-notes.md section c). */
export const DETAILS_QUERY_MAX_PAGE_SIZE = 100;

export interface DetailsQuery extends ConversationQueryFilters {
  /** ISO-8601 `start/end`. */
  interval: string;
}

interface DetailsPageBody {
  conversations?: AnalyticsConversation[] | undefined;
  totalHits?: number | undefined;
}

type Issue = { path: PropertyKey[]; message: string };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The details page checked as `ConversationQueryResponse` (wire.ts) checks it (an object; `conversations` an array of
 * objects that each carry a string `conversationId`; `totalHits` a number; `aggregations` an array), written out by
 * hand because this check sits between the first page's arrival and the first evaluation GET of a quality export
 * (issue 19, start-up): the zod schema copied all 100 conversations and cost about as much CPU as parsing the JSON
 * (bench/quality-startup.ts). The body is handed on as parsed, not copied.
 */
const DetailsPageCheck: SafeParser<DetailsPageBody> = {
  safeParse(data: unknown) {
    const issues: Issue[] = [];
    if (!isObject(data)) return { success: false, error: { issues: [{ path: [], message: 'expected an object' }] } };
    const { conversations, totalHits, aggregations } = data;
    if (conversations !== undefined) {
      if (!Array.isArray(conversations)) issues.push({ path: ['conversations'], message: 'expected an array' });
      else {
        for (let i = 0; i < conversations.length && issues.length < 10; i++) {
          const c: unknown = conversations[i];
          if (!isObject(c)) issues.push({ path: ['conversations', i], message: 'expected an object' });
          else if (typeof c.conversationId !== 'string') issues.push({ path: ['conversations', i, 'conversationId'], message: 'expected a string' });
        }
      }
    }
    if (totalHits !== undefined && typeof totalHits !== 'number') issues.push({ path: ['totalHits'], message: 'expected a number' });
    if (aggregations !== undefined && !Array.isArray(aggregations)) issues.push({ path: ['aggregations'], message: 'expected an array' });
    return issues.length > 0 ? { success: false, error: { issues } } : { success: true, data: data as DetailsPageBody };
  },
};

export interface DetailsPage extends Page<AnalyticsConversation> {
  pageNumber: number;
  totalHits: number | undefined;
  /** The platform's correlation id of the answer this page came from (a legal hold's manifest records it). */
  correlationId: string | undefined;
}

/**
 * Pages of the synchronous conversation details query, the one paging loop every module uses for it:
 * pageNumber from `startPage` until an empty or short page. Each page is checked against the `totalHits` the
 * platform declared: a page that comes back empty (`{}`) or short while `totalHits` says more is fetched again
 * (twice, through the client's normal request path, with a `short-page-retry` warning) and then an
 * `IncompleteDataError` naming the page, the declared and the received counts is thrown; so is a page identical to
 * the previous one. The query is a read-only POST, so it is retried like a GET. `what` names the query in those errors
 * (default `details query for <interval>`).
 */
export async function* detailsQueryPages(
  client: GenesysClient,
  query: DetailsQuery,
  options: { pageSize?: number; startPage?: number; signal?: AbortSignal | undefined; what?: string } = {},
): AsyncGenerator<DetailsPage> {
  const pageSize = options.pageSize ?? DETAILS_QUERY_MAX_PAGE_SIZE;
  let totalHits: number | undefined;
  // Per page number: a page fetched again (short or repeated) keeps the id of the answer that was used.
  const correlationIds = new Map<number, string | undefined>();
  const pages = paginateByPageNumber<AnalyticsConversation>(
    async (pageNumber) => {
      const { data: res, correlationId } = await client.requestWithResponse({
        method: 'POST',
        path: DETAILS_QUERY_PATH,
        body: { ...query, paging: { pageSize, pageNumber } },
        schema: DetailsPageCheck,
        idempotent: true,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      correlationIds.set(pageNumber, correlationId);
      if (res.totalHits !== undefined) totalHits = res.totalHits;
      return { items: res.conversations, total: res.totalHits };
    },
    {
      what: options.what ?? `details query for ${query.interval}`,
      pageSize,
      ...(options.startPage ? { startPage: options.startPage } : {}),
      retryDelayMs: Math.max(client.options.retry.baseDelayMs, 1),
      clock: clockOf(client),
      ...(options.signal ? { signal: options.signal } : {}),
      onShortPage: (s) =>
        client.emit('warning', {
          code: 'short-page-retry',
          message:
            s.reason === 'repeated-page'
              ? `details query page ${s.page} repeated the previous page; fetching it again in ${s.delayMs} ms (attempt ${s.attempt})`
              : `details query page ${s.page} held ${s.got} of the ${s.expected} conversations totalHits (${s.declared}) says it has; fetching it again in ${s.delayMs} ms (attempt ${s.attempt})`,
          details: { interval: query.interval, ...s },
        }),
    },
  );
  for await (const page of pages) {
    const pageNumber = page.pageNumber!;
    const correlationId = correlationIds.get(pageNumber);
    correlationIds.delete(pageNumber);
    yield { ...page, pageNumber, totalHits, correlationId };
  }
}

/** `totalHits` of a details query, in one request (pageSize 1). */
export async function detailsQueryCount(client: GenesysClient, query: DetailsQuery, signal?: AbortSignal, deadlineMs?: number): Promise<number> {
  const res = await client.request({
    method: 'POST',
    path: DETAILS_QUERY_PATH,
    body: { ...query, paging: { pageSize: 1, pageNumber: 1 } },
    schema: DetailsPageCheck,
    idempotent: true,
    ...(signal ? { signal } : {}),
    ...(deadlineMs !== undefined ? { deadlineMs } : {}),
  });
  return res.totalHits ?? 0;
}

import { clockOf } from '../internal/clock';
import type { GenesysClient } from '../client';
import { paginateByPageNumber, type Page } from '../transport/paginate';
import { ConversationQueryResponse, type AnalyticsConversation, type ConversationQueryFilters } from './schemas';

export const DETAILS_QUERY_PATH = '/api/v2/analytics/conversations/details/query';

/** Forum lore says 100 is the maximum page size; the platform's 400 is surfaced if it is not (docs/platform-notes.md section c). */
export const DETAILS_QUERY_MAX_PAGE_SIZE = 100;

export interface DetailsQuery extends ConversationQueryFilters {
  /** ISO-8601 `start/end`. */
  interval: string;
}

export interface DetailsPage extends Page<AnalyticsConversation> {
  pageNumber: number;
  totalHits: number | undefined;
}

/**
 * Pages of the synchronous conversation details query, the one paging loop every module uses for it:
 * pageNumber from `startPage` until an empty or short page. Each page is checked against the `totalHits` the
 * platform declared: a page that comes back empty (`{}`) or short while `totalHits` says more is fetched again
 * (twice, through the client's normal request path, with a `short-page-retry` warning) and then an
 * `IncompleteDataError` naming the page, the declared and the received counts is thrown; so is a page identical to
 * the previous one. The query is a read-only POST, so it is retried like a GET.
 */
export async function* detailsQueryPages(
  client: GenesysClient,
  query: DetailsQuery,
  options: { pageSize?: number; startPage?: number; signal?: AbortSignal | undefined } = {},
): AsyncGenerator<DetailsPage> {
  const pageSize = options.pageSize ?? DETAILS_QUERY_MAX_PAGE_SIZE;
  let totalHits: number | undefined;
  const pages = paginateByPageNumber<AnalyticsConversation>(
    async (pageNumber) => {
      const res = await client.request({
        method: 'POST',
        path: DETAILS_QUERY_PATH,
        body: { ...query, paging: { pageSize, pageNumber } },
        schema: ConversationQueryResponse,
        idempotent: true,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (res.totalHits !== undefined) totalHits = res.totalHits;
      return { items: res.conversations as AnalyticsConversation[] | undefined, total: res.totalHits };
    },
    {
      what: `details query for ${query.interval}`,
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
  for await (const page of pages) yield { ...page, pageNumber: page.pageNumber!, totalHits };
}

/** `totalHits` of a details query, in one request (pageSize 1). */
export async function detailsQueryCount(client: GenesysClient, query: DetailsQuery, signal?: AbortSignal, deadlineMs?: number): Promise<number> {
  const res = await client.request({
    method: 'POST',
    path: DETAILS_QUERY_PATH,
    body: { ...query, paging: { pageSize: 1, pageNumber: 1 } },
    schema: ConversationQueryResponse,
    idempotent: true,
    ...(signal ? { signal } : {}),
    ...(deadlineMs !== undefined ? { deadlineMs } : {}),
  });
  return res.totalHits ?? 0;
}

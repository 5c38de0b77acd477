import { clockOf } from './internal/clock';
import * as z from 'zod';
import { lazySchema } from './internal/lazy-schema';
import { expected, parseOptions, refuse } from './internal/parse-options';
import { checkRequestOptions } from './request-options';
import { positiveInt } from './internal/schema-fragments';
import { decode, unexpectedResponse } from './transport/decode';
import { itemsOf, paginateByCursor, paginateByNextUri, paginateByPageNumber, type Page } from './transport/paginate';
import type { QueryParams } from './transport/transport';

/** How `client.paginate()` walks an endpoint's pages. */
export interface PaginateOptions<T = unknown> {
  /**
   * `pageNumber`: `pageNumber`/`pageSize` (in the query for GET, in the body's `paging` for POST), checked against
   * the page's `total`/`totalHits`/`pageCount`; `cursor`: the `cursor` query parameter until a page has none;
   * `nextUri`: the page's `nextUri` (same origin only).
   */
  style: 'pageNumber' | 'cursor' | 'nextUri';
  /**
   * The field of each page that holds its items.
   * @default 'entities'
   */
  itemsKey?: string;
  /**
   * Page size sent with `pageNumber` paging (also used to tell a short last page from a short page mid-way).
   * @default undefined (the endpoint's own default; nothing sent)
   */
  pageSize?: number;
  /** Validates each item (a zod schema, or anything with `safeParse`); a bad item is an UnexpectedResponseError. */
  itemSchema?: { safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } } };
  /**
   * Hard stop: more pages than this is an IncompleteDataError, never a quiet end.
   * @default 100_000
   */
  maxPages?: number;
}

const Schema = lazySchema(() =>
  z.strictObject({
    style: z.enum(['pageNumber', 'cursor', 'nextUri'], { error: 'style must be "pageNumber", "cursor" or "nextUri"' }),
    itemsKey: z.string().min(1).max(100).optional(),
    pageSize: positiveInt().optional(),
    itemSchema: z.custom<unknown>((v) => typeof v === 'object' && v !== null && typeof (v as { safeParse?: unknown }).safeParse === 'function', { error: 'itemSchema must be a zod schema (or anything with safeParse)' }).optional(),
    maxPages: positiveInt().optional(),
  }),
);

interface Requester {
  request<R>(options: { method?: string; path: string; query?: QueryParams; body?: unknown; signal?: AbortSignal; idempotent?: boolean }): Promise<R>;
  readonly apiBaseUrl: string;
}

export interface PaginateRequest {
  method?: 'GET' | 'POST';
  path: string;
  query?: QueryParams;
  body?: Record<string, unknown>;
  signal?: AbortSignal;
}

/** See `GenesysClient.paginate`. */
export function paginate<T>(client: Requester, request: PaginateRequest, options: PaginateOptions<T>): AsyncGenerator<T> {
  // The request is checked like client.request()'s options (path, method, query, body, signal), before any page.
  checkRequestOptions(request as PaginateRequest & { method?: 'GET' | 'POST' }, 'GenesysClient.paginate() request');
  if (request.body !== undefined && (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body))) {
    throw refuse('GenesysClient.paginate() request', 'body', expected('an object (the paging fields are merged into it)', request.body));
  }
  const o = parseOptions(Schema, options, 'GenesysClient.paginate() options') as PaginateOptions<T>;
  const itemsKey = o.itemsKey ?? 'entities';
  const method = request.method ?? 'GET';
  const shown = request.path.split(/[?#]/)[0] ?? request.path;
  const what = `${method} ${shown}`;
  const ctx = { method, path: shown, status: 200 };
  const guard = { what, ...(o.maxPages ? { maxPages: o.maxPages } : {}) };
  const itemsOfPage = (page: unknown): T[] | undefined => {
    const raw = (page as Record<string, unknown> | undefined)?.[itemsKey];
    if (raw === undefined || raw === null) return undefined;
    if (!Array.isArray(raw)) throw unexpectedResponse(ctx, [{ path: itemsKey, message: `${itemsKey} is not an array` }]);
    if (!o.itemSchema) return raw as T[];
    return raw.map((item, i) => decode(item, o.itemSchema!, ctx, [itemsKey, i]));
  };
  const send = <R>(extra: { query?: QueryParams; body?: Record<string, unknown>; path?: string }) =>
    client.request<R>({
      method,
      path: extra.path ?? request.path,
      ...(extra.path ? {} : { query: { ...request.query, ...extra.query } }),
      ...(extra.path ? {} : request.body !== undefined || extra.body !== undefined ? { body: { ...request.body, ...extra.body } } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      // Reading pages is safe to repeat, POST queries included.
      idempotent: true,
    });
  let pages: AsyncIterable<Page<T>>;
  if (o.style === 'pageNumber') {
    pages = paginateByPageNumber<T>(
      async (pageNumber) => {
        const paging = { pageNumber, ...(o.pageSize ? { pageSize: o.pageSize } : {}) };
        const page = await send<Record<string, unknown>>(method === 'GET' ? { query: paging } : { body: { paging } });
        const total = typeof page?.total === 'number' ? page.total : typeof page?.totalHits === 'number' ? page.totalHits : undefined;
        return { items: itemsOfPage(page), pageCount: typeof page?.pageCount === 'number' ? page.pageCount : undefined, total };
      },
      { ...guard, clock: clockOf(client), ...(o.pageSize ? { pageSize: o.pageSize } : {}), ...(request.signal ? { signal: request.signal } : {}) },
    );
  } else if (o.style === 'cursor') {
    pages = paginateByCursor<T>(async (cursor) => {
      const page = await send<Record<string, unknown>>({ query: cursor ? { cursor } : {} });
      return { items: itemsOfPage(page), cursor: typeof page?.cursor === 'string' && page.cursor !== '' ? page.cursor : undefined };
    }, guard);
  } else {
    let first = true;
    pages = paginateByNextUri<T>(
      async (uri) => {
        const page = first ? await send<Record<string, unknown>>({}) : await send<Record<string, unknown>>({ path: uri });
        first = false;
        return { items: itemsOfPage(page), nextUri: typeof page?.nextUri === 'string' && page.nextUri !== '' ? page.nextUri : undefined };
      },
      request.path,
      client.apiBaseUrl,
      guard,
    );
  }
  return itemsOf(pages);
}

import { GcError } from '../errors';

/**
 * The three paging styles of the platform (genesys-api.md section g), as async iterables of pages. Nothing is
 * collected: callers iterate pages or items and memory stays flat. Each page says how to fetch it again
 * (`pageNumber` / `cursor` / `uri`), which is what a checkpoint stores to resume.
 */

export interface Page<T> {
  items: T[];
  /** pageNumber style: this page's number. */
  pageNumber?: number;
  /** cursor style: the cursor that fetched this page (undefined for the first). */
  cursor?: string | undefined;
  /** cursor style: the cursor of the next page, if any. */
  nextCursor?: string | undefined;
  /** nextUri style: the URI that fetched this page. */
  uri?: string;
}

export interface PageGuardOptions<T> {
  /** A page identical to the previous one ends the iteration (endpoints that repeat their last page forever). */
  fingerprint?: (items: T[]) => string;
  /** Called when a guard stops the iteration, e.g. to emit a `warning` event. */
  onGuard?: (info: { reason: 'repeated-page' | 'max-pages'; page: number }) => void;
  /** Hard stop; default 100,000 pages. */
  maxPages?: number;
}

function defaultFingerprint(items: unknown[]): string {
  if (items.length === 0) return '0';
  return `${items.length}:${JSON.stringify(items[0])}:${JSON.stringify(items[items.length - 1])}`;
}

/**
 * pageNumber paging (details query, entity listings): pages from `startPage` until an empty page, a short page
 * (fewer than `pageSize` items, when given), `pageCount` reached, or a repeated page.
 */
export async function* paginateByPageNumber<T>(
  fetchPage: (pageNumber: number) => Promise<{ items: T[] | undefined; pageCount?: number | undefined }>,
  options: PageGuardOptions<T> & { startPage?: number; pageSize?: number } = {},
): AsyncGenerator<Page<T>> {
  const fingerprint = options.fingerprint ?? defaultFingerprint;
  const maxPages = options.maxPages ?? 100_000;
  let previous: string | undefined;
  for (let pageNumber = options.startPage ?? 1, n = 0; ; pageNumber++, n++) {
    if (n >= maxPages) {
      options.onGuard?.({ reason: 'max-pages', page: pageNumber });
      return;
    }
    const { items = [], pageCount } = await fetchPage(pageNumber);
    if (items.length === 0) return;
    const fp = fingerprint(items);
    if (fp === previous) {
      options.onGuard?.({ reason: 'repeated-page', page: pageNumber });
      return;
    }
    previous = fp;
    yield { items, pageNumber };
    if (pageCount !== undefined && pageNumber >= pageCount) return;
    if (options.pageSize !== undefined && items.length < options.pageSize) return;
  }
}

/** Opaque-cursor paging (analytics job results): follows `cursor` until it is absent. Resumes from `startCursor`. */
export async function* paginateByCursor<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[] | undefined; cursor?: string | undefined }>,
  options: PageGuardOptions<T> & { startCursor?: string } = {},
): AsyncGenerator<Page<T>> {
  const maxPages = options.maxPages ?? 100_000;
  let cursor = options.startCursor;
  const seen = new Set<string>();
  for (let n = 0; ; n++) {
    if (n >= maxPages) {
      options.onGuard?.({ reason: 'max-pages', page: n + 1 });
      return;
    }
    const page = await fetchPage(cursor);
    const items = page.items ?? [];
    yield { items, cursor, nextCursor: page.cursor };
    if (!page.cursor) return;
    if (seen.has(page.cursor)) {
      options.onGuard?.({ reason: 'repeated-page', page: n + 1 });
      return;
    }
    seen.add(page.cursor);
    cursor = page.cursor;
  }
}

/**
 * `nextUri` paging (entity listings). URIs are relative to the API host; an absolute URI to another origin is
 * refused so the bearer token never leaves the API host.
 */
export async function* paginateByNextUri<T>(
  fetchUri: (uri: string) => Promise<{ items: T[] | undefined; nextUri?: string | undefined }>,
  firstUri: string,
  apiBaseUrl: string,
  options: PageGuardOptions<T> = {},
): AsyncGenerator<Page<T>> {
  const maxPages = options.maxPages ?? 100_000;
  const apiOrigin = new URL(apiBaseUrl).origin;
  const seen = new Set<string>();
  let uri: string | undefined = firstUri;
  for (let n = 0; uri !== undefined; n++) {
    if (n >= maxPages) {
      options.onGuard?.({ reason: 'max-pages', page: n + 1 });
      return;
    }
    const page = await fetchUri(uri);
    const items = page.items ?? [];
    if (items.length === 0) return;
    yield { items, uri };
    if (!page.nextUri) return;
    const next = new URL(page.nextUri, apiBaseUrl);
    if (next.origin !== apiOrigin) {
      throw new GcError(`Refusing to follow nextUri to ${next.origin}: only ${apiOrigin} receives the bearer token`);
    }
    const key = next.pathname + next.search;
    if (seen.has(key)) {
      options.onGuard?.({ reason: 'repeated-page', page: n + 2 });
      return;
    }
    seen.add(key);
    uri = key;
  }
}

/** Items of a page iterable, one by one. */
export async function* itemsOf<T>(pages: AsyncIterable<Page<T>>): AsyncGenerator<T> {
  for await (const page of pages) yield* page.items;
}

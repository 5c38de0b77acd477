import { GcError, IncompleteDataError, throwIfCallerAborted } from '../errors';
import { systemClock, type Clock } from '../internal/clock';
import { sleepOrAbort } from '../internal/waits';

/**
 * The three paging styles of the platform (docs/platform-notes.md section g), as async iterables of pages. Nothing is
 * collected: callers iterate pages or items and memory stays flat. Each page says how to fetch it again
 * (`pageNumber` / `cursor` / `uri`), which is what a checkpoint stores to resume.
 *
 * Every pager checks what arrived against what the platform declared (`total`, `pageCount`) and never ends quietly
 * on something that looks like an end but is not: a short or empty page while the declared total says more is
 * fetched again (`shortPageRetries`, through the caller's normal request path) and then an `IncompleteDataError`
 * naming the page is thrown; so is a repeated page, a repeated cursor, a run of empty pages that keep handing out
 * new cursors, and `maxPages`. A page is checked before it is yielded, so nothing of a bad page reaches the caller
 * and a checkpoint taken from the pages yielded so far resumes at the page that failed.
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

export type PageGuardReason = 'repeated-page' | 'max-pages' | 'short-page' | 'repeated-cursor' | 'empty-pages';

export interface PageGuardOptions<T> {
  /** How two pages are compared for the repeated-page check (default: length, first and last item). */
  fingerprint?: (items: T[]) => string;
  /**
   * Called when a guard trips, just before the `IncompleteDataError` is thrown (or, with `onRepeatedPage: 'end'`,
   * before iteration ends), e.g. to emit a `warning` event.
   */
  onGuard?: (info: { reason: PageGuardReason; page: number }) => void;
  /** Hard limit on pages in one iteration; past it an `IncompleteDataError` is thrown. Default 100,000. */
  maxPages?: number;
  /** What is being paged, for error messages (e.g. `details query`). Default `pages`. */
  what?: string;
}

export interface PageNumberOptions<T> extends PageGuardOptions<T> {
  startPage?: number;
  /** The page size asked for: a page with fewer items is the last one (unless the declared total says more). */
  pageSize?: number;
  /** Times a short, empty or repeated page is fetched again before the error. Default 2. */
  shortPageRetries?: number;
  /** Wait before the n-th re-fetch (0-based): `retryDelayMs * 2^n`. Default 250. */
  retryDelayMs?: number;
  /** Called before each re-fetch of a page that came back short, empty or repeated. */
  onShortPage?: (info: ShortPageInfo) => void;
  /** Aborts the waits between re-fetches (with an `AbortError`). */
  signal?: AbortSignal | undefined;
  /** The re-fetch waits run on this clock (the client's). @default the system clock */
  clock?: Clock | undefined;
  /**
   * Check pages against the `total` / `pageCount` the endpoint declares. Default true. Turn it off only for an
   * endpoint whose totals are documented as approximate (e.g. `/api/v2/quality/evaluations/query`; page those by
   * `nextUri`).
   */
  checkDeclared?: boolean;
  /**
   * A page identical to the previous one: `'error'` (default) re-fetches it and then throws; `'end'` ends the
   * iteration (after `onGuard`), for an endpoint documented to repeat its last page past the end and that declares
   * no total.
   */
  onRepeatedPage?: 'error' | 'end';
}

export interface ShortPageInfo {
  reason: 'short-page' | 'repeated-page';
  page: number;
  /** What the page should have held by the declared total, when one was declared. */
  expected: number | undefined;
  /** What it held. */
  got: number;
  /** The declared total, when there is one. */
  declared: number | undefined;
  /** 1-based number of this re-fetch. */
  attempt: number;
  delayMs: number;
}

function defaultFingerprint(items: unknown[]): string {
  if (items.length === 0) return '0';
  return `${items.length}:${JSON.stringify(items[0])}:${JSON.stringify(items[items.length - 1])}`;
}

function tooManyPages(what: string, page: number, maxPages: number, received: number): IncompleteDataError {
  return new IncompleteDataError(
    { what, page, received },
    `${what}: stopped at page ${page}: more than maxPages (${maxPages}) pages in one iteration, ${received} items ` +
      'received so far; the rest was not read. Raise maxPages if this many pages is expected.',
  );
}

/**
 * pageNumber paging (details query, entity listings): pages from `startPage` until an empty page, a short page
 * (fewer than `pageSize` items, when given) or `pageCount`, each checked against the declared `total`/`pageCount`.
 */
export async function* paginateByPageNumber<T>(
  fetchPage: (pageNumber: number) => Promise<{ items: T[] | undefined; pageCount?: number | undefined; total?: number | undefined }>,
  options: PageNumberOptions<T> = {},
): AsyncGenerator<Page<T>> {
  const fingerprint = options.fingerprint ?? defaultFingerprint;
  const maxPages = options.maxPages ?? 100_000;
  const what = options.what ?? 'pages';
  const retries = options.shortPageRetries ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const checkDeclared = options.checkDeclared ?? true;
  const { pageSize } = options;
  const startPage = options.startPage ?? 1;
  let previous: string | undefined;
  let declaredTotal: number | undefined;
  let declaredPages: number | undefined;
  let yielded = 0;
  for (let pageNumber = startPage, n = 0; ; pageNumber++, n++) {
    // Items before this page: exact when the page size is known, else what this iteration has seen.
    const before = pageSize !== undefined ? (pageNumber - 1) * pageSize : startPage === 1 ? yielded : undefined;
    if (n >= maxPages) {
      options.onGuard?.({ reason: 'max-pages', page: pageNumber });
      throw tooManyPages(what, pageNumber, maxPages, before ?? yielded);
    }
    let items: T[] = [];
    for (let attempt = 0; ; attempt++) {
      const res = await fetchPage(pageNumber);
      items = res.items ?? [];
      // A page that declares nothing (`{}`) keeps what earlier pages declared.
      if (typeof res.total === 'number') declaredTotal = res.total;
      if (typeof res.pageCount === 'number') declaredPages = res.pageCount;
      let expected: number | undefined;
      if (checkDeclared) {
        if (declaredTotal !== undefined && before !== undefined) {
          const left = Math.max(0, declaredTotal - before);
          expected = pageSize !== undefined ? Math.min(pageSize, left) : Math.min(1, left);
        }
        if (declaredPages !== undefined && pageNumber <= declaredPages) {
          const byPages = pageNumber < declaredPages ? (pageSize ?? 1) : 1;
          expected = Math.max(expected ?? 0, byPages);
        }
      }
      const repeated = items.length > 0 && fingerprint(items) === previous;
      const short = expected !== undefined && items.length < expected;
      if (!repeated && !short) break;
      const reason = repeated ? 'repeated-page' : 'short-page';
      if (attempt >= retries) {
        options.onGuard?.({ reason, page: pageNumber });
        if (repeated && !short && options.onRepeatedPage === 'end') return;
        const received = (before ?? yielded) + (repeated ? 0 : items.length);
        const declared = declaredTotal ?? (declaredPages !== undefined ? `${declaredPages} pages` : undefined);
        throw new IncompleteDataError(
          { what, page: pageNumber, declared: declaredTotal, received },
          repeated
            ? `${what}: page ${pageNumber} came back identical to page ${pageNumber - 1} (${attempt + 1} attempts)` +
                `${declared !== undefined ? ` while the platform declared ${declared}` : ''}; ${received} items received. ` +
                'Stopped instead of ending early with missing data; run it again later (a checkpointed export resumes).'
            : `${what}: page ${pageNumber} came back with ${items.length} of the ${expected} items the platform's declared ` +
                `total (${declared}) says it holds (${attempt + 1} attempts); ${received} of ${declaredTotal ?? '?'} items received. ` +
                'Stopped instead of ending early with missing data; run it again later (a checkpointed export resumes).',
        );
      }
      const delayMs = retryDelayMs * 2 ** attempt;
      options.onShortPage?.({ reason, page: pageNumber, expected, got: items.length, declared: declaredTotal, attempt: attempt + 1, delayMs });
      await sleepOrAbort(options.clock ?? systemClock, delayMs, options.signal, what);
    }
    if (items.length === 0) return;
    previous = fingerprint(items);
    yielded += items.length;
    yield { items, pageNumber };
    if (declaredPages !== undefined && pageNumber >= declaredPages) return;
    if (pageSize !== undefined && items.length < pageSize) return;
  }
}

export interface CursorOptions<T> extends PageGuardOptions<T> {
  /** Resume from this cursor. */
  startCursor?: string | undefined;
  /**
   * Empty pages that hand out a (new) cursor allowed in a row; one more is an `IncompleteDataError`. Default 3.
   * A cursor that comes back a second time is an error at once.
   */
  maxEmptyPages?: number;
}

/**
 * Opaque-cursor paging (analytics job results): follows `cursor` until it is absent. Resumes from `startCursor`.
 * A page whose cursor was seen before, or the page after `maxEmptyPages` empty pages in a row that each hand out a
 * cursor, is an `IncompleteDataError` (thrown before that page is yielded, so `cursor` of the last yielded page's
 * `nextCursor` is where a resume starts).
 */
export async function* paginateByCursor<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[] | undefined; cursor?: string | undefined }>,
  options: CursorOptions<T> = {},
): AsyncGenerator<Page<T>> {
  const maxPages = options.maxPages ?? 100_000;
  const maxEmpty = options.maxEmptyPages ?? 3;
  const what = options.what ?? 'pages';
  let cursor = options.startCursor;
  const seen = new Set<string>(cursor ? [cursor] : []);
  let emptyRun = 0;
  let received = 0;
  for (let n = 0; ; n++) {
    const page = n + 1;
    if (n >= maxPages) {
      options.onGuard?.({ reason: 'max-pages', page });
      throw tooManyPages(what, page, maxPages, received);
    }
    const res = await fetchPage(cursor);
    const items = res.items ?? [];
    const next = res.cursor ? res.cursor : undefined;
    if (next !== undefined) {
      if (seen.has(next)) {
        options.onGuard?.({ reason: 'repeated-cursor', page });
        throw new IncompleteDataError(
          { what, page, received },
          `${what}: page ${page} handed out a cursor the platform had already returned (it would loop); ` +
            `${received} items received before it. Stopped instead of looping or ending early; run it again later.`,
        );
      }
      emptyRun = items.length === 0 ? emptyRun + 1 : 0;
      if (emptyRun > maxEmpty) {
        options.onGuard?.({ reason: 'empty-pages', page });
        throw new IncompleteDataError(
          { what, page, received },
          `${what}: ${emptyRun} empty pages in a row that each handed out a new cursor (at most ${maxEmpty} are allowed); ` +
            `${received} items received. Stopped instead of following it forever; run it again later.`,
        );
      }
    }
    received += items.length;
    yield { items, cursor, nextCursor: next };
    if (next === undefined) return;
    seen.add(next);
    cursor = next;
  }
}

export interface NextUriOptions<T> extends PageGuardOptions<T> {}

/**
 * `nextUri` paging (entity listings). URIs are relative to the API host; an absolute URI to another origin is
 * refused by the transport's origin check (src/transport/url-guard.ts) so the bearer token never leaves the API host. A `nextUri` that comes back a second time, and
 * `maxPages`, are an `IncompleteDataError`.
 */
export async function* paginateByNextUri<T>(
  fetchUri: (uri: string) => Promise<{ items: T[] | undefined; nextUri?: string | undefined }>,
  firstUri: string,
  apiBaseUrl: string,
  options: NextUriOptions<T> = {},
): AsyncGenerator<Page<T>> {
  const maxPages = options.maxPages ?? 100_000;
  const what = options.what ?? 'pages';
  const apiOrigin = new URL(apiBaseUrl).origin;
  const seen = new Set<string>();
  let uri: string | undefined = firstUri;
  let received = 0;
  for (let n = 0; uri !== undefined; n++) {
    if (n >= maxPages) {
      options.onGuard?.({ reason: 'max-pages', page: n + 1 });
      throw tooManyPages(what, n + 1, maxPages, received);
    }
    const page = await fetchUri(uri);
    const items = page.items ?? [];
    if (items.length === 0) return;
    let nextKey: string | undefined;
    if (page.nextUri) {
      const next = new URL(page.nextUri, apiBaseUrl);
      // Another origin stays absolute, so the transport's one origin check refuses it (UnsafeRequestError) when it
      // is fetched: no second check here.
      nextKey = next.origin === apiOrigin ? next.pathname + next.search : next.href;
      if (seen.has(nextKey) || nextKey === uri) {
        options.onGuard?.({ reason: 'repeated-page', page: n + 2 });
        throw new IncompleteDataError(
          { what, page: n + 1, received },
          `${what}: page ${n + 1} handed out a nextUri the platform had already returned (it would loop); ` +
            `${received} items received before it. Stopped instead of looping or ending early; run it again later.`,
        );
      }
      seen.add(nextKey);
    }
    received += items.length;
    yield { items, uri };
    uri = nextKey;
  }
}

/** Items of a page iterable, one by one. */
export async function* itemsOf<T>(pages: AsyncIterable<Page<T>>): AsyncGenerator<T> {
  for await (const page of pages) yield* page.items;
}

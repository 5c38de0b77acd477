/**
 * Input schemas of `InteractionSearch` (docs/design-intent.md seed 004). Inputs are checked here, before anything is sent: option
 * shapes by zod, then the interval and the filter by the helpers, and every problem is reported in one
 * `ValidationError` (docs/search.md lists each option and its default).
 */
import * as z from 'zod';
import { DETAILS_QUERY_MAX_PAGE_SIZE } from '../analytics/details-query';
import type { AnalyticsConversation, AvailabilityPolicy, ReportPollOptions } from '../analytics/schemas';
import { isFilterBuilder, type FilterBuilder, type FilterNode } from '../filters/builder';
import type { IntervalInput } from '../helpers/intervals';
import { lazySchema } from '../internal/lazy-schema';
import { nonNegInt, positiveInt } from '../internal/schema-fragments';

/**
 * Longest interval sent to the synchronous details query. Our sources do not document the platform's limit
 * (docs/platform-notes.md section c); 31 days keeps a month in one query and matches the limit widely reported for the
 * details query. Past it, `largeRange` decides. An option, so a tenant that knows its limit can change it.
 */
export const DEFAULT_MAX_SYNC_RANGE_DAYS = 31;
/** The seed's readiness probe waits for the index; two minutes covers the 30-60 s rebuilds it describes. */
export const DEFAULT_READY_TIMEOUT_MS = 120_000;
/** See `SearchQueryOptions.indexWaitMs` (docs/design-intent.md seed 004). */
export const DEFAULT_INDEX_WAIT_MS = 60_000;
/** The seed: "respond with 200 OK within 5 seconds". */
export const DEFAULT_CALLBACK_TIMEOUT_MS = 5_000;
export const DEFAULT_CALLBACK_RETRIES = 3;
export const DEFAULT_CALLBACK_BASE_DELAY_MS = 1_000;
export const DEFAULT_CALLBACK_MAX_DELAY_MS = 30_000;
/** HMAC keys shorter than this are guessable offline from one captured delivery. */
export const MIN_CALLBACK_SECRET_LENGTH = 16;

/**
 * `largeRange: 'job'`: passed to `ReportQueries.extract()` (docs/analytics.md), which owns the job lifecycle.
 * Only `availability` has a search-specific default: `fill`, so a search never silently drops the tail that is
 * not in the datalake yet.
 */
export interface SearchJobOptions {
  /** Window per job, ISO-8601 duration or ms. Default `PT6H` (ReportQueries' default, docs/design-intent.md seed 003). */
  chunk?: string | number;
  /** Jobs running at once. Default 3. */
  concurrency?: number;
  /** When the interval ends after the data availability date. Default `fill` (the tail through the sync query). */
  availability?: AvailabilityPolicy;
  /** Job status polling. Default: ReportQueries' (10 s doubling to 120 s, plus 0-5 s jitter). */
  poll?: ReportPollOptions;
}

/** What to do with an interval longer than `maxSyncRangeDays`. */
export type LargeRangePolicy = 'error' | 'split' | 'job';

/** One page of results, announced after the consumer has taken all of its conversations. */
export interface SearchBatch {
  type: 'batch';
  /** Random per `query()` call: groups the batches (and the final `complete`) of one search. */
  searchId: string;
  /** 1-based, across every window of the search. */
  page: number;
  /** The whole search interval (canonical `start/end`, UTC). */
  interval: string;
  /** The synchronous query window this page came from; equals `interval` unless the range was split. */
  window: string;
  /** Ids of this page's conversations that passed the client-side residual (and the `limit`), in yield order. */
  conversations: string[];
  /** Conversations the platform returned on this page, before the residual. */
  pageScanned: number;
  /** Conversations yielded so far, this page included. */
  matched: number;
  /** Conversations the platform returned so far, before the residual. */
  scanned: number;
  /** The platform's `totalHits` for this window: the server's answer, before the client-side residual. */
  totalHits: number | undefined;
}

/** Sent once when a search ends normally: every page was read, or `limit` was reached. */
export interface SearchComplete {
  type: 'complete';
  searchId: string;
  interval: string;
  pages: number;
  matched: number;
  scanned: number;
  reason: 'exhausted' | 'limit';
  /**
   * The audit record of the search (docs/design-intent.md seed 004): a sha256 of the filters sent (canonical JSON, interval and paging left
   * out, so the same filter over another day hashes the same), and the time from the `query()` call to this end.
   * The result count is `matched`, the pages `pages`. Also emitted as a `progress` event `search.audit`.
   */
  filterHash: string;
  latencyMs: number;
}

export type SearchNotification = SearchBatch | SearchComplete;

/** A signed POST to the caller's own endpoint after each batch (see batch-callback.ts for the contract). */
export interface BatchCallbackOptions {
  /** The receiver: https, or http on a loopback host (or anywhere with `allowHttp`). */
  url: string;
  /** HMAC-SHA256 key shared with the receiver; at least 16 characters. Never sent. */
  secret: string;
  /** Per-attempt timeout. Default 5,000 ms (the seed's 5 s acknowledgement window). */
  timeoutMs?: number;
  /** Retries after a timeout, a network error, 408, 429, 500, 502, 503 or 504. Default 3 (4 attempts). */
  retries?: number;
  /** First backoff step (full jitter, doubling). Default 1,000 ms. */
  baseDelayMs?: number;
  /** Cap of one backoff, and of a receiver's Retry-After. Default 30,000 ms. */
  maxDelayMs?: number;
  /** Extra headers for the receiver (e.g. its own API key). The signature headers cannot be overridden. */
  headers?: Record<string, string>;
  /** Allow plain http to non-loopback hosts (a private network). Default false. */
  allowHttp?: boolean;
  /** When a delivery fails for good: `throw` (default) stops the search; `warn` emits a `warning` and goes on. */
  onFailure?: 'throw' | 'warn';
}

export interface ResolvedBatchCallbackOptions {
  url: string;
  secret: string;
  timeoutMs: number;
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  headers: Record<string, string>;
  allowHttp: boolean;
  onFailure: 'throw' | 'warn';
}

interface FilterInput {
  /** A seed-style tree (`{ and | or: [...] }` of `{ field, op, value }`) or a `FilterBuilder`. Default: no filter. */
  filter?: FilterNode | FilterBuilder;
  /**
   * `start/end` ISO-8601 (or `{ start, end }`); conversations that *started* in `[start, end)`.
   * @default the 24 hours before now (docs/design-intent.md seed 004: "default to the last 24 hours when no window is given")
   */
  interval?: IntervalInput;
  signal?: AbortSignal;
  /** `client` (default): what the platform cannot express is checked on the results; `error`: refuse such filters. */
  residual?: 'client' | 'error';
  /** Refuse enum values outside the catalog (default true). */
  strictEnums?: boolean;
  /** Longest interval sent as one synchronous query. Default 31 days. */
  maxSyncRangeDays?: number;
}

export interface SearchQueryOptions extends FilterInput {
  /** By conversation start. Default `asc`. */
  order?: 'asc' | 'desc';
  /** Conversations per request, 1..100. Default 100 (fewest requests). */
  pageSize?: number;
  /** Stop after yielding this many conversations (no further page is requested). */
  limit?: number;
  /**
   * How long a search index that answers 503 while it rebuilds is waited out inside `query()`, once the transport's
   * own 503 retries are spent: the page is asked for again with backoff, resuming at that page, until this much time
   * has passed since the first 503 of the streak (then the ServerError). It bounds the waits between tries, not a
   * try in progress: once a long 503 streak has drained the client's retry budget (`retry.budget`), the transport is
   * in failure-storm mode and retries that one request itself until `retry.giveUpAfterMs` without a success (then a
   * PlatformUnavailableError), which can outlast a short index wait.
   * @default 60_000 (docs/design-intent.md seed 004: "wait 30-60 seconds for the index")
   */
  indexWaitMs?: number;
  /** Past `maxSyncRangeDays`: `error` (default), `split` into synchronous windows, or `job` (analytics jobs). */
  largeRange?: LargeRangePolicy;
  /** How `largeRange: 'job'` runs its jobs. */
  job?: SearchJobOptions;
  /** Called (and awaited) after each batch and once at the end. */
  notify?: (notification: SearchNotification) => unknown;
  /** Signed HTTP callback to your own endpoint after each batch and once at the end. */
  callback?: BatchCallbackOptions;
}

export interface SearchCountOptions extends FilterInput {
  /** Past `maxSyncRangeDays`: `error` (default), or `split` (one request per window, summed). */
  largeRange?: 'error' | 'split';
}

export interface SearchReadyOptions {
  /** Give up (TimeoutError) after this long. Default 120,000 ms. */
  timeoutMs?: number;
  /** The probe's interval. Default: the hour before now, as the seed's probe. */
  interval?: IntervalInput;
  signal?: AbortSignal;
}

export interface SearchReadyResult {
  ready: true;
  /** From the call to the index answering, waits included. */
  latencyMs: number;
  /** Probe requests that completed or failed for good (each may include transport retries). */
  probes: number;
}

/** What `query()` yields: the platform's conversation record, unchanged. */
export type SearchConversation = AnalyticsConversation;

const instant = () => z.union([z.string(), z.number(), z.date()]);

// Shape only: the interval's grammar and order are checked by parseInterval, which says more than zod could.
const intervalShape = lazySchema(() =>
  z.union([z.string(), z.strictObject({ start: instant(), end: instant() })], {
    error: 'interval must be an ISO-8601 "start/end" string or { start, end }',
  }),
);

const filterShape = lazySchema(() =>
  z.custom<FilterNode | FilterBuilder>(
    (v) => isFilterBuilder(v) || (typeof v === 'object' && v !== null && !Array.isArray(v)),
    { error: 'filter must be a filter tree ({ and | or: [...] } or { field, op, value }) or a FilterBuilder' },
  ),
);

const signalShape = lazySchema(() =>
  z.custom<AbortSignal>((v) => v instanceof AbortSignal, { error: 'signal must be an AbortSignal' }),
);

const callbackShape = lazySchema(() =>
  z.strictObject({
    url: z.url({ error: 'callback.url must be an absolute URL, e.g. https://etl.example.com/hooks/gc-data' }),
    secret: z
      .string({ error: 'callback.secret is required: the HMAC key your receiver verifies with' })
      .min(MIN_CALLBACK_SECRET_LENGTH, { error: `callback.secret must be at least ${MIN_CALLBACK_SECRET_LENGTH} characters` }),
    timeoutMs: positiveInt().max(120_000).default(DEFAULT_CALLBACK_TIMEOUT_MS),
    retries: nonNegInt().max(10).default(DEFAULT_CALLBACK_RETRIES),
    baseDelayMs: nonNegInt().default(DEFAULT_CALLBACK_BASE_DELAY_MS),
    maxDelayMs: nonNegInt().default(DEFAULT_CALLBACK_MAX_DELAY_MS),
    headers: z.record(z.string(), z.string()).default({}),
    allowHttp: z.boolean().default(false),
    onFailure: z.enum(['throw', 'warn']).default('throw'),
  }),
);

/** See `interval`'s default (docs/design-intent.md seed 004). */
export const DEFAULT_SEARCH_WINDOW_MS = 24 * 3_600_000;

const common = () => ({
  filter: filterShape.optional(),
  interval: intervalShape.optional(),
  signal: signalShape.optional(),
  residual: z.enum(['client', 'error']).default('client'),
  strictEnums: z.boolean().default(true),
  maxSyncRangeDays: z.number().positive().default(DEFAULT_MAX_SYNC_RANGE_DAYS),
});

export const SearchQuerySchema = lazySchema(() =>
  z.strictObject({
    ...common(),
    order: z.enum(['asc', 'desc']).default('asc'),
    pageSize: positiveInt().max(DETAILS_QUERY_MAX_PAGE_SIZE).default(DETAILS_QUERY_MAX_PAGE_SIZE),
    limit: positiveInt().optional(),
    indexWaitMs: z.number().int().min(0).max(600_000).default(DEFAULT_INDEX_WAIT_MS),
    largeRange: z.enum(['error', 'split', 'job']).default('error'),
    // Shape only: ReportQueries.extract() validates the values, before any request, when the job path is taken.
    job: z
      .strictObject({
        chunk: z.union([z.string(), z.number()]).optional(),
        concurrency: z.number().optional(),
        availability: z.string().optional(),
        poll: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
    notify: z.custom<(n: SearchNotification) => unknown>((v) => typeof v === 'function', { error: 'notify must be a function' }).optional(),
    // Checked by batchCallbackIssues, which adds the URL-scheme and reserved-header rules to the shape.
    callback: z.unknown().optional(),
  }),
);

export const SearchCountSchema = lazySchema(() =>
  z.strictObject({
    ...common(),
    largeRange: z.enum(['error', 'split']).default('error'),
  }),
);

export const SearchReadySchema = lazySchema(() =>
  z.strictObject({
    timeoutMs: positiveInt().default(DEFAULT_READY_TIMEOUT_MS),
    interval: intervalShape.optional(),
    signal: signalShape.optional(),
  }),
);

export const BatchCallbackSchema = callbackShape;

export type ParsedSearchQuery = z.output<typeof SearchQuerySchema>;
export type ParsedSearchCount = z.output<typeof SearchCountSchema>;

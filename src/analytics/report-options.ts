/**
 * Options of the async report jobs (ReportQueries, ReportJob.wait and results, extract) and their schemas: what a
 * caller may pass, checked before anything is sent. The job's query shape is in wire.ts.
 */
import * as z from 'zod';
import { MIN_POLL_DELAY_MS } from '../internal/waits';
import { ValidationError } from '../errors';
import { parseInterval } from '../helpers/intervals';
import { lazySchema } from '../internal/lazy-schema';
import { ConversationQueryFilters } from './wire';

// ---- Async report jobs (ReportQueries, docs/design-intent.md seed 003) ---------------------------------------------------------------

/** An ISO-8601 `start/end` (or `start/duration`) interval, checked with the same rules as `parseInterval`. */
const IsoInterval = lazySchema(() =>
  z.string().superRefine((value, ctx) => {
    try {
      parseInterval(value);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const issue of err.issues) ctx.addIssue({ code: 'custom', message: issue.message, params: { reason: issue.code } });
    }
  }),
);

/** Keys a job body must not carry: the platform refuses them, and a silent drop would change what is exported. */
const NOT_IN_ASYNC_QUERY: Record<string, string> = {
  paging: 'async jobs have no paging: results are read page by page with a cursor (results({ pageSize, cursor }))',
  aggregations: 'async detail jobs take no aggregations',
};

/**
 * `POST /api/v2/analytics/conversations/details/jobs` body (docs/platform-notes.md section d): the details query's filters
 * and order plus a required `interval`; no `paging`, no `aggregations`. Unknown keys are passed through so newer
 * platform fields can be used without an SDK release.
 */
export const AsyncConversationQuery = lazySchema(() =>
  ConversationQueryFilters.extend({
    interval: IsoInterval,
    /** "Number of results to be returned" (the platform's wording); a positive integer. */
    limit: z.number().int().positive().optional(),
    startOfDayIntervalMatching: z.boolean().optional(),
  }).superRefine((q, ctx) => {
    for (const [key, why] of Object.entries(NOT_IN_ASYNC_QUERY)) {
      if (key in q) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is not allowed: ${why}` });
    }
  }),
);
export type AsyncConversationQuery = z.input<typeof AsyncConversationQuery>;

/** docs/design-intent.md seed 003: first poll after 10 s, doubling to 120 s, plus 0-5 s of jitter. */
export const DEFAULT_POLL = { initialDelayMs: 10_000, maxDelayMs: 120_000, factor: 2, jitterMs: 5_000 } as const;

export const ReportPollOptions = lazySchema(() =>
  z.strictObject({
    /**
     * Wait before the first status poll. Default 10,000 ms (docs/design-intent.md seed 003: "do not poll immediately"); at least
     * MIN_POLL_DELAY_MS (1,000 ms, src/internal/waits.ts).
     */
    initialDelayMs: z.number().int().min(MIN_POLL_DELAY_MS, { error: `must be at least ${MIN_POLL_DELAY_MS} ms: shorter polls flood the status endpoint (issue 18)` }).optional(),
    /** Cap of the growing delay. Default 120,000 ms; at least MIN_POLL_DELAY_MS (1,000 ms). */
    maxDelayMs: z.number().int().min(MIN_POLL_DELAY_MS, { error: `must be at least ${MIN_POLL_DELAY_MS} ms: shorter polls flood the status endpoint (issue 18)` }).optional(),
    /** Growth per poll. Default 2. */
    factor: z.number().min(1).optional(),
    /** Up to this much random delay is added to every wait (spreads workers polling one org). Default 5,000 ms. */
    jitterMs: z.number().int().min(0).optional(),
  }),
);
export type ReportPollOptions = z.infer<typeof ReportPollOptions>;

const signal = () => z.custom<AbortSignal>((v) => v instanceof AbortSignal, { error: 'signal must be an AbortSignal' });

/** `job.wait()` options (report-job.ts WaitOptions). */
export const WaitOptionsSchema = lazySchema(() =>
  z.strictObject({
    signal: signal().optional(),
    onProgress: z.custom<unknown>((v) => typeof v === 'function', 'onProgress must be a function').optional(),
    maxWaitMs: z.number().int().positive().optional(),
    poll: ReportPollOptions.optional(),
    immediate: z.boolean().optional(),
  }),
);

/** `job.results()` / `pages()` options (report-job.ts ResultsOptions). */
export const ResultsOptionsSchema = lazySchema(() =>
  z.strictObject({
    pageSize: z.number().int().positive().max(100_000).optional(),
    cursor: z.string().min(1).max(10_000).optional(),
    signal: signal().optional(),
  }),
);

const fn = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', `${what} must be a function`);

export const ReportQueriesOptions = lazySchema(() =>
  z.strictObject({
    poll: ReportPollOptions.optional(),
    /** A job not finished this long after submission is cancelled (DELETE) and retried as two halves. Default 24 h. */
    maxWaitMs: z.number().int().positive().optional(),
    /** Results page size. Default 1000 (the platform's maximum is undocumented: a 400 names it). */
    pageSize: z.number().int().positive().optional(),
    /** FAILED or timed-out jobs are split in two at most this many times (chunk / 2^depth). Default 3. */
    maxSplitDepth: z.number().int().min(0).max(20).optional(),
    /** EXPIRED jobs (before or while reading results) are resubmitted at most this many times each. Default 2. */
    maxResubmits: z.number().int().min(0).optional(),
    /** A results page that fails after the transport's own retries is fetched again from the same cursor this many times. Default 3. */
    resultRetries: z.number().int().min(0).optional(),
    /** First wait before such a re-fetch (doubles each time). Default 2,000 ms. */
    resultRetryDelayMs: z.number().int().min(0).optional(),
    /**
     * Jitter source in [0, 1).
     * @deprecated Give the client a `clock` instead (`new GenesysClient({ clock })`, src/client-options.ts; in tests
     * `createFakeClock()` from `@org/gc-data/testing`): one clock for every wait of the SDK (issue 17). Still honoured
     * over the client's clock in 0.x, with a `deprecated-option` warning; removed in 1.0.
     * @default the client's clock (`clock.random`)
     */
    random: fn<() => number>('random').optional(),
    /**
     * Every wait of the module goes through this.
     * @deprecated Give the client a `clock` instead (see `random`); still honoured in 0.x, removed in 1.0.
     * @default the client's clock (`clock.sleep`)
     */
    sleep: fn<(ms: number, signal?: AbortSignal) => Promise<void>>('sleep').optional(),
    /**
     * Clock for maxWait (epoch ms).
     * @deprecated Give the client a `clock` instead (see `random`); still honoured in 0.x, removed in 1.0.
     * @default the client's clock (`clock.now`)
     */
    now: fn<() => number>('now').optional(),
  }),
);
export type ReportQueriesOptions = z.infer<typeof ReportQueriesOptions>;

export const AVAILABILITY_POLICIES = ['clip', 'wait', 'fill', 'error'] as const;
export type AvailabilityPolicy = (typeof AVAILABILITY_POLICIES)[number];

/** Keys the extract `query` must not carry, with the reason (extract owns interval, order and paging). */
const NOT_IN_EXTRACT_QUERY: Record<string, string> = {
  interval: 'give the interval as extract({ interval }) so it can be chunked',
  paging: 'results are read with a cursor',
  aggregations: 'async detail jobs take no aggregations',
  limit: 'a per-job limit would cut each chunk arbitrarily',
  order: 'extract reads results by conversationStart ascending (resuming after an expired job relies on it)',
  orderBy: 'extract reads results by conversationStart ascending (resuming after an expired job relies on it)',
};

/** The filter part of an extract: the details filters only (interval, order, paging and limit belong to extract). */
export const ExtractQuery = lazySchema(() =>
  ConversationQueryFilters.superRefine((q, ctx) => {
    for (const [key, why] of Object.entries(NOT_IN_EXTRACT_QUERY)) {
      if (key in q) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is not allowed in an extract query: ${why}` });
    }
  }),
);

const intervalInput = lazySchema(() =>
  z.union([
    IsoInterval,
    z.strictObject({ start: z.union([z.string(), z.number(), z.date()]), end: z.union([z.string(), z.number(), z.date()]) }),
  ]),
);

export const ExtractOptionsSchema = lazySchema(() =>
  z.strictObject({
    interval: intervalInput,
    query: ExtractQuery.optional(),
    /** Window size: an ISO-8601 duration or ms. Default PT6H (docs/design-intent.md seed 003: "6-hour windows instead of 24 hours"). */
    chunk: z.union([z.string().min(1), z.number().int().positive()]).optional(),
    /** Windows whose jobs run at once. Default 3. */
    concurrency: z.number().int().min(1).max(50).optional(),
    project: fn<(conversation: never) => unknown>('project').optional(),
    /** Participant attribute keys flattened into `attr_<key>` columns by the default projection. */
    attributes: z.array(z.string().min(1)).optional(),
    availability: z.enum(AVAILABILITY_POLICIES).optional(),
    /** `fill`: how far before the availability date the sync query looks for conversations still running then. Default PT4H. */
    fillLookback: z.union([z.string().min(1), z.number().int().min(0)]).optional(),
    /** Compare each window's job count with the sync query's totalHits; warn past `threshold` (default 0.05). */
    reconcile: z.union([z.boolean(), z.strictObject({ threshold: z.number().min(0).max(1).optional() })]).optional(),
    checkpoint: z
      .custom<{ load: unknown; save: unknown; clear: unknown }>(
        (v) => typeof v === 'object' && v !== null && ['load', 'save', 'clear'].every((k) => typeof (v as Record<string, unknown>)[k] === 'function'),
        'checkpoint must implement load(), save(state) and clear()',
      )
      .optional(),
    beforeCheckpoint: fn<() => Promise<void>>('beforeCheckpoint').optional(),
    /** Cancel the jobs still running when the extract stops early. Default: true without a checkpoint, false with one. */
    cancelOnExit: z.boolean().optional(),
    pageSize: z.number().int().positive().optional(),
    maxWaitMs: z.number().int().positive().optional(),
    poll: ReportPollOptions.optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'signal must be an AbortSignal').optional(),
    onProgress: fn<(p: never) => void>('onProgress').optional(),
  }),
);

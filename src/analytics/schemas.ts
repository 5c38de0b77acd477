import * as z from 'zod';
import { MIN_POLL_DELAY_MS } from '../internal/waits';
import { ValidationError } from '../errors';
import { parseInterval } from '../helpers/intervals';
import type { DetailQueryFilter as CompiledDetailQueryFilter } from '../filters/compile';
import { lazySchema } from '../internal/lazy-schema';
import { num, str } from '../internal/schema-fragments';

/**
 * Response and request shapes of the analytics conversation detail endpoints (docs/platform-notes.md sections c and d).
 * Objects are loose: the platform adds fields often, and added fields must never break an export. Only what the
 * SDK relies on is required.
 */

export const AnalyticsMetric = lazySchema(() =>
  z.looseObject({ name: str(), value: num(), emitDate: str().optional() }),
);

export const AnalyticsSegment = lazySchema(() =>
  z.looseObject({
    segmentStart: str().optional(),
    segmentEnd: str().optional(),
    segmentType: str().optional(),
    queueId: str().optional(),
    wrapUpCode: str().optional(),
    wrapUpNote: str().optional(),
    disconnectType: str().optional(),
    conference: z.boolean().optional(),
  }),
);

export const AnalyticsSession = lazySchema(() =>
  z.looseObject({
    sessionId: str().optional(),
    mediaType: str().optional(),
    direction: str().optional(),
    ani: str().optional(),
    dnis: str().optional(),
    recording: z.boolean().optional(),
    segments: z.array(AnalyticsSegment).optional(),
    metrics: z.array(AnalyticsMetric).optional(),
  }),
);

export const AnalyticsParticipant = lazySchema(() =>
  z.looseObject({
    participantId: str().optional(),
    participantName: str().optional(),
    purpose: str().optional(),
    userId: str().optional(),
    sessions: z.array(AnalyticsSession).optional(),
  }),
);

export const AnalyticsEvaluation = lazySchema(() =>
  z.looseObject({
    evaluationId: str(),
    evaluatorId: str().optional(),
    userId: str().optional(),
    assigneeId: str().optional(),
    assigneeApplicable: z.boolean().optional(),
    /** Present on calibration evaluations: the real marker (there is no `isCalibration`). */
    calibrationId: str().optional(),
    /** Form id stable across versions. */
    contextId: str().optional(),
    formId: str().optional(),
    formName: str().optional(),
    queueId: str().optional(),
    /** PascalCase in analytics: Finished, InProgress, InReview, Pending, Retracted. */
    evaluationStatus: str().optional(),
    eventTime: str().optional(),
    released: z.boolean().optional(),
    rescored: z.boolean().optional(),
    deleted: z.boolean().optional(),
    systemSubmitted: z.boolean().optional(),
    oTotalScore: num().optional(),
    oTotalCriticalScore: num().optional(),
  }),
);

export const AnalyticsConversation = lazySchema(() =>
  z.looseObject({
    conversationId: str(),
    conversationStart: str().optional(),
    conversationEnd: str().optional(),
    originatingDirection: str().optional(),
    divisionIds: z.array(str()).optional(),
    externalTag: str().optional(),
    mediaStatsMinConversationMos: num().optional(),
    participants: z.array(AnalyticsParticipant).optional(),
    evaluations: z.array(AnalyticsEvaluation).optional(),
    surveys: z.array(z.looseObject({})).optional(),
  }),
);

export type AnalyticsConversation = z.infer<typeof AnalyticsConversation>;
export type AnalyticsEvaluation = z.infer<typeof AnalyticsEvaluation>;
export type AnalyticsParticipant = z.infer<typeof AnalyticsParticipant>;
export type AnalyticsSession = z.infer<typeof AnalyticsSession>;
export type AnalyticsSegment = z.infer<typeof AnalyticsSegment>;

/**
 * Page envelopes are checked shallowly: each conversation must have its id, the rest is typed but not walked on the
 * hot path (a 1,000,000-row extract validates envelopes, not every nested segment).
 */
const ShallowConversation = lazySchema(() =>
  z.looseObject({ conversationId: str() }),
);

export const ConversationQueryResponse = lazySchema(() =>
  z.looseObject({
    conversations: z.array(ShallowConversation).optional(),
    totalHits: num().optional(),
    aggregations: z.array(z.unknown()).optional(),
  }),
);

/** `POST /api/v2/analytics/conversations/details/jobs` */
export const AsyncQueryResponse = lazySchema(() =>
  z.looseObject({ jobId: str() }),
);

export const JOB_STATES = ['QUEUED', 'PENDING', 'FULFILLED', 'FAILED', 'CANCELLED', 'EXPIRED'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** `GET .../jobs/{jobId}`. Unknown future states are kept as strings rather than rejected. */
export const AsyncQueryStatus = lazySchema(() =>
  z.looseObject({
    state: z.union([z.enum(JOB_STATES), str()]),
    errorMessage: str().optional(),
    expirationDate: str().optional(),
    submissionDate: str().optional(),
    completionDate: str().optional(),
  }),
);
export type AsyncQueryStatus = z.infer<typeof AsyncQueryStatus>;

/** `GET .../jobs/{jobId}/results` */
export const AsyncQueryResults = lazySchema(() =>
  z.looseObject({
    conversations: z.array(ShallowConversation).optional(),
    cursor: str().optional(),
    dataAvailabilityDate: str().optional(),
  }),
);

/** `GET .../jobs/availability` */
export const DataAvailability = lazySchema(() =>
  z.looseObject({ dataAvailabilityDate: str().optional() }),
);

// ---- Requests -------------------------------------------------------------------------------------------------

export const DetailQueryPredicate = lazySchema(() =>
  z
    .looseObject({
      type: z.enum(['dimension', 'property', 'metric']).optional(),
      dimension: str().optional(),
      metric: str().optional(),
      property: str().optional(),
      propertyType: str().optional(),
      operator: z.enum(['matches', 'exists', 'notExists']).optional(),
      value: str().optional(),
      range: z.looseObject({ gt: num().optional(), gte: num().optional(), lt: num().optional(), lte: num().optional() }).optional(),
    })
    // The platform answers 400 for a predicate that names nothing to test; say so before sending.
    .refine((p) => p.dimension !== undefined || p.metric !== undefined || p.property !== undefined, {
      error: 'a predicate needs what it tests: a dimension, metric or property (e.g. { dimension: "queueId", value: "..." })',
    }),
);

export const DetailQueryClause = lazySchema(() =>
  z.looseObject({ type: z.enum(['and', 'or']), predicates: z.array(DetailQueryPredicate).min(1) }),
);

export const DetailQueryFilter = lazySchema(() =>
  z.looseObject({
    type: z.enum(['and', 'or']),
    clauses: z.array(DetailQueryClause).optional(),
    predicates: z.array(DetailQueryPredicate).optional(),
  }),
);
/** The filter shape as `compileFilter` produces it (same wire format as the schema above). */
export type DetailQueryFilter = CompiledDetailQueryFilter;

const filters = () => ({
  conversationFilters: z.array(DetailQueryFilter).optional(),
  segmentFilters: z.array(DetailQueryFilter).optional(),
  evaluationFilters: z.array(DetailQueryFilter).optional(),
  surveyFilters: z.array(DetailQueryFilter).optional(),
  resolutionFilters: z.array(DetailQueryFilter).optional(),
});

/** The filter and ordering part shared by the sync details query and async jobs (no interval, no paging). */
export const ConversationQueryFilters = lazySchema(() =>
  z.looseObject({
    ...filters(),
    order: z.enum(['asc', 'desc', 'unordered']).optional(),
    orderBy: z.enum(['conversationStart', 'conversationEnd', 'segmentStart', 'segmentEnd']).optional(),
  }),
);
export interface ConversationQueryFilters {
  conversationFilters?: DetailQueryFilter[];
  segmentFilters?: DetailQueryFilter[];
  evaluationFilters?: DetailQueryFilter[];
  surveyFilters?: DetailQueryFilter[];
  resolutionFilters?: DetailQueryFilter[];
  order?: 'asc' | 'desc' | 'unordered';
  orderBy?: 'conversationStart' | 'conversationEnd' | 'segmentStart' | 'segmentEnd';
}

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
    /** Jitter source in [0, 1). Default: the client's clock (`clock.random`). */
    random: fn<() => number>('random').optional(),
    /** Every wait of the module goes through this. Default: the client's clock (`clock.sleep`). */
    sleep: fn<(ms: number, signal?: AbortSignal) => Promise<void>>('sleep').optional(),
    /** Clock for maxWait (epoch ms). Default: the client's clock (`clock.now`). */
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

/** One split-interval unit of a window's work: `[s, e)` at split depth `d`, with rows to skip after a resubmission. */
const UnitStateSchema = lazySchema(() =>
  z.object({
    s: z.number(),
    e: z.number(),
    d: z.number().int().min(0),
    skip: z.object({ beforeMs: z.number(), ids: z.array(z.string()) }).optional(),
    /** Times a job for exactly this interval ended FAILED (the resubmit budget; job-runner.ts). */
    f: z.number().int().min(0).optional(),
  }),
);

const ActiveJobSchema = lazySchema(() =>
  UnitStateSchema.extend({
    id: z.string(),
    submittedAt: z.number(),
    cursor: z.string().optional(),
    rows: z.number().int().min(0),
    resubmits: z.number().int().min(0),
    lastStart: z.number().optional(),
    lastIds: z.array(z.string()).optional(),
  }),
);

const WindowStateSchema = lazySchema(() =>
  z.object({
    pending: z.array(UnitStateSchema),
    job: ActiveJobSchema.optional(),
    owned: z.number().int().min(0),
  }),
);

/**
 * What an extract checkpoint holds (checked on load, so a hand-edited or foreign file is refused clearly): the
 * resumable runner's fields (src/sinks/resumable-run.ts) and the extract's windows. A version-1 state (before
 * issue 17: `key` instead of `fingerprint`, the same text) is read as version 2.
 */
export const ExtractCheckpointState = lazySchema(() =>
  z.preprocess(
    (raw) => {
      if (typeof raw !== 'object' || raw === null || (raw as { v?: unknown }).v !== 1) return raw;
      const { key, ...rest } = raw as Record<string, unknown>;
      return { ...rest, v: 2, fingerprint: key };
    },
    z.object({
      v: z.literal(2),
      /** Canonical JSON of interval, query, chunk and availability options: another extract's checkpoint is refused. */
      fingerprint: z.string(),
      /** Rows handed out (or written to the exportTo sink) when saved: cut a resumed sink back to this. */
      rows: z.number().int().min(0),
      sinks: z.record(z.string(), z.number().int().min(0)).optional(),
      finished: z.boolean().optional(),
      plan: z.object({
        startMs: z.number(),
        endMs: z.number(),
        jobEndMs: z.number(),
        dataAvailabilityDate: z.string().optional(),
        tail: z.object({ queryStartMs: z.number(), fromMs: z.number(), toMs: z.number() }).optional(),
      }),
      windowsTotal: z.number().int().min(0),
      /** Finished windows as inclusive index ranges. */
      done: z.array(z.tuple([z.number().int(), z.number().int()])),
      active: z.record(z.string(), WindowStateSchema),
      tail: z.object({ nextPage: z.number().int().min(1), done: z.boolean() }).optional(),
      /** Conversations that reach past their job's interval, by id, with their end (null = unknown): the cross-window dedupe set. */
      spanners: z.array(z.tuple([z.string(), z.number().nullable()])),
      duplicates: z.number().int().min(0),
    }),
  ),
);
export type ExtractCheckpointState = z.infer<typeof ExtractCheckpointState>;
export type WindowState = z.infer<typeof WindowStateSchema>;
export type UnitState = z.infer<typeof UnitStateSchema>;
export type ActiveJobState = z.infer<typeof ActiveJobSchema>;

/**
 * `GET .../jobs/{jobId}/results`: the page envelope (results-page.ts reads the conversations one at a time and
 * checks each one's `conversationId` itself), and the whole page when a body has to be parsed whole. The
 * conversations are checked in place rather than copied: zod builds a new object per parsed object.
 */
export const AsyncQueryResultsPage = lazySchema(() =>
  z.looseObject({
    conversations: z
      .array(z.unknown())
      .superRefine((items, ctx) => {
        for (let i = 0; i < items.length; i++) {
          const c = items[i] as { conversationId?: unknown } | null;
          if (typeof c !== 'object' || c === null || typeof c.conversationId !== 'string') {
            ctx.addIssue({ code: 'custom', path: [i, 'conversationId'], message: 'expected every conversation to have a string conversationId' });
          }
        }
      })
      .optional(),
    cursor: str().optional(),
    dataAvailabilityDate: str().optional(),
  }),
);
